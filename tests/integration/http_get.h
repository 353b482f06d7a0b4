#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::integration {

struct HttpReply {
  long status = 0;
  std::string content_type;  // "" when the reply had none.
  std::string body;
};

enum class HttpMethod { kGet, kHead, kPost };  // POST with an empty body.

// Sends one request with libcurl, ignoring any proxy settings, within
// `timeout_ms`. Any HTTP status is OK (in *reply). kDeadlineExceeded on
// timeout, kUnavailable for every other transfer failure (refused, empty
// reply), with libcurl's error text.
// Thread safety: any thread; each call uses its own handle.
Status HttpRequest(HttpMethod method, const std::string& url, int timeout_ms,
                   HttpReply* reply);

inline Status HttpGet(const std::string& url, int timeout_ms,
                      HttpReply* reply) {
  return HttpRequest(HttpMethod::kGet, url, timeout_ms, reply);
}

// Percent-encodes `text` for a query string value.
std::string UrlEscape(std::string_view text);

}  // namespace ollama_exporter::integration
