#include "common/failure_streak.h"

namespace ollama_exporter {

bool FailureStreak::Fail(int64_t now_ms) {
  ++failures_;
  if (failures_ == 1 || now_ms - last_logged_ms_ >= every_ms_) {
    last_logged_ms_ = now_ms;
    return true;
  }
  return false;
}

bool FailureStreak::Succeed() {
  bool ended = failures_ > 0;
  failures_ = 0;
  return ended;
}

}  // namespace ollama_exporter
