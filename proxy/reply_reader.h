#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "proxy/bounded_line_splitter.h"
#include "proxy/exchange_observer.h"
#include "proxy/inference_facts.h"
#include "proxy/inference_request.h"

namespace ollama_exporter::proxy {

// Reads one upstream inference reply as it streams past, into
// InferenceFacts, holding only the current unfinished line.
//
// The body's framing follows the Content-Type: "application/x-ndjson"
// (native streams) and "text/event-stream" (/v1 streams: "data:" lines,
// "[DONE]") are streams that must end normally; anything else is a single
// reply (JSON, or a plain-text router error that simply yields nothing).
// Objects are read with ReadNativeChunk on /api/* and ReadOpenAiChunk on
// /v1/*. A stream line over max_line_bytes, or a single reply over
// max_single_reply_bytes, is not parsed (its facts are lost, the reply is
// still counted); it is never an error. Memory: the unfinished line, so up
// to max_single_reply_bytes while a large single reply arrives.
//
// Timings: time_to_first_token_seconds is the elapsed time of the first
// chunk with content, in streams only. tokens_per_second is eval_count /
// eval_duration for native replies and, for /v1 streams,
// (completion tokens - 1) / (last content time - first content time);
// both need at least 2 tokens over at least 1 ms.
//
// Outcome, decided at OnEnd: client_canceled when the client went away;
// otherwise server_error without a status or with one outside 2xx and 4xx,
// client_error for 4xx; for 2xx, stream_error when an error line/event
// came, or when neither the normal end (done:true, [DONE], message_stop,
// response.completed) nor a complete single reply arrived; else ok.
//
// Thread safety: none; the transport calls it from one thread.
class ReplyReader {
 public:
  static constexpr size_t kMaxLineBytes = size_t{1} << 20;
  // A single reply is one line too, but may be large (an embedding batch:
  // about 15 KB per 768-dimension vector) and carries its counts last.
  static constexpr size_t kMaxSingleReplyBytes = size_t{64} << 20;

  ReplyReader(InferenceEndpoint endpoint, const InferenceRequest& request,
              size_t max_line_bytes = kMaxLineBytes,
              size_t max_single_reply_bytes = kMaxSingleReplyBytes);

  // Upstream's status and Content-Type; call at most once, before bytes.
  void OnResponseStart(int status, std::string_view content_type);

  // A piece of body, split anywhere; `elapsed_seconds` is the time since
  // the request was sent upstream.
  void OnResponseBytes(std::string_view piece, double elapsed_seconds);

  // The end of the exchange; completes facts() (request_seconds too).
  void OnEnd(ExchangeEnd end, double elapsed_seconds);

  // Complete only after OnEnd.
  const InferenceFacts& facts() const { return facts_; }

 private:
  enum class Framing { kSingle, kNdjson, kSse };

  void ReadLine(std::string_view line, double elapsed_seconds);
  void ReadObject(std::string_view text, double elapsed_seconds);
  Outcome DecideOutcome(ExchangeEnd end) const;
  void ComputeRates();

  InferenceFacts facts_;
  Framing framing_ = Framing::kSingle;
  // Stream lines until OnResponseStart tells a single reply.
  std::optional<BoundedLineSplitter> lines_;
  const size_t max_single_reply_bytes_;
  bool saw_error_ = false;
  bool saw_end_ = false;
  std::optional<double> first_content_seconds_;
  std::optional<double> last_content_seconds_;
};

}  // namespace ollama_exporter::proxy
