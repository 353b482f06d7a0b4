#include "proxy/inference_metrics.h"

#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <prometheus/text_serializer.h>

#include "promtool.h"

namespace ollama_exporter::proxy {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;

const MetricFamily* FindFamily(const std::vector<MetricFamily>& families,
                               const std::string& name) {
  for (const MetricFamily& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

// The series of family `name` with exactly `labels`, or null.
const ClientMetric* FindSeries(const std::vector<MetricFamily>& families,
                               const std::string& name,
                               const prometheus::Labels& labels) {
  const MetricFamily* family = FindFamily(families, name);
  if (family == nullptr) return nullptr;
  for (const ClientMetric& metric : family->metric) {
    prometheus::Labels found;
    for (const auto& label : metric.label) found[label.name] = label.value;
    if (found == labels) return &metric;
  }
  return nullptr;
}

// A counter's value; -1 when the series does not exist.
double CounterValue(const std::vector<MetricFamily>& families,
                    const std::string& name, const prometheus::Labels& labels) {
  const ClientMetric* metric = FindSeries(families, name, labels);
  return metric == nullptr ? -1 : metric->counter.value;
}

double GaugeValue(const std::vector<MetricFamily>& families,
                  const std::string& name, const prometheus::Labels& labels) {
  const ClientMetric* metric = FindSeries(families, name, labels);
  return metric == nullptr ? -1 : metric->gauge.value;
}

// A histogram's cumulative bucket counts by upper bound, its count and sum.
struct HistogramValues {
  std::vector<std::pair<double, uint64_t>> buckets;
  uint64_t count = 0;
  double sum = 0;
};

std::optional<HistogramValues> Histogram(
    const std::vector<MetricFamily>& families, const std::string& name,
    const std::string& model) {
  const ClientMetric* metric = FindSeries(families, name, {{"model", model}});
  if (metric == nullptr) return std::nullopt;
  HistogramValues values;
  for (const auto& bucket : metric->histogram.bucket) {
    values.buckets.emplace_back(bucket.upper_bound, bucket.cumulative_count);
  }
  values.count = metric->histogram.sample_count;
  values.sum = metric->histogram.sample_sum;
  return values;
}

// The cumulative count of the bucket with upper bound `le`.
uint64_t BucketCount(const HistogramValues& values, double le) {
  for (const auto& [bound, count] : values.buckets) {
    if (bound == le) return count;
  }
  FAIL("no bucket le=" << le);
  return 0;
}

std::vector<double> Bounds(const HistogramValues& values) {
  std::vector<double> bounds;
  for (const auto& bucket : values.buckets) bounds.push_back(bucket.first);
  return bounds;
}

const ModelLabel kQwen = {"qwen3:8b", false};

// A streamed /api/chat that ended normally, every fact known.
InferenceFacts FullChat() {
  InferenceFacts facts;
  facts.endpoint = InferenceEndpoint::kChat;
  facts.requested_model = "qwen3:8b";
  facts.streamed = true;
  facts.http_status = 200;
  facts.outcome = Outcome::kOk;
  facts.done_reason = DoneReason::kStop;
  facts.prompt_tokens = 26;
  facts.generated_tokens = 298;
  facts.load_seconds = 0.05;
  facts.prompt_eval_seconds = 0.01;
  facts.eval_seconds = 2.5;
  facts.total_seconds = 2.6;
  facts.request_seconds = 2.75;
  facts.time_to_first_token_seconds = 0.1;
  facts.tokens_per_second = 119.2;
  return facts;
}

// A 404 before any body: only the proxy's own timing is known.
InferenceFacts NotFound() {
  InferenceFacts facts;
  facts.endpoint = InferenceEndpoint::kV1ChatCompletions;
  facts.requested_model = "nope";
  facts.http_status = 404;
  facts.outcome = Outcome::kClientError;
  facts.request_seconds = 0.004;
  return facts;
}

std::string Serialize(const std::vector<MetricFamily>& families) {
  return prometheus::TextSerializer().Serialize(families);
}

TEST_CASE("InferenceMetrics starts with only the overflow counter",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  std::vector<MetricFamily> families = metrics.Collect();
  REQUIRE(families.size() == 1);
  CHECK(families[0].name == "ollama_exporter_proxy_model_overflows_total");
  CHECK(CounterValue(families, families[0].name, {}) == 0);
}

TEST_CASE("InferenceMetrics counts a finished request's facts",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  metrics.Record(kQwen, FullChat());
  metrics.Record(kQwen, FullChat());
  std::vector<MetricFamily> families = metrics.Collect();

  const prometheus::Labels chat = {{"model", "qwen3:8b"},
                                   {"endpoint", "/api/chat"}};
  CHECK(CounterValue(families, "ollama_requests_total",
                     {{"model", "qwen3:8b"},
                      {"endpoint", "/api/chat"},
                      {"outcome", "ok"}}) == 2);
  CHECK(CounterValue(families, "ollama_done_reasons_total",
                     {{"model", "qwen3:8b"},
                      {"endpoint", "/api/chat"},
                      {"done_reason", "stop"}}) == 2);
  CHECK(CounterValue(families, "ollama_prompt_tokens_total", chat) == 52);
  CHECK(CounterValue(families, "ollama_generated_tokens_total", chat) == 596);
  CHECK(CounterValue(families, "ollama_load_duration_seconds_total", chat) ==
        Approx(0.1));
  CHECK(CounterValue(families, "ollama_prompt_eval_duration_seconds_total",
                     chat) == Approx(0.02));
  CHECK(CounterValue(families, "ollama_eval_duration_seconds_total", chat) ==
        5);
  CHECK(CounterValue(families, "ollama_exporter_proxy_model_overflows_total",
                     {}) == 0);

  auto request =
      Histogram(families, "ollama_request_duration_seconds", "qwen3:8b");
  REQUIRE(request);
  CHECK(request->count == 2);
  CHECK(request->sum == 5.5);
  CHECK(BucketCount(*request, 2.5) == 0);
  CHECK(BucketCount(*request, 5) == 2);

  auto speed = Histogram(families, "ollama_eval_tokens_per_second", "qwen3:8b");
  REQUIRE(speed);
  CHECK(BucketCount(*speed, 100) == 0);
  CHECK(BucketCount(*speed, 150) == 2);
  CHECK(speed->sum == Approx(238.4));

  auto first_token =
      Histogram(families, "ollama_time_to_first_token_seconds", "qwen3:8b");
  REQUIRE(first_token);
  CHECK(BucketCount(*first_token, 0.05) == 0);
  CHECK(BucketCount(*first_token, 0.1) == 2);  // Bounds are inclusive.
  CHECK(Histogram(families, "ollama_load_duration_seconds", "qwen3:8b"));
  CHECK(Histogram(families, "ollama_prompt_eval_duration_seconds", "qwen3:8b"));
  CHECK(Histogram(families, "ollama_eval_duration_seconds", "qwen3:8b"));
}

TEST_CASE("InferenceMetrics leaves out facts a request did not report",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  metrics.Record({"other", false}, NotFound());
  std::vector<MetricFamily> families = metrics.Collect();

  CHECK(CounterValue(families, "ollama_requests_total",
                     {{"model", "other"},
                      {"endpoint", "/v1/chat/completions"},
                      {"outcome", "client_error"}}) == 1);
  CHECK(CounterValue(families, "ollama_done_reasons_total",
                     {{"model", "other"},
                      {"endpoint", "/v1/chat/completions"},
                      {"done_reason", "none"}}) == 1);
  auto request =
      Histogram(families, "ollama_request_duration_seconds", "other");
  REQUIRE(request);
  CHECK(request->count == 1);
  CHECK(BucketCount(*request, 0.05) == 1);

  for (const char* absent :
       {"ollama_prompt_tokens_total", "ollama_generated_tokens_total",
        "ollama_load_duration_seconds_total",
        "ollama_prompt_eval_duration_seconds_total",
        "ollama_eval_duration_seconds_total",
        "ollama_time_to_first_token_seconds", "ollama_load_duration_seconds",
        "ollama_prompt_eval_duration_seconds", "ollama_eval_duration_seconds",
        "ollama_eval_tokens_per_second", "ollama_requests_in_flight"}) {
    INFO(absent);
    CHECK(FindFamily(families, absent) == nullptr);
  }
}

TEST_CASE("InferenceMetrics ignores negative and non-finite facts",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  InferenceFacts facts = NotFound();
  facts.load_seconds = -1;
  facts.eval_seconds = std::numeric_limits<double>::quiet_NaN();
  facts.tokens_per_second = std::numeric_limits<double>::infinity();
  metrics.Record(kQwen, facts);
  std::vector<MetricFamily> families = metrics.Collect();

  CHECK(FindFamily(families, "ollama_load_duration_seconds_total") == nullptr);
  CHECK(FindFamily(families, "ollama_eval_duration_seconds_total") == nullptr);
  CHECK(FindFamily(families, "ollama_eval_tokens_per_second") == nullptr);
  CHECK(CounterValue(families, "ollama_requests_total",
                     {{"model", "qwen3:8b"},
                      {"endpoint", "/v1/chat/completions"},
                      {"outcome", "client_error"}}) == 1);
}

TEST_CASE("InferenceMetrics histograms have the contract's buckets",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  metrics.Record(kQwen, FullChat());
  std::vector<MetricFamily> families = metrics.Collect();
  const double inf = std::numeric_limits<double>::infinity();

  auto bounds = [&](const char* name) {
    auto values = Histogram(families, name, "qwen3:8b");
    REQUIRE(values);
    return Bounds(*values);
  };
  CHECK(bounds("ollama_request_duration_seconds") ==
        std::vector<double>{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300,
                            600, inf});
  CHECK(bounds("ollama_time_to_first_token_seconds") ==
        std::vector<double>{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60,
                            120, inf});
  CHECK(bounds("ollama_load_duration_seconds") ==
        std::vector<double>{.001, .01, .1, .5, 1, 2.5, 5, 10, 30, 60, 120, 300,
                            inf});
  CHECK(bounds("ollama_prompt_eval_duration_seconds") ==
        std::vector<double>{.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10,
                            30, 60, inf});
  CHECK(bounds("ollama_eval_duration_seconds") ==
        std::vector<double>{.1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
                            inf});
  CHECK(bounds("ollama_eval_tokens_per_second") ==
        std::vector<double>{1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300,
                            500, 1000, 2000, inf});
}

TEST_CASE("InferenceMetrics puts values on a bucket bound in that bucket",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  InferenceFacts facts = FullChat();
  facts.load_seconds = 0.001;      // Lowest bound.
  facts.prompt_eval_seconds = 60;  // Highest bound.
  facts.eval_seconds = 600.5;      // Above every bound.
  facts.request_seconds = 0;       // Zero.
  facts.tokens_per_second = 2000;
  metrics.Record(kQwen, facts);
  std::vector<MetricFamily> families = metrics.Collect();
  const double inf = std::numeric_limits<double>::infinity();

  auto load = Histogram(families, "ollama_load_duration_seconds", "qwen3:8b");
  CHECK(BucketCount(*load, 0.001) == 1);
  auto prompt =
      Histogram(families, "ollama_prompt_eval_duration_seconds", "qwen3:8b");
  CHECK(BucketCount(*prompt, 30) == 0);
  CHECK(BucketCount(*prompt, 60) == 1);
  auto eval = Histogram(families, "ollama_eval_duration_seconds", "qwen3:8b");
  CHECK(BucketCount(*eval, 600) == 0);
  CHECK(BucketCount(*eval, inf) == 1);
  CHECK(eval->sum == 600.5);
  auto request =
      Histogram(families, "ollama_request_duration_seconds", "qwen3:8b");
  CHECK(BucketCount(*request, 0.05) == 1);
  auto speed = Histogram(families, "ollama_eval_tokens_per_second", "qwen3:8b");
  CHECK(BucketCount(*speed, 1000) == 0);
  CHECK(BucketCount(*speed, 2000) == 1);
}

TEST_CASE("InferenceMetrics counts requests labelled other by the cap",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  metrics.Record({"other", true}, FullChat());
  metrics.Record({"other", false}, FullChat());
  std::vector<MetricFamily> families = metrics.Collect();
  CHECK(CounterValue(families, "ollama_exporter_proxy_model_overflows_total",
                     {}) == 1);
  CHECK(CounterValue(families, "ollama_requests_total",
                     {{"model", "other"},
                      {"endpoint", "/api/chat"},
                      {"outcome", "ok"}}) == 2);
}

TEST_CASE("InferenceMetrics counts requests in flight per model",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  auto in_flight = [&](const std::string& model) {
    return GaugeValue(metrics.Collect(), "ollama_requests_in_flight",
                      {{"model", model}});
  };

  InferenceMetrics::InFlight first = metrics.Begin("qwen3:8b");
  {
    InferenceMetrics::InFlight second = metrics.Begin("qwen3:8b");
    InferenceMetrics::InFlight third = metrics.Begin("other");
    CHECK(in_flight("qwen3:8b") == 2);
    CHECK(in_flight("other") == 1);
    third.End();
    third.End();  // A second End changes nothing.
    CHECK(in_flight("other") == 0);
  }
  CHECK(in_flight("qwen3:8b") == 1);

  // A moved-from request is no longer counted twice.
  InferenceMetrics::InFlight moved = std::move(first);
  CHECK(in_flight("qwen3:8b") == 1);
  moved = metrics.Begin("other");
  CHECK(in_flight("qwen3:8b") == 0);
  CHECK(in_flight("other") == 1);
}

TEST_CASE("InferenceMetrics stays exact under concurrent requests",
          "[proxy][metrics]") {
  constexpr int kThreads = 8;
  constexpr int kRequests = 500;
  InferenceMetrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string model = t % 2 == 0 ? "qwen3:8b" : "other";
      for (int i = 0; i < kRequests; ++i) {
        InferenceMetrics::InFlight in_flight = metrics.Begin(model);
        metrics.Record({model, t % 2 == 1}, FullChat());
        metrics.Collect();  // Scrapes race with requests.
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::vector<MetricFamily> families = metrics.Collect();
  const double per_model = kThreads / 2 * kRequests;
  for (const char* model : {"qwen3:8b", "other"}) {
    INFO(model);
    CHECK(CounterValue(families, "ollama_requests_total",
                       {{"model", model},
                        {"endpoint", "/api/chat"},
                        {"outcome", "ok"}}) == per_model);
    CHECK(CounterValue(families, "ollama_generated_tokens_total",
                       {{"model", model}, {"endpoint", "/api/chat"}}) ==
          per_model * 298);
    CHECK(
        Histogram(families, "ollama_request_duration_seconds", model)->count ==
        per_model);
    CHECK(GaugeValue(families, "ollama_requests_in_flight",
                     {{"model", model}}) == 0);
  }
  CHECK(CounterValue(families, "ollama_exporter_proxy_model_overflows_total",
                     {}) == per_model);
}

TEST_CASE("InferenceMetrics exposition passes promtool check metrics",
          "[proxy][metrics]") {
  InferenceMetrics metrics;
  InferenceMetrics::InFlight in_flight = metrics.Begin("qwen3:8b");
  metrics.Record(kQwen, FullChat());
  metrics.Record({"other", true}, NotFound());
  // A label value that needs escaping in the exposition.
  metrics.Record({"registry.lan:5000/te\"am/m:v2", false}, FullChat());
  std::string exposition = Serialize(metrics.Collect());

  CHECK(exposition.find("ollama_requests_in_flight{model=\"qwen3:8b\"} 1") !=
        std::string::npos);
  CHECK(exposition.find("# TYPE ollama_eval_tokens_per_second histogram") !=
        std::string::npos);
  integration::ProcessResult result;
  REQUIRE(integration::PromtoolCheckMetrics(exposition, &result).ok());
  INFO(exposition);
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
}

}  // namespace
}  // namespace ollama_exporter::proxy
