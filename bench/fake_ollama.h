#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "civetweb.h"
#include "common/status.h"

namespace ollama_exporter::bench {

// The Ollama replies a fake serves: `models` models installed, every one
// of them loaded, with the fields of Ollama 0.30 (docs: the reference
// notes on /api/tags and /api/ps). The same bodies every time.
struct FakeOllamaReplies {
  std::string version;  // GET /api/version
  std::string tags;     // GET /api/tags
  std::string ps;       // GET /api/ps
};

FakeOllamaReplies MakeFakeOllamaReplies(int models);

// A minimal Ollama for benchmarks: serves `replies` on 127.0.0.1 at a port
// the system picks; other paths get a 404.
//
// Thread safety: url() and requests() from any thread.
// Ownership: destruction stops the server, waiting for requests in flight.
class FakeOllama {
 public:
  // Starts serving. kUnavailable when CivetWeb cannot start or bind; on
  // error *server is unchanged.
  [[nodiscard]] static Status Start(FakeOllamaReplies replies,
                                    std::unique_ptr<FakeOllama>* server);

  ~FakeOllama();
  FakeOllama(const FakeOllama&) = delete;
  FakeOllama& operator=(const FakeOllama&) = delete;

  // "http://127.0.0.1:PORT".
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Requests answered so far, 404s included.
  long requests() const { return requests_.load(); }

 private:
  explicit FakeOllama(FakeOllamaReplies replies);

  static int Serve(mg_connection* conn, void* self);

  const FakeOllamaReplies replies_;
  mg_context* context_ = nullptr;
  int port_ = 0;
  std::atomic<long> requests_{0};
};

}  // namespace ollama_exporter::bench
