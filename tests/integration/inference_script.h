#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::integration {

// The numbers a final chunk carries (shared/reference/ollama-api.md 5.4).
// A zero field, or an empty done_reason, is absent from the JSON, as
// Ollama's omitempty makes it. Durations are nanoseconds.
struct FinalStats {
  int64_t total_duration = 0;
  int64_t load_duration = 0;
  int64_t prompt_eval_count = 0;
  int64_t prompt_eval_duration = 0;
  int64_t eval_count = 0;
  int64_t eval_duration = 0;
  std::string done_reason;

  bool operator==(const FinalStats& other) const;

  bool operator!=(const FinalStats& other) const { return !(*this == other); }
};

// How the fake answers one inference request. The defaults answer like a
// healthy Ollama: three chunks ("Blue", " light", " scatters."), no delays,
// then a final chunk with the stats below.
//
// Time line of a streamed reply: wait first_byte_delay_ms; if
// hang_before_first_byte, hold until released (FakeOllama::Release) or
// hold_timeout_ms passed (then close without a byte); send the status
// and the first write; then chunk_delay_ms before each further write. A
// non-streamed reply is one write, sent after first_byte_delay_ms plus
// chunk_delay_ms for each chunk (the generation time). One write is what
// Ollama flushes for one native chunk: a line, or the SSE events built
// from it.
struct InferenceScript {
  // Chunks carrying generated text (or thinking), before the final one.
  int chunks = 3;
  // The first thinking_chunks of them carry `thinking` (native) or
  // `delta.reasoning` (/v1/chat/completions) instead of text; elsewhere
  // they carry text.
  int thinking_chunks = 0;
  int chunk_delay_ms = 0;
  int first_byte_delay_ms = 0;
  bool hang_before_first_byte = false;
  // Holds the last write of the reply (the done line, the SSE finish
  // group, or a whole non-streamed reply) until released or
  // hold_timeout_ms passed; then sends it (ServedRequest::hold_timed_out).
  bool hold_last_chunk = false;
  int hold_timeout_ms = 30000;

  // >= 0: after that many chunks, an error instead of the rest: native
  // streams get an `{"error":...}` line and no done chunk; /v1 chat and
  // completions streams end without `[DONE]` (the old chat shape sends an
  // empty delta first); /v1/responses and /v1/messages streams get an
  // `error` event. A non-streamed request gets 500 with the error body.
  int error_after_chunks = -1;
  std::string error_message =
      "an error was encountered while running the model: unexpected EOF";
  // >= 0: after that many chunks the connection is cut, with no error and
  // no end of the chunked body. A non-streamed request gets no reply.
  int close_after_chunks = -1;

  // Not 200: answers this status before any chunk, with Ollama's body
  // for it ({"error":...}; OpenAI-shaped on /v1, Anthropic-shaped on
  // /v1/messages). status_message replaces the usual text when set.
  int status = 200;
  std::string status_message;

  // The /v1/chat/completions stream shape before v0.32.6 (edge case 31).
  bool old_chat_sse = false;

  FinalStats stats = {912440118, 61210334, 14, 88410000, 3, 58802917, "stop"};
};

// The text of content chunk `index` in every reply: cycles through
// "Blue", " light", " scatters.", " Short", " waves", " win.".
std::string ScriptChunkText(int index);

// The reasoning text of thinking chunk `index`: "Think N. ".
std::string ScriptThinkingText(int index);

// Reads a script from JSON: an object whose members are the field names
// above (stats as an object of its field names); absent members keep
// their defaults. kInvalidArgument, naming the member, for anything
// else: not JSON, an unknown member, a wrong type, a negative count or
// delay, a status outside 100-599. On error *script is unchanged.
[[nodiscard]] Status ParseInferenceScript(std::string_view json,
                                          InferenceScript* script);

// The script as JSON, every member written; parses back to `script`.
std::string InferenceScriptJson(const InferenceScript& script);

}  // namespace ollama_exporter::integration
