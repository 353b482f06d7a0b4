#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter {

inline constexpr char kDefaultOllamaUrl[] = "http://127.0.0.1:11434";

// The base URL to poll for an OLLAMA_HOST value, read as the ollama CLI
// reads it (shared/reference/ollama-api.md section 10): whitespace and
// quotes trimmed; no scheme means http with port 11434; http:// without a
// port means 80, https:// 443; a path is kept as a prefix; bind addresses
// (0.0.0.0, ::, empty host) are dialled as loopback; an unparsable port
// falls back to the default. Empty -> kDefaultOllamaUrl. The result has no
// trailing slash, e.g. "http://127.0.0.1:11434" or "https://gw.lan:443/llm".
// kInvalidArgument only for a scheme other than http/https.
Status OllamaUrlFromHost(std::string_view ollama_host, std::string* url);

// `url` fit for logs: user and password, if any, replaced by "xxxxx"
// ("http://xxxxx@host:11434"). Anything else is returned unchanged.
std::string RedactCredentials(std::string_view url);

}  // namespace ollama_exporter
