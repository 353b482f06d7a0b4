#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace ollama_exporter::proxy::testing {

struct RelayRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value" lines.
  std::string body;                  // Sent when `sends_body`.
  bool sends_body = false;
  // A generated body instead: fills up to `size` bytes, returns the count
  // (0 ends it). Sent chunked when upload_length < 0.
  std::function<size_t(char*, size_t)> upload;
  long long upload_length = -1;
  // Sees each body piece as it arrives; false hangs up at once.
  std::function<bool(const std::string&)> on_piece;
  long timeout_ms = 10000;
};

struct RelayReply {
  bool transferred = false;  // False when libcurl failed (see error).
  std::string error;
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<std::string> pieces;  // As the write callback got them.

  // The first header named `name` (any case), or "" when absent.
  std::string Header(const std::string& name) const;
  int CountHeader(const std::string& name) const;
};

// A libcurl client that keeps its connection between requests (keep-alive
// can be observed), never decodes bodies, and hands out body pieces as
// they arrive. Bodies over 1 MiB go with "Expect: 100-continue", and the
// client waits up to 10 s for the "100 Continue".
//
// Thread safety: one thread per client.
class RelayTestClient {
 public:
  RelayTestClient();
  ~RelayTestClient();
  RelayTestClient(const RelayTestClient&) = delete;
  RelayTestClient& operator=(const RelayTestClient&) = delete;

  RelayReply Send(const RelayRequest& request);

  // Connections opened by every request so far.
  long connections_opened() const { return connections_opened_; }

 private:
  void* curl_;  // CURL*
  long connections_opened_ = 0;
};

}  // namespace ollama_exporter::proxy::testing
