#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::proxy {

// Checks the Ollama base URL the proxy relays to and returns it in the
// form request paths are appended to: "http://127.0.0.1:11434",
// "https://gw.example.net/ollama" (scheme, host, port when given, path
// prefix without its trailing '/'). kInvalidArgument, saying why, for a
// scheme other than http/https, a missing host, or a query, fragment or
// user name in it.
Status ParseUpstreamUrl(std::string_view url, std::string* base);

}  // namespace ollama_exporter::proxy
