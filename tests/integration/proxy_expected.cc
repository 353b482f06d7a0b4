#include "proxy_expected.h"

#include <nlohmann/json.hpp>

namespace ollama_exporter::integration {
namespace {

// Ollama's native replies carry durations; /v1 streams are timed by the
// proxy itself.
bool IsNativeGeneration(std::string_view path) {
  return path == "/api/generate" || path == "/api/chat";
}

bool IsOpenAiGeneration(std::string_view path) {
  return path == "/v1/chat/completions" || path == "/v1/completions" ||
         path == "/v1/responses" || path == "/v1/messages";
}

std::string OutcomeOf(const ServedRequest& served) {
  if (served.client_went_away) return "client_canceled";
  if (served.status >= 400 && served.status < 500) return "client_error";
  if (served.status < 200 || served.status >= 300) return "server_error";
  if (served.streamed && (served.stream_error || served.cut)) {
    return "stream_error";
  }
  return "ok";
}

// A usage-only event: "data: {...,"choices":[],...,"usage":{...}}".
bool IsUsageEvent(std::string_view event) {
  constexpr std::string_view kData = "data: ";
  if (event.substr(0, kData.size()) != kData) return false;
  const nlohmann::json json =
      nlohmann::json::parse(event.substr(kData.size()), nullptr, false);
  if (!json.is_object()) return false;
  const auto choices = json.find("choices");
  const auto usage = json.find("usage");
  return choices != json.end() && choices->is_array() && choices->empty() &&
         usage != json.end() && usage->is_object();
}

}  // namespace

std::string DoneReasonOf(std::string_view reason) {
  if (reason.empty()) return "none";
  if (reason == "stop" || reason == "length" || reason == "load" ||
      reason == "unload") {
    return std::string(reason);
  }
  return "other";
}

ExpectedRecord ExpectRecord(const std::string& model_label,
                            const ServedRequest& served,
                            const InferenceScript& script) {
  ExpectedRecord expected;
  expected.model = model_label;
  expected.endpoint = served.path;
  expected.outcome = OutcomeOf(served);
  expected.done_reason = DoneReasonOf(served.stats_sent.done_reason);
  expected.stats = served.stats_sent;
  expected.time_to_first_token =
      served.streamed && served.content_chunks_sent > 0;

  const FinalStats& stats = served.stats_sent;
  if (IsNativeGeneration(served.path)) {
    if (stats.eval_count >= 2 && stats.eval_duration >= 1000000) {
      expected.speed = ExpectedRecord::Speed::kExact;
      expected.tokens_per_second =
          static_cast<double>(stats.eval_count) /
          (static_cast<double>(stats.eval_duration) / 1e9);
    }
  } else if (IsOpenAiGeneration(served.path) && served.streamed &&
             expected.outcome == "ok" && stats.eval_count >= 2 &&
             served.content_chunks_sent >= 2) {
    expected.speed = script.chunk_delay_ms >= 20
                         ? ExpectedRecord::Speed::kMeasured
                         : ExpectedRecord::Speed::kMaybe;
    // (tokens - 1) over the time from the first content chunk to the last.
    const double span_seconds =
        (served.content_chunks_sent - 1) * script.chunk_delay_ms / 1000.0;
    if (span_seconds > 0) {
      expected.tokens_per_second =
          static_cast<double>(stats.eval_count - 1) / span_seconds;
    }
  }

  if (!served.client_went_away) {
    const int gaps =
        served.streamed && served.writes_sent > 1 ? served.writes_sent - 1 : 0;
    expected.min_request_seconds =
        (script.first_byte_delay_ms + gaps * script.chunk_delay_ms) / 1000.0;
    if (expected.time_to_first_token) {
      expected.min_first_token_seconds = script.first_byte_delay_ms / 1000.0;
    }
  }
  return expected;
}

std::string StripUsageEvents(std::string_view sse_body) {
  std::string kept;
  size_t start = 0;
  while (start < sse_body.size()) {
    const size_t end = sse_body.find("\n\n", start);
    const size_t next =
        end == std::string_view::npos ? sse_body.size() : end + 2;
    const std::string_view event = sse_body.substr(start, next - start);
    if (end == std::string_view::npos || !IsUsageEvent(event)) {
      kept.append(event);
    }
    start = next;
  }
  return kept;
}

std::string ExpectedClientBody(const ServedRequest& served,
                               bool client_asked_usage) {
  const bool injected = served.include_usage && !client_asked_usage;
  return injected ? StripUsageEvents(served.body_sent) : served.body_sent;
}

}  // namespace ollama_exporter::integration
