#pragma once

#include <map>
#include <string>
#include <vector>

#include <curl/curl.h>

namespace ollama_exporter::http {

// What came back from one request.
struct HttpReply {
  bool transferred = false;  // False when libcurl failed (see error).
  std::string error;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // Names in lower case.

  // The header's value, or "" when absent.
  std::string Header(const std::string& lower_case_name) const;
};

// A libcurl client for one server, reusing its connection between requests
// (so keep-alive can be observed). Bodies are returned as sent: gzip is not
// decoded. Every request gives up after 10 s.
//
// Thread safety: one thread per client.
class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `target` is the path and query, sent as given ("/x?a=%20").
  HttpReply Get(const std::string& target,
                const std::vector<std::string>& headers = {});
  HttpReply Send(const std::string& method, const std::string& target,
                 const std::string& body = "",
                 const std::vector<std::string>& headers = {});

  // New connections the last request opened (0 when one was reused).
  long last_new_connections() const { return last_new_connections_; }

 private:
  std::string base_url_;
  CURL* curl_;
  long last_new_connections_ = 0;
};

}  // namespace ollama_exporter::http
