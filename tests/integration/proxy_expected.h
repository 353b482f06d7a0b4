#pragma once

#include <string>
#include <string_view>

#include "inference_script.h"
#include "served_request.h"

namespace ollama_exporter::integration {

// What the proxy must record for one measured request, worked out from
// what the fake sent (ServedRequest) rather than from the proxy's code:
// the labels of its series and the values it adds. Value type.
struct ExpectedRecord {
  // How the decode speed (ollama_eval_tokens_per_second and the
  // ollama_inference_tokens_per_second record) must come out.
  enum class Speed {
    kNone,      // Not measured.
    kExact,     // eval_count / eval_duration: tokens_per_second.
    kMeasured,  // Measured by the proxy from chunk times: some value > 0.
    kMaybe,     // Measured only if the chunks came >= 1 ms apart.
  };

  std::string model;        // The `model` label.
  std::string endpoint;     // "/api/chat", ...
  std::string outcome;      // "ok", "client_error", ...
  std::string done_reason;  // "stop", ..., "none".
  // Counts and nanosecond durations added; 0 adds nothing (a record of
  // 0 or none).
  FinalStats stats;
  bool time_to_first_token = false;  // Observed once.
  Speed speed = Speed::kNone;
  // kExact: the value; kMeasured: what chunks exactly as far apart as
  // scripted give (the real spacing is a little longer).
  double tokens_per_second = 0;
  // Lower bounds the script's delays set (0 when there is none); the
  // time to first token's only when it is observed.
  double min_request_seconds = 0;
  double min_first_token_seconds = 0;
};

// The record of `served` under `model_label`, for a request the fake
// answered under `script`:
// - outcome: client_canceled when the client went away, server_error
//   when no status was sent or a status outside 2xx/4xx, client_error
//   for 4xx, stream_error for a 2xx stream that ended with the error or
//   was cut, else ok;
// - done_reason: the fake's reason folded into the bounded set;
// - time to first token: a stream that sent a content chunk;
// - speed: exact from the native stats with >= 2 tokens over >= 1 ms;
//   measured on /v1 streams that ended ok with >= 2 tokens over content
//   chunks >= 20 ms apart, maybe with less spacing; else none;
// - durations at least the first byte delay, plus the chunk delays
//   between the writes of a stream, unless the client went away.
ExpectedRecord ExpectRecord(const std::string& model_label,
                            const ServedRequest& served,
                            const InferenceScript& script);

// The bounded done_reason of a reason string the fake sent ("" -> none).
std::string DoneReasonOf(std::string_view reason);

// `sse_body` without the usage-only events (data whose JSON has
// "choices":[] and a "usage" object): what a client that did not ask for
// usage gets when the proxy asked for it. Other bytes are kept as they
// are, an unterminated last event too.
std::string StripUsageEvents(std::string_view sse_body);

// What the client must receive of `served`: body_sent, with the usage
// events stripped when the proxy asked for usage on the client's behalf
// (the fake saw include_usage, the client had not asked).
std::string ExpectedClientBody(const ServedRequest& served,
                               bool client_asked_usage);

}  // namespace ollama_exporter::integration
