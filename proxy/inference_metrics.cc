#include "proxy/inference_metrics.h"

#include <optional>
#include <tuple>
#include <utility>

#include "proxy/measured_value.h"

namespace ollama_exporter::proxy {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Registry;

const Histogram::BucketBoundaries kRequestBuckets = {
    .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
const Histogram::BucketBoundaries kFirstTokenBuckets = {
    .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120};
const Histogram::BucketBoundaries kLoadBuckets = {.001, .01, .1, .5, 1,   2.5,
                                                  5,    10,  30, 60, 120, 300};
const Histogram::BucketBoundaries kPromptEvalBuckets = {
    .001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60};
const Histogram::BucketBoundaries kEvalBuckets = {.1, .25, .5, 1,   2.5, 5,
                                                  10, 30,  60, 120, 300, 600};
const Histogram::BucketBoundaries kTokensPerSecondBuckets = {
    1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000};

Family<Counter>& AddCounter(Registry* registry, const char* name,
                            const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(*registry);
}

Family<Histogram>& AddHistogram(Registry* registry, const char* name,
                                const char* help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(*registry);
}

}  // namespace

InferenceMetrics::InFlight::InFlight(prometheus::Gauge* gauge) : gauge_(gauge) {
  gauge_->Increment();
}

InferenceMetrics::InFlight::InFlight(InFlight&& other) noexcept
    : gauge_(std::exchange(other.gauge_, nullptr)) {}

InferenceMetrics::InFlight& InferenceMetrics::InFlight::operator=(
    InFlight&& other) noexcept {
  if (this != &other) {
    End();
    gauge_ = std::exchange(other.gauge_, nullptr);
  }
  return *this;
}

InferenceMetrics::InFlight::~InFlight() { End(); }

void InferenceMetrics::InFlight::End() {
  if (gauge_ == nullptr) return;
  gauge_->Decrement();
  gauge_ = nullptr;
}

InferenceMetrics::InferenceMetrics()
    : requests_(AddCounter(&registry_, "ollama_requests_total",
                           "Inference requests through the proxy, by model, "
                           "endpoint and outcome.")),
      prompt_tokens_(AddCounter(&registry_, "ollama_prompt_tokens_total",
                                "Prompt tokens Ollama reported evaluating "
                                "for requests through the proxy.")),
      generated_tokens_(AddCounter(&registry_, "ollama_generated_tokens_total",
                                   "Tokens Ollama reported generating for "
                                   "requests through the proxy.")),
      done_reasons_(AddCounter(&registry_, "ollama_done_reasons_total",
                               "Requests through the proxy by why generation "
                               "stopped; none when no reason was given.")),
      load_seconds_total_(
          AddCounter(&registry_, "ollama_load_duration_seconds_total",
                     "Seconds Ollama reported spending loading models for "
                     "requests through the proxy.")),
      prompt_eval_seconds_total_(
          AddCounter(&registry_, "ollama_prompt_eval_duration_seconds_total",
                     "Seconds Ollama reported spending evaluating prompts "
                     "for requests through the proxy.")),
      eval_seconds_total_(
          AddCounter(&registry_, "ollama_eval_duration_seconds_total",
                     "Seconds Ollama reported spending generating tokens for "
                     "requests through the proxy.")),
      model_overflows_(
          AddCounter(&registry_, "ollama_exporter_proxy_model_overflows_total",
                     "Requests for a model Ollama knows that were labelled "
                     "other because --proxy.max-models was reached.")
              .Add({})),
      request_seconds_(AddHistogram(
          &registry_, "ollama_request_duration_seconds",
          "Time from sending a request to Ollama to the end of its reply, "
          "as the proxy measured it.")),
      first_token_seconds_(AddHistogram(
          &registry_, "ollama_time_to_first_token_seconds",
          "Time from sending a request to Ollama to the first reply chunk "
          "carrying text, thinking or a tool call.")),
      load_seconds_(AddHistogram(&registry_, "ollama_load_duration_seconds",
                                 "Model load time Ollama reported per "
                                 "request.")),
      prompt_eval_seconds_(
          AddHistogram(&registry_, "ollama_prompt_eval_duration_seconds",
                       "Prompt evaluation time Ollama reported per request.")),
      eval_seconds_(AddHistogram(&registry_, "ollama_eval_duration_seconds",
                                 "Token generation time Ollama reported per "
                                 "request.")),
      tokens_per_second_(AddHistogram(
          &registry_, "ollama_eval_tokens_per_second",
          "Decode speed per request: generated tokens per second of "
          "generation.")),
      in_flight_(prometheus::BuildGauge()
                     .Name("ollama_requests_in_flight")
                     .Help("Inference requests the proxy is relaying now.")
                     .Register(registry_)) {}

InferenceMetrics::InFlight InferenceMetrics::Begin(
    const std::string& model_label) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = in_flight_by_model_.find(model_label);
  if (found == in_flight_by_model_.end()) {
    found = in_flight_by_model_
                .emplace(model_label, &in_flight_.Add({{"model", model_label}}))
                .first;
  }
  return InFlight(found->second);
}

void InferenceMetrics::Record(const ModelLabel& model,
                              const InferenceFacts& facts) {
  const std::string& name = model.value;
  // Label maps are built only for a series' first request.
  auto endpoint = [&] { return std::string(EndpointLabel(facts.endpoint)); };
  auto by_model = [&] { return prometheus::Labels{{"model", name}}; };
  auto by_endpoint = [&] {
    return prometheus::Labels{{"model", name}, {"endpoint", endpoint()}};
  };
  auto counter = [](prometheus::Counter** slot, Family<Counter>& family,
                    const prometheus::Labels& labels) -> Counter& {
    if (*slot == nullptr) *slot = &family.Add(labels);
    return **slot;
  };
  auto histogram =
      [&](prometheus::Histogram** slot, Family<Histogram>& family,
          const Histogram::BucketBoundaries& buckets) -> Histogram& {
    if (*slot == nullptr) *slot = &family.Add(by_model(), buckets);
    return **slot;
  };

  std::lock_guard<std::mutex> lock(mu_);
  auto found = by_request_.find(
      std::tie(name, facts.endpoint, facts.outcome, facts.done_reason));
  if (found == by_request_.end()) {
    found = by_request_
                .emplace(RequestKey(name, facts.endpoint, facts.outcome,
                                    facts.done_reason),
                         RequestSeries())
                .first;
  }
  RequestSeries& series = found->second;
  if (series.requests == nullptr) {
    series.requests =
        &requests_.Add({{"model", name},
                        {"endpoint", endpoint()},
                        {"outcome", std::string(OutcomeLabel(facts.outcome))}});
    series.done_reasons = &done_reasons_.Add(
        {{"model", name},
         {"endpoint", endpoint()},
         {"done_reason", std::string(DoneReasonLabel(facts.done_reason))}});
  }
  series.requests->Increment();
  series.done_reasons->Increment();
  if (auto tokens = MeasuredValue(facts.prompt_tokens)) {
    counter(&series.prompt_tokens, prompt_tokens_, by_endpoint())
        .Increment(*tokens);
  }
  if (auto tokens = MeasuredValue(facts.generated_tokens)) {
    counter(&series.generated_tokens, generated_tokens_, by_endpoint())
        .Increment(*tokens);
  }
  if (auto seconds = MeasuredValue(facts.load_seconds)) {
    counter(&series.load_seconds_total, load_seconds_total_, by_endpoint())
        .Increment(*seconds);
  }
  if (auto seconds = MeasuredValue(facts.prompt_eval_seconds)) {
    counter(&series.prompt_eval_seconds_total, prompt_eval_seconds_total_,
            by_endpoint())
        .Increment(*seconds);
  }
  if (auto seconds = MeasuredValue(facts.eval_seconds)) {
    counter(&series.eval_seconds_total, eval_seconds_total_, by_endpoint())
        .Increment(*seconds);
  }
  if (model.overflowed) model_overflows_.Increment();

  if (auto seconds =
          MeasuredValue(std::optional<double>(facts.request_seconds))) {
    histogram(&series.request_seconds, request_seconds_, kRequestBuckets)
        .Observe(*seconds);
  }
  if (auto seconds = MeasuredValue(facts.time_to_first_token_seconds)) {
    histogram(&series.first_token_seconds, first_token_seconds_,
              kFirstTokenBuckets)
        .Observe(*seconds);
  }
  if (auto seconds = MeasuredValue(facts.load_seconds)) {
    histogram(&series.load_seconds, load_seconds_, kLoadBuckets)
        .Observe(*seconds);
  }
  if (auto seconds = MeasuredValue(facts.prompt_eval_seconds)) {
    histogram(&series.prompt_eval_seconds, prompt_eval_seconds_,
              kPromptEvalBuckets)
        .Observe(*seconds);
  }
  if (auto seconds = MeasuredValue(facts.eval_seconds)) {
    histogram(&series.eval_seconds, eval_seconds_, kEvalBuckets)
        .Observe(*seconds);
  }
  if (auto speed = MeasuredValue(facts.tokens_per_second)) {
    histogram(&series.tokens_per_second, tokens_per_second_,
              kTokensPerSecondBuckets)
        .Observe(*speed);
  }
}

std::vector<prometheus::MetricFamily> InferenceMetrics::Collect() const {
  return registry_.Collect();
}

}  // namespace ollama_exporter::proxy
