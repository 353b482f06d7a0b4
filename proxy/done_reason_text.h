#pragma once

#include <string_view>

#include "proxy/inference_facts.h"

namespace ollama_exporter::proxy {

// Folds a reason string from any reply shape into the bounded set:
// Ollama's done_reason, OpenAI's finish_reason ("tool_calls" replaces
// "stop"), Anthropic's stop_reason ("end_turn", "stop_sequence",
// "tool_use"; "max_tokens" is a length cut) and the Responses API's
// incomplete reason "max_output_tokens". "" is kNone; unknown strings are
// kOther. Pure.
DoneReason DoneReasonFromText(std::string_view text);

}  // namespace ollama_exporter::proxy
