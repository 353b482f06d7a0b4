#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include "proxy/inference_facts.h"
#include "proxy/model_labeler.h"

namespace ollama_exporter::proxy {

// The proxy's Prometheus metrics (names, labels and buckets as in the
// proxy contract): per model and endpoint, counters of requests by
// outcome, tokens, done reasons and summed durations; per model,
// histograms of request duration, time to first token, load, prompt-eval
// and eval durations and decode speed, and the in-flight gauge; and
// ollama_exporter_proxy_model_overflows_total.
//
// A series exists from the first request that touches it (it may then
// stay at 0), except the overflow counter, which is always there. A value
// the facts leave unset changes nothing; so does a negative or non-finite
// one, which no honest reply produces.
//
// Cost: each label set's series are looked up in prometheus-cpp (label
// maps, hashing) once, then reached through a cached pointer, so a request
// costs a map lookup and its increments.
//
// Thread safety: any method, any thread; InFlight objects as values.
// Ownership: owns its registry. Model labels must come from a
// ModelLabeler, which bounds them (and so the cache).
class InferenceMetrics {
 public:
  // Holds one request in ollama_requests_in_flight{model} until it is
  // destroyed or End() is called. Movable; borrows the metrics, which
  // must outlive it.
  class InFlight {
   public:
    InFlight(InFlight&& other) noexcept;
    InFlight& operator=(InFlight&& other) noexcept;
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
    ~InFlight();  // End().

    // Takes the request out of the gauge; later calls do nothing.
    void End();

   private:
    friend class InferenceMetrics;
    explicit InFlight(prometheus::Gauge* gauge);

    prometheus::Gauge* gauge_;  // Null once ended or moved from.
  };

  InferenceMetrics();

  InferenceMetrics(const InferenceMetrics&) = delete;
  InferenceMetrics& operator=(const InferenceMetrics&) = delete;

  // Counts a request of `model_label` in flight from now on.
  InFlight Begin(const std::string& model_label);

  // Adds one finished request: ollama_requests_total and
  // ollama_done_reasons_total always, ollama_request_duration_seconds
  // always, every other counter and histogram when its fact is known, and
  // ollama_exporter_proxy_model_overflows_total when model.overflowed.
  void Record(const ModelLabel& model, const InferenceFacts& facts);

  // Every family with at least one series; fresh copies on each call.
  std::vector<prometheus::MetricFamily> Collect() const;

 private:
  // The series a request of one {model, endpoint, outcome, done_reason}
  // touches; each null until first needed, as the series it points to
  // must not exist before.
  struct RequestSeries {
    prometheus::Counter* requests = nullptr;
    prometheus::Counter* done_reasons = nullptr;
    prometheus::Counter* prompt_tokens = nullptr;
    prometheus::Counter* generated_tokens = nullptr;
    prometheus::Counter* load_seconds_total = nullptr;
    prometheus::Counter* prompt_eval_seconds_total = nullptr;
    prometheus::Counter* eval_seconds_total = nullptr;
    prometheus::Histogram* request_seconds = nullptr;
    prometheus::Histogram* first_token_seconds = nullptr;
    prometheus::Histogram* load_seconds = nullptr;
    prometheus::Histogram* prompt_eval_seconds = nullptr;
    prometheus::Histogram* eval_seconds = nullptr;
    prometheus::Histogram* tokens_per_second = nullptr;
  };

  using RequestKey =
      std::tuple<std::string, InferenceEndpoint, Outcome, DoneReason>;

  prometheus::Registry registry_;

  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& prompt_tokens_;
  prometheus::Family<prometheus::Counter>& generated_tokens_;
  prometheus::Family<prometheus::Counter>& done_reasons_;
  prometheus::Family<prometheus::Counter>& load_seconds_total_;
  prometheus::Family<prometheus::Counter>& prompt_eval_seconds_total_;
  prometheus::Family<prometheus::Counter>& eval_seconds_total_;
  prometheus::Counter& model_overflows_;

  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Family<prometheus::Histogram>& first_token_seconds_;
  prometheus::Family<prometheus::Histogram>& load_seconds_;
  prometheus::Family<prometheus::Histogram>& prompt_eval_seconds_;
  prometheus::Family<prometheus::Histogram>& eval_seconds_;
  prometheus::Family<prometheus::Histogram>& tokens_per_second_;

  prometheus::Family<prometheus::Gauge>& in_flight_;

  std::mutex mu_;
  std::map<std::string, prometheus::Gauge*, std::less<>>
      in_flight_by_model_;  // Guarded by mu_.
  std::map<RequestKey, RequestSeries, std::less<>>
      by_request_;  // Guarded by mu_.
};

}  // namespace ollama_exporter::proxy
