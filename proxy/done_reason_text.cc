#include "proxy/done_reason_text.h"

namespace ollama_exporter::proxy {

DoneReason DoneReasonFromText(std::string_view text) {
  if (text.empty()) return DoneReason::kNone;
  if (text == "stop" || text == "tool_calls" || text == "end_turn" ||
      text == "stop_sequence" || text == "tool_use") {
    return DoneReason::kStop;
  }
  if (text == "length" || text == "max_tokens" || text == "max_output_tokens") {
    return DoneReason::kLength;
  }
  if (text == "load") return DoneReason::kLoad;
  if (text == "unload") return DoneReason::kUnload;
  return DoneReason::kOther;
}

}  // namespace ollama_exporter::proxy
