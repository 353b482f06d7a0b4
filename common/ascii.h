#pragma once

#include <string>
#include <string_view>

namespace ollama_exporter {

// ASCII case folding, as HTTP header names, media types, Go's JSON keys
// and Ollama's model names compare: only A-Z change, other bytes (UTF-8
// included) compare exactly. Pure.

std::string AsciiLower(std::string_view text);

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);

}  // namespace ollama_exporter
