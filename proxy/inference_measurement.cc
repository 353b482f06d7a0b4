#include "proxy/inference_measurement.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "proxy/content_type.h"
#include "proxy/include_usage_rewrite.h"
#include "proxy/inference_endpoint.h"
#include "proxy/inference_request.h"
#include "proxy/reply_reader.h"
#include "proxy/usage_chunk_filter.h"

namespace ollama_exporter::proxy {
namespace {

using Clock = std::chrono::steady_clock;

class InferenceObserver final : public ExchangeObserver {
 public:
  InferenceObserver(InferenceEndpoint endpoint, ModelLabeler* labeler,
                    InferenceMetrics* metrics, InferenceHistory* history,
                    const std::function<int64_t()>* now_ms)
      : endpoint_(endpoint),
        labeler_(labeler),
        metrics_(metrics),
        history_(history),
        now_ms_(now_ms),
        sent_(Clock::now()) {}

  void OnRequestBody(std::string* body) override {
    InferenceRequest request = ReadInferenceRequest(endpoint_, *body);
    injected_usage_ =
        NeedsUsageInjection(endpoint_, request) && InjectIncludeUsage(body);
    Begin(request);
  }

  void OnResponseStart(int status, std::string_view content_type) override {
    reader_->OnResponseStart(status, content_type);
    if (injected_usage_ && IsEventStream(content_type)) filter_.emplace();
  }

  std::string_view OnResponseBytes(std::string_view piece) override {
    reader_->OnResponseBytes(piece, Elapsed());
    return filter_ ? filter_->Feed(piece) : piece;
  }

  std::string_view OnEnd(ExchangeEnd end) override {
    const std::string_view held_back =
        filter_ ? filter_->Finish() : std::string_view();
    reader_->OnEnd(end, Elapsed());
    metrics_->Record(label_, reader_->facts());
    history_->Record(label_.value, reader_->facts(), (*now_ms_)());
    in_flight_->End();
    return held_back;
  }

 private:
  void Begin(const InferenceRequest& request) {
    reader_.emplace(endpoint_, request);
    label_ = labeler_->Label(request.model);
    in_flight_.emplace(metrics_->Begin(label_.value));
    // Timings run from the moment the body goes upstream.
    sent_ = Clock::now();
  }

  double Elapsed() const {
    return std::chrono::duration<double>(Clock::now() - sent_).count();
  }

  const InferenceEndpoint endpoint_;
  ModelLabeler* const labeler_;
  InferenceMetrics* const metrics_;
  InferenceHistory* const history_;
  const std::function<int64_t()>* const now_ms_;
  Clock::time_point sent_;
  bool injected_usage_ = false;
  ModelLabel label_;
  std::optional<ReplyReader> reader_;
  // Only for an event stream whose usage chunk the client did not ask for.
  std::optional<UsageChunkFilter> filter_;
  std::optional<InferenceMetrics::InFlight> in_flight_;
};

}  // namespace

InferenceMeasurement::InferenceMeasurement(ModelLabeler* labeler,
                                           InferenceMetrics* metrics,
                                           InferenceHistory* history,
                                           std::function<int64_t()> now_ms)
    : labeler_(labeler),
      metrics_(metrics),
      history_(history),
      now_ms_(std::move(now_ms)) {}

std::unique_ptr<ExchangeObserver> InferenceMeasurement::Observe(
    std::string_view method, std::string_view path) {
  std::optional<InferenceEndpoint> endpoint = ClassifyInference(method, path);
  if (!endpoint) return nullptr;
  return std::make_unique<InferenceObserver>(*endpoint, labeler_, metrics_,
                                             history_, &now_ms_);
}

}  // namespace ollama_exporter::proxy
