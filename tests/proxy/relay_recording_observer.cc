#include "relay_recording_observer.h"

#include <chrono>
#include <utility>

namespace ollama_exporter::proxy::testing {

class RecordingObserver final : public ExchangeObserver {
 public:
  RecordingObserver(RecordingObserverFactory* factory, size_t index)
      : factory_(factory), index_(index) {}

  void OnRequestBody(std::string* body) override {
    factory_->Record(index_, "body:" + *body, false);
    if (factory_->rewrite_body) factory_->rewrite_body(body);
  }

  void OnResponseStart(int status, std::string_view content_type) override {
    factory_->Record(
        index_,
        "start:" + std::to_string(status) + ":" + std::string(content_type),
        false);
  }

  std::string_view OnResponseBytes(std::string_view piece) override {
    factory_->Record(index_, "bytes:" + std::string(piece), false);
    if (!factory_->rewrite_piece) return piece;
    rewritten_ = factory_->rewrite_piece(piece);
    return rewritten_;
  }

  std::string_view OnEnd(ExchangeEnd end) override {
    factory_->Record(
        index_, std::string("end:") + std::string(ExchangeEndName(end)), true);
    return factory_->at_end;
  }

 private:
  RecordingObserverFactory* factory_;
  size_t index_;
  std::string rewritten_;  // The last piece, as rewrite_piece returned it.
};

std::unique_ptr<ExchangeObserver> RecordingObserverFactory::Observe(
    std::string_view, std::string_view path) {
  if (path.rfind("/api/", 0) != 0) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  logs_.emplace_back();
  return std::make_unique<RecordingObserver>(this, logs_.size() - 1);
}

void RecordingObserverFactory::Record(size_t index, std::string entry,
                                      bool ended) {
  std::lock_guard<std::mutex> lock(mu_);
  logs_[index].push_back(std::move(entry));
  if (ended) ++ended_;
  changed_.notify_all();
}

bool RecordingObserverFactory::WaitEnded(size_t count, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return ended_ >= count; });
}

std::vector<ObserverLog> RecordingObserverFactory::Logs() {
  std::lock_guard<std::mutex> lock(mu_);
  return logs_;
}

std::vector<ObserverLog> RecordingObserverFactory::JoinedLogs() {
  std::vector<ObserverLog> joined;
  for (const ObserverLog& log : Logs()) {
    ObserverLog entries;
    for (const std::string& entry : log) {
      bool bytes = entry.rfind("bytes:", 0) == 0;
      if (bytes && !entries.empty() && entries.back().rfind("bytes:", 0) == 0) {
        entries.back() += entry.substr(6);
      } else {
        entries.push_back(entry);
      }
    }
    joined.push_back(std::move(entries));
  }
  return joined;
}

}  // namespace ollama_exporter::proxy::testing
