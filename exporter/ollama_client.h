#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter {

struct OllamaClientOptions {
  std::string base_url = "http://127.0.0.1:11434";  // No trailing slash.
  int64_t timeout_ms = 5000;                        // Whole request.
  size_t max_body_bytes = 32 << 20;                 // Larger replies fail.
  // When set and true, a request in flight ends at once with kUnavailable
  // ("canceled"), so shutdown need not wait for a hung Ollama.
  const std::atomic<bool>* cancel = nullptr;
};

// GET requests to Ollama over one reused libcurl handle.
//
// Thread safety: none; use from one thread. curl_global_init must have
// run (main() does it).
class OllamaClient {
 public:
  // kInvalidArgument when libcurl cannot be set up with these options.
  static Status Create(const OllamaClientOptions& options,
                       std::unique_ptr<OllamaClient>* client);

  ~OllamaClient();
  OllamaClient(const OllamaClient&) = delete;
  OllamaClient& operator=(const OllamaClient&) = delete;

  // GET base_url + path into *body on HTTP 200. Errors:
  // kDeadlineExceeded on timeout; kUnavailable when the connection fails
  // or Ollama answers 5xx; kFailedPrecondition on any other status (4xx)
  // or an oversized reply. Messages name the path, status and cause.
  Status Get(std::string_view path, std::string* body);

  const std::string& base_url() const { return options_.base_url; }

 private:
  explicit OllamaClient(const OllamaClientOptions& options);

  OllamaClientOptions options_;
  void* curl_ = nullptr;  // CURL*, kept opaque to keep curl.h out.
};

}  // namespace ollama_exporter
