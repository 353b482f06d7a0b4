#pragma once

#include <string>

#include <curl/curl.h>

#include "common/status.h"

namespace ollama_exporter::bench {

// A libcurl GET client that keeps one connection open between requests,
// as a dashboard or Prometheus polling the exporter would. Each request
// gives up after 10 s.
//
// libcurl must be initialised before the first client is made: by
// curl_global_init in main, or implicitly by curl_easy_init while only one
// thread uses libcurl.
// Thread safety: one thread per client.
class KeepAliveClient {
 public:
  KeepAliveClient();
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  // GETs `url` into *body and *http_status (both replaced). kUnavailable
  // when no reply came (the curl error in the message); any HTTP status,
  // 4xx and 5xx included, is a reply and OK.
  [[nodiscard]] Status Get(const std::string& url, std::string* body,
                           long* http_status);

  // Connections opened by all requests so far; stays put while the
  // connection is reused.
  long connections_opened() const { return connections_opened_; }

 private:
  CURL* curl_;
  long connections_opened_ = 0;
};

}  // namespace ollama_exporter::bench
