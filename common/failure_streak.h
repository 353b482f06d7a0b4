#pragma once

#include <cstdint>

namespace ollama_exporter {

// Decides when a run of repeated failures is worth a log line: the first
// failure of a run, then at most one line per `every_ms` while it lasts,
// and one line when it ends. Keeps logs short while Ollama stays down.
//
// Thread safety: none; one owner.
class FailureStreak {
 public:
  explicit FailureStreak(int64_t every_ms) : every_ms_(every_ms) {}

  // Records a failure at now_ms. True when it should be logged.
  bool Fail(int64_t now_ms);

  // Records a success. True when it ends a run (log the recovery).
  bool Succeed();

  // Failures in the current run, including the one just recorded.
  int64_t failures() const { return failures_; }

 private:
  int64_t every_ms_;
  int64_t failures_ = 0;
  int64_t last_logged_ms_ = 0;
};

}  // namespace ollama_exporter
