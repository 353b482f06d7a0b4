#pragma once

#include <mutex>
#include <string>

#include "common/failure_streak.h"

namespace ollama_exporter::proxy {

// Logs the relay's failures to reach upstream without flooding the log
// while Ollama is down: a warning at the first failure of a run, then at
// most one per `every_ms`, and an info line when upstream answers again.
//
// Thread safety: any method, any thread.
class ConnectFailureLog {
 public:
  explicit ConnectFailureLog(int64_t every_ms) : streak_(every_ms) {}

  // A request got no reply head from `upstream` because of `error`.
  void Failed(const std::string& upstream, const std::string& error);

  // A request got a reply head from upstream.
  void Reached(const std::string& upstream);

 private:
  std::mutex mu_;
  FailureStreak streak_;  // Guarded by mu_.
};

}  // namespace ollama_exporter::proxy
