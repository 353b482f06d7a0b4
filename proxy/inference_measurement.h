#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "proxy/exchange_observer.h"
#include "proxy/inference_history.h"
#include "proxy/inference_metrics.h"
#include "proxy/model_labeler.h"

namespace ollama_exporter::proxy {

// Measures the inference requests the proxy relays (inference_endpoint.h
// says which): for each one it reads the request body, applies the /v1
// usage policy, reads the reply as it streams past, and when the exchange
// ends records the facts in `metrics` and `history` under the model label
// `labeler` hands out. The request counts in ollama_requests_in_flight
// from its body's arrival to its end. Every other request gets no
// observer and is relayed untouched.
//
// The /v1 usage policy: a streamed /v1/chat/completions or /v1/completions
// request that did not ask for stream_options.include_usage is sent
// upstream asking for it, and the usage-only chunk is removed from the
// client's stream, so tokens are counted without the client seeing a
// difference. A client that asked gets the stream as Ollama sent it.
//
// Thread safety: Observe() from any thread; each observer is used by one.
// Ownership: borrows everything; all must outlive the observers, i.e. the
// proxy server using this factory.
class InferenceMeasurement final : public ExchangeObserverFactory {
 public:
  // `now_ms` stamps history records (Unix ms); durations come from the
  // steady clock.
  InferenceMeasurement(ModelLabeler* labeler, InferenceMetrics* metrics,
                       InferenceHistory* history,
                       std::function<int64_t()> now_ms);

  std::unique_ptr<ExchangeObserver> Observe(std::string_view method,
                                            std::string_view path) override;

 private:
  ModelLabeler* const labeler_;
  InferenceMetrics* const metrics_;
  InferenceHistory* const history_;
  const std::function<int64_t()> now_ms_;
};

}  // namespace ollama_exporter::proxy
