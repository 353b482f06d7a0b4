#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::http {

// True when an Accept-Encoding header value admits gzip: it lists "gzip"
// (case-insensitive), or else "*", without "q=0".
bool AcceptsGzip(std::string_view accept_encoding);

// Compresses `data` into a gzip stream (RFC 1952), replacing *out.
// kInternal if zlib fails (out of memory, input over 2 GiB).
Status GzipCompress(std::string_view data, std::string* out);

}  // namespace ollama_exporter::http
