#pragma once

#include <cstdint>
#include <optional>

#include "proxy/inference_facts.h"
#include "proxy/reply_fields.h"

namespace ollama_exporter::proxy {

// What one JSON object of a reply (an NDJSON line, an SSE event's data, or
// a whole non-streamed reply) says. Fields the object lacks stay unset.
struct ReplyChunk {
  bool is_error = false;     // An error in any shape.
  bool ends_stream = false;  // The stream's normal last chunk.
  bool has_content = false;  // Non-empty text, thinking or a tool call.
  std::optional<DoneReason> done_reason;
  std::optional<int64_t> prompt_tokens;
  std::optional<int64_t> generated_tokens;
  std::optional<int64_t> load_ns;  // Ollama durations, nanoseconds.
  std::optional<int64_t> prompt_eval_ns;
  std::optional<int64_t> eval_ns;
  std::optional<int64_t> total_ns;
};

// Reads an object from /api/generate, /api/chat, /api/embed or
// /api/embeddings: {"error": "..."}, done / done_reason, the counts and
// durations (negatives clamped to 0; wrongly typed fields read as absent),
// and content in response, thinking, tool_calls or message.{content,
// thinking, tool_calls}. Pure.
ReplyChunk ReadNativeChunk(const ReplyFields& object);

// Reads an object from a /v1 route, streamed or not: OpenAI chat and
// completion chunks and replies (choices[].delta / text / finish_reason,
// usage.prompt_tokens / completion_tokens), the Responses API
// (usage.input_tokens / output_tokens, status, "response.*" events) and
// Anthropic messages (stop_reason, message_start / message_delta usage,
// message_stop); errors as {"error": ...} in either shape or an Anthropic
// / Responses error event. Pure.
ReplyChunk ReadOpenAiChunk(const ReplyFields& object);

}  // namespace ollama_exporter::proxy
