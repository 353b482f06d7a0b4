#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "inference_request.h"
#include "inference_script.h"

namespace ollama_exporter::integration {

// One write of a reply: what Ollama flushes for one native chunk (an
// NDJSON line, or the SSE events built from that chunk).
struct ReplyWrite {
  std::string bytes;
  bool content = false;  // Carries generated text or thinking.
  // The stats the reply carries once this write is out, when it carries
  // any: the native final chunk, the /v1 finish group (done_reason, plus
  // the token counts when it has usage), a whole non-streamed reply.
  // Fields the shape cannot carry stay zero (no durations on /v1).
  std::optional<FinalStats> stats;
};

// Everything the fake sends for one request, before timing is applied.
struct ReplyPlan {
  int status = 200;  // 0: nothing at all is sent, the connection closes.
  std::string content_type;
  bool streamed = false;  // Chunked, one HTTP chunk per write.
  std::vector<ReplyWrite> writes;
  // The reply ends with the script's mid-stream error (native error line,
  // SSE error event, or a /v1 chat/completions stream without [DONE]).
  bool stream_error = false;
  // The connection is cut after the writes, in the middle of the body.
  bool cut = false;
  // A non-streamed reply waits this long before its one write: the time
  // the generation took (chunks * chunk_delay_ms).
  int generation_delay_ms = 0;
};

// When the writes happen and how to name them: `first_write` stamps
// created_at/created (later writes add chunk_delay_ms each); `sequence`
// makes ids ("chatcmpl-<sequence % 999>", "cmpl-...", "resp_...",
// "msg_...").
struct PlanContext {
  std::chrono::system_clock::time_point first_write;
  int sequence = 0;
  bool model_installed = true;
};

// What Ollama answers `request` under `script`, exactly as
// shared/reference/ollama-api.md sections 5-7 shows it, in this order:
// a body problem -> 400; chat without a model -> 400 "model is required";
// a model not installed -> 404 `model '<name>' not found` (embed routes:
// `model "<name>" not found, try pulling it first`); /v1 chat with
// "messages":[] -> 400; script.status != 200 -> that status; a native
// load/unload request -> one JSON object with done_reason load/unload;
// else the script's chunks and final reply. Errors are {"error":"..."},
// OpenAI-shaped on /v1 and {"type":"error","error":{...}} on
// /v1/messages. `body_status` is the result of ParseInferenceRequest.
// /v1/responses and /v1/messages follow OpenAI's and Anthropic's
// published shapes (the reference does not show them); their usage
// rides on response.completed and message_delta.
ReplyPlan PlanInferenceReply(const Status& body_status,
                             const InferenceRequest& request,
                             const InferenceScript& script,
                             const PlanContext& context);

// "2026-08-21T12:30:01.104222Z": RFC 3339 UTC, fraction without trailing
// zeros (none when whole seconds), as Go writes created_at.
std::string Rfc3339Nanos(std::chrono::system_clock::time_point time);

}  // namespace ollama_exporter::integration
