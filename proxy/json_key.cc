#include "proxy/json_key.h"

#include "common/ascii.h"

namespace ollama_exporter::proxy {
bool KeyMatches(std::string_view key, std::string_view name) {
  return EqualsIgnoreAsciiCase(key, name);
}

}  // namespace ollama_exporter::proxy
