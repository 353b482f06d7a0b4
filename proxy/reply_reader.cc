#include "proxy/reply_reader.h"

#include "proxy/content_type.h"
#include "proxy/inference_endpoint.h"
#include "proxy/reply_chunk.h"
#include "proxy/reply_fields.h"
#include "proxy/sse_event.h"

namespace ollama_exporter::proxy {
namespace {

constexpr double kNanosPerSecond = 1e9;
constexpr double kMinRateSeconds = 0.001;
constexpr uint64_t kMinRateTokens = 2;

double Seconds(int64_t nanos) { return nanos / kNanosPerSecond; }

}  // namespace

ReplyReader::ReplyReader(InferenceEndpoint endpoint,
                         const InferenceRequest& request, size_t max_line_bytes,
                         size_t max_single_reply_bytes)
    : lines_(std::in_place, max_line_bytes),
      max_single_reply_bytes_(max_single_reply_bytes) {
  facts_.endpoint = endpoint;
  facts_.requested_model = request.model;
  facts_.streamed = request.streamed;
}

void ReplyReader::OnResponseStart(int status, std::string_view content_type) {
  facts_.http_status = status;
  if (IsEventStream(content_type)) {
    framing_ = Framing::kSse;
  } else if (IsNdjsonStream(content_type)) {
    framing_ = Framing::kNdjson;
  } else {
    lines_.emplace(max_single_reply_bytes_);
  }
}

void ReplyReader::OnResponseBytes(std::string_view piece,
                                  double elapsed_seconds) {
  lines_->Feed(piece,
               [&](std::string_view line) { ReadLine(line, elapsed_seconds); });
}

void ReplyReader::OnEnd(ExchangeEnd end, double elapsed_seconds) {
  lines_->Finish(
      [&](std::string_view line) { ReadLine(line, elapsed_seconds); });
  facts_.request_seconds = elapsed_seconds;
  facts_.outcome = DecideOutcome(end);
  if (framing_ != Framing::kSingle) {
    facts_.time_to_first_token_seconds = first_content_seconds_;
  }
  ComputeRates();
}

void ReplyReader::ReadLine(std::string_view line, double elapsed_seconds) {
  if (framing_ != Framing::kSse) {
    ReadObject(line, elapsed_seconds);
    return;
  }
  const std::optional<std::string_view> data = SseDataValue(line);
  if (!data) return;  // event:, id:, comments and blank separators.
  if (*data == "[DONE]") {
    saw_end_ = true;
    return;
  }
  ReadObject(*data, elapsed_seconds);
}

void ReplyReader::ReadObject(std::string_view text, double elapsed_seconds) {
  // No document is built: most lines are read for two facts, and a final
  // chunk's "context" or an embedding's vectors would be built to be
  // dropped.
  ReplyFields fields;
  if (!ReadReplyFields(text, &fields)) return;
  const ReplyChunk chunk = IsOpenAiCompatible(facts_.endpoint)
                               ? ReadOpenAiChunk(fields)
                               : ReadNativeChunk(fields);

  // A single reply that parsed is complete by definition.
  saw_end_ = saw_end_ || chunk.ends_stream || framing_ == Framing::kSingle;
  saw_error_ = saw_error_ || chunk.is_error;
  if (chunk.has_content) {
    if (!first_content_seconds_) first_content_seconds_ = elapsed_seconds;
    last_content_seconds_ = elapsed_seconds;
  }
  if (chunk.done_reason) facts_.done_reason = *chunk.done_reason;

  // The last value wins: /v1/completions sends zero usage on every text
  // chunk before the real one.
  if (chunk.prompt_tokens) facts_.prompt_tokens = *chunk.prompt_tokens;
  if (chunk.generated_tokens) {
    facts_.generated_tokens = *chunk.generated_tokens;
  }
  if (chunk.load_ns) facts_.load_seconds = Seconds(*chunk.load_ns);
  if (chunk.prompt_eval_ns) {
    facts_.prompt_eval_seconds = Seconds(*chunk.prompt_eval_ns);
  }
  if (chunk.eval_ns) facts_.eval_seconds = Seconds(*chunk.eval_ns);
  if (chunk.total_ns) facts_.total_seconds = Seconds(*chunk.total_ns);
}

Outcome ReplyReader::DecideOutcome(ExchangeEnd end) const {
  const int status = facts_.http_status;
  if (end == ExchangeEnd::kClientGone) return Outcome::kClientCanceled;
  if (status >= 400 && status < 500) return Outcome::kClientError;
  if (status < 200 || status >= 300) return Outcome::kServerError;
  if (saw_error_) return Outcome::kStreamError;
  // After the normal end, a broken connection lost the client nothing.
  if (saw_end_) return Outcome::kOk;
  if (end == ExchangeEnd::kUpstreamFailed || framing_ != Framing::kSingle) {
    return Outcome::kStreamError;
  }
  return Outcome::kOk;
}

void ReplyReader::ComputeRates() {
  const std::optional<uint64_t> tokens = facts_.generated_tokens;
  if (!tokens || *tokens < kMinRateTokens) return;
  if (!IsOpenAiCompatible(facts_.endpoint)) {
    if (facts_.eval_seconds && *facts_.eval_seconds >= kMinRateSeconds) {
      facts_.tokens_per_second = *tokens / *facts_.eval_seconds;
    }
    return;
  }
  if (framing_ != Framing::kSse || !first_content_seconds_) return;
  const double span = *last_content_seconds_ - *first_content_seconds_;
  if (span >= kMinRateSeconds) {
    facts_.tokens_per_second = (*tokens - 1) / span;
  }
}

}  // namespace ollama_exporter::proxy
