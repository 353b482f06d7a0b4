#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/exchange_observer.h"

namespace ollama_exporter::proxy::testing {

// What one observer saw, in call order: "body:<body>", "start:<status>:
// <content type>", "bytes:<piece>", "end:<complete|upstream_failed|
// client_gone>".
using ObserverLog = std::vector<std::string>;

// Observes paths starting with "/api/" and records every call. Optional
// hooks rewrite the request body, each forwarded piece, and add bytes at
// the end.
//
// Thread safety: Observe() and the accessors from any thread.
class RecordingObserverFactory final : public ExchangeObserverFactory {
 public:
  std::function<void(std::string*)> rewrite_body;
  std::function<std::string(std::string_view)> rewrite_piece;
  std::string at_end;

  std::unique_ptr<ExchangeObserver> Observe(std::string_view method,
                                            std::string_view path) override;

  // Waits up to `timeout_ms` until `count` observers have ended.
  bool WaitEnded(size_t count, int timeout_ms);

  // The logs of observers made so far, in creation order.
  std::vector<ObserverLog> Logs();

  // Each log with its "bytes:" entries joined into one, so a test can
  // compare order without depending on how TCP split the body.
  std::vector<ObserverLog> JoinedLogs();

 private:
  friend class RecordingObserver;
  void Record(size_t index, std::string entry, bool ended);

  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<ObserverLog> logs_;  // Guarded by mu_.
  size_t ended_ = 0;               // Guarded by mu_.
};

}  // namespace ollama_exporter::proxy::testing
