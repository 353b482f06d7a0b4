#include "proxy/json_key.h"

namespace ollama_exporter::proxy {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

}  // namespace

bool KeyMatches(std::string_view key, std::string_view name) {
  if (key.size() != name.size()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    if (LowerAscii(key[i]) != LowerAscii(name[i])) return false;
  }
  return true;
}

}  // namespace ollama_exporter::proxy
