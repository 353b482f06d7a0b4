#pragma once

#include <map>
#include <mutex>
#include <string>

struct mg_connection;
struct mg_context;

namespace ollama_exporter::testing {

// An HTTP server on 127.0.0.1 (CivetWeb, free port) that answers GET
// /api/version, /api/tags and /api/ps with a canned status and body;
// unset paths get 404. Enough to drive one collector through the real
// OllamaClient.
//
// One server serves the whole test program and is never stopped: mg_stop
// waits up to 2 s for CivetWeb's accept loop, and process exit ends it
// anyway. Tests set every answer they rely on.
//
// Thread safety: Answer() may be called while requests are served.
class CannedServer {
 public:
  // The program's server, started on first use; fails the test if it
  // cannot start.
  static CannedServer& Shared();

  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  // Answers GET `path` with `status` and `body` from now on.
  void Answer(const std::string& path, int status, std::string body);

  // "http://127.0.0.1:<port>".
  const std::string& url() const { return url_; }

 private:
  struct Reply {
    int status;
    std::string body;
  };

  CannedServer();

  static int Handle(mg_connection* connection, void* self);

  std::mutex mu_;
  std::map<std::string, Reply> replies_;  // Guarded by mu_.
  mg_context* context_ = nullptr;
  std::string url_;
};

// "http://127.0.0.1:<port>" for a port that was just free and has no
// listener, so connecting is refused.
std::string RefusingUrl();

}  // namespace ollama_exporter::testing
