#include "proxy/content_type.h"

#include "common/ascii.h"

namespace ollama_exporter::proxy {
namespace {

// Whether the media type (before any ';') is `media_type`.
bool HasMediaType(std::string_view content_type, std::string_view media_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  const size_t begin = content_type.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return false;
  const size_t end = content_type.find_last_not_of(" \t");
  content_type = content_type.substr(begin, end + 1 - begin);
  return EqualsIgnoreAsciiCase(content_type, media_type);
}

}  // namespace

bool IsEventStream(std::string_view content_type) {
  return HasMediaType(content_type, "text/event-stream");
}

bool IsNdjsonStream(std::string_view content_type) {
  return HasMediaType(content_type, "application/x-ndjson");
}

}  // namespace ollama_exporter::proxy
