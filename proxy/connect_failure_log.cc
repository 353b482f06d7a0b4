#include "proxy/connect_failure_log.h"

#include "common/log.h"
#include "common/time_format.h"

namespace ollama_exporter::proxy {

void ConnectFailureLog::Failed(const std::string& upstream,
                               const std::string& error) {
  int64_t failures;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!streak_.Fail(NowMillis())) return;
    failures = streak_.failures();
  }
  LOG_WARN("proxy cannot reach ollama",
           {log::Field("upstream", upstream), log::Field("err", error),
            log::Field("failures", failures)});
}

void ConnectFailureLog::Reached(const std::string& upstream) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!streak_.Succeed()) return;
  }
  LOG_INFO("proxy reaches ollama again", {log::Field("upstream", upstream)});
}

}  // namespace ollama_exporter::proxy
