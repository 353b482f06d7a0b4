#pragma once

#include <optional>
#include <string_view>

namespace ollama_exporter::proxy {

// Pieces of the text/event-stream format as Ollama's /v1 routes write it
// ("data: <json>\n\n"). Pure functions.

// The value of an SSE "data:" line (after the colon and one optional
// space); nullopt for any other line. `line` has no terminator.
std::optional<std::string_view> SseDataValue(std::string_view line);

// Whether one event's bytes (its lines up to and including the blank line
// that ends it, or fewer at the end of a stream) are OpenAI's usage-only
// chunk: data that is a JSON object with "choices": [] and a "usage"
// object.
bool IsUsageOnlyEvent(std::string_view event);

}  // namespace ollama_exporter::proxy
