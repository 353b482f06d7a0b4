#pragma once

#include <string>

namespace ollama_exporter::http {

// Decompresses a whole gzip stream. False (and *out unspecified) when
// `data` is not exactly one valid gzip stream.
bool Gunzip(const std::string& data, std::string* out);

}  // namespace ollama_exporter::http
