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

// A libcurl handle that keeps its connection open between requests, as
// Prometheus or a dashboard polling the exporter does. Each request
// answers as HttpRequest; a connection the server closed is reopened.
//
// Thread safety: one thread at a time per client.
// Ownership: owns the handle and its open connection.
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // As HttpRequest, on the kept connection when the server allows it.
  // kInternal when libcurl could not make a handle.
  [[nodiscard]] Status Request(HttpMethod method, const std::string& url,
                               int timeout_ms, HttpReply* reply);

  [[nodiscard]] Status Get(const std::string& url, int timeout_ms,
                           HttpReply* reply) {
    return Request(HttpMethod::kGet, url, timeout_ms, reply);
  }

  // Connections opened by all requests so far: stays put while the
  // server keeps the connection alive.
  long connections_opened() const { return connections_opened_; }

 private:
  void* curl_;  // A CURL*, so that curl.h stays out of this header.
  long connections_opened_ = 0;
};

// Percent-encodes `text` for a query string value.
std::string UrlEscape(std::string_view text);

}  // namespace ollama_exporter::integration
