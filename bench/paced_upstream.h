#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::bench {

// A stand-in upstream for timing each chunk: answers every request with
// 200, application/x-ndjson, chunked, `chunks` lines shaped as
// /api/generate's (a final done line after them), one HTTP chunk per line,
// `delay_us` apart. Each line's "response" is the CLOCK_MONOTONIC time in
// ns (SteadyNanos) just before it was written, so a client on this
// machine can tell each chunk's latency. The fake Ollama cannot: it does
// not report when it wrote a chunk. Connections are kept alive.
//
// Thread safety: Start() and destruction from one thread; one thread per
// connection serves it.
// Ownership: owns its socket and threads; destruction closes both.
class PacedUpstream {
 public:
  // Listens on 127.0.0.1 with a free port. kUnavailable when it cannot.
  [[nodiscard]] static Status Start(int chunks, int delay_us,
                                    std::unique_ptr<PacedUpstream>* upstream);

  ~PacedUpstream();
  PacedUpstream(const PacedUpstream&) = delete;
  PacedUpstream& operator=(const PacedUpstream&) = delete;

  // "http://127.0.0.1:<port>".
  std::string url() const;

 private:
  PacedUpstream(int listen_fd, int port, int chunks, int delay_us);

  void Accept();
  void Serve(int fd);

  const int listen_fd_;
  const int port_;
  const int chunks_;
  const int delay_us_;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> connections_;  // Guarded by mu_.
  std::vector<int> connection_fds_;       // Guarded by mu_.
};

// CLOCK_MONOTONIC in ns: steady_clock, the same in every process.
int64_t SteadyNanos();

// The send time a PacedUpstream line carries ({"response":"<ns>"}), or -1
// when the line has none (the done line).
int64_t SentNanos(std::string_view line);

}  // namespace ollama_exporter::bench
