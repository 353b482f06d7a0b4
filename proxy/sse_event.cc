#include "proxy/sse_event.h"

#include <string>

#include "proxy/reply_fields.h"

namespace ollama_exporter::proxy {

std::optional<std::string_view> SseDataValue(std::string_view line) {
  constexpr std::string_view kField = "data:";
  if (line.substr(0, kField.size()) != kField) return std::nullopt;
  line.remove_prefix(kField.size());
  if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return line;
}

bool IsUsageOnlyEvent(std::string_view event) {
  // Most events are text chunks; skip parsing those that cannot match.
  if (event.find("usage") == std::string_view::npos) return false;

  // Per the SSE format, several data lines join with "\n".
  std::string data;
  bool has_data = false;
  while (!event.empty()) {
    const size_t newline = event.find('\n');
    std::string_view line = event.substr(0, newline);
    event.remove_prefix(newline == std::string_view::npos ? event.size()
                                                          : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::optional<std::string_view> value = SseDataValue(line);
    if (!value) continue;
    if (has_data) data += '\n';
    data.append(*value);
    has_data = true;
  }

  ReplyFields fields;
  return ReadReplyFields(data, &fields) && fields.choices.array &&
         !fields.choices.entries && fields.own.usage.object;
}

}  // namespace ollama_exporter::proxy
