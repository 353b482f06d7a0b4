#include "proxy/inference_history.h"

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/store_test_util.h"

namespace ollama_exporter::proxy {
namespace {

using tsdb::Labels;
using tsdb::Sample;
using tsdb::testing::FindSeries;
using tsdb::testing::NewTempDir;
using tsdb::testing::NowMs;
using tsdb::testing::OpenOrDie;
using tsdb::testing::OptionsFor;

constexpr int64_t kWaitMs = 10000;

// A streamed /api/generate that ended normally, every fact known.
InferenceFacts FullGenerate() {
  InferenceFacts facts;
  facts.endpoint = InferenceEndpoint::kGenerate;
  facts.outcome = Outcome::kOk;
  facts.done_reason = DoneReason::kStop;
  facts.prompt_tokens = 26;
  facts.generated_tokens = 298;
  facts.load_seconds = 0.049;
  facts.prompt_eval_seconds = 0.012;
  facts.eval_seconds = 2.5;
  facts.total_seconds = 2.6;
  facts.request_seconds = 2.75;
  facts.time_to_first_token_seconds = 0.07;
  facts.tokens_per_second = 119.2;
  return facts;
}

// A 503 before any body: only the proxy's own timing is known.
InferenceFacts Unavailable() {
  InferenceFacts facts;
  facts.endpoint = InferenceEndpoint::kV1Embeddings;
  facts.http_status = 503;
  facts.outcome = Outcome::kServerError;
  facts.request_seconds = 0.25;
  return facts;
}

Labels Series(const std::string& name, const std::string& model,
              const std::string& endpoint, const std::string& outcome) {
  return {{"__name__", name},
          {"model", model},
          {"endpoint", endpoint},
          {"outcome", outcome}};
}

// Every sample of the series with exactly `labels`.
std::vector<Sample> ReadAll(const tsdb::SeriesStore& store,
                            const Labels& labels) {
  tsdb::SeriesInfo info = FindSeries(store, labels);
  std::vector<Sample> samples;
  REQUIRE_OK(
      store.Read(info.id, 0, std::numeric_limits<int64_t>::max(), &samples));
  return samples;
}

double AppendFailures(const InferenceHistory& history) {
  std::vector<prometheus::MetricFamily> families = history.Collect();
  REQUIRE(families.size() == 1);
  REQUIRE(families[0].name ==
          "ollama_exporter_proxy_history_append_failures_total");
  REQUIRE(families[0].metric.size() == 1);
  return families[0].metric[0].counter.value;
}

TEST_CASE("InferenceRecords holds every known fact of a request",
          "[proxy][history]") {
  std::vector<tsdb::LabeledSample> records =
      InferenceRecords("qwen3:8b", FullGenerate(), 1000);
  std::map<std::string, double> values;
  for (const tsdb::LabeledSample& record : records) {
    std::string name = record.labels.at("__name__");
    CHECK(record.labels == Series(name, "qwen3:8b", "/api/generate", "ok"));
    CHECK(record.sample.timestamp_ms == 1000);
    values[name] = record.sample.value;
  }
  CHECK(values == std::map<std::string, double>{
                      {"ollama_inference_duration_seconds", 2.75},
                      {"ollama_inference_time_to_first_token_seconds", 0.07},
                      {"ollama_inference_prompt_tokens", 26},
                      {"ollama_inference_generated_tokens", 298},
                      {"ollama_inference_tokens_per_second", 119.2},
                      {"ollama_inference_load_duration_seconds", 0.049},
                      {"ollama_inference_prompt_eval_duration_seconds", 0.012},
                      {"ollama_inference_eval_duration_seconds", 2.5},
                  });
}

TEST_CASE("InferenceRecords leaves out unknown and impossible facts",
          "[proxy][history]") {
  InferenceFacts facts = Unavailable();
  facts.eval_seconds = -2;
  facts.tokens_per_second = std::numeric_limits<double>::quiet_NaN();
  std::vector<tsdb::LabeledSample> records =
      InferenceRecords("other", facts, 1000);
  REQUIRE(records.size() == 1);
  CHECK(records[0].labels == Series("ollama_inference_duration_seconds",
                                    "other", "/v1/embeddings", "server_error"));
  CHECK(records[0].sample == Sample{1000, 0.25});
}

TEST_CASE("InferenceHistory stores each request's records",
          "[proxy][history]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  InferenceHistory history(store.get());
  const int64_t end_ms = NowMs();

  history.Record("qwen3:8b", FullGenerate(), end_ms);
  history.Record("other", Unavailable(), end_ms + 7);
  REQUIRE(history.WaitUntilWritten(kWaitMs));

  CHECK(ReadAll(*store, Series("ollama_inference_generated_tokens", "qwen3:8b",
                               "/api/generate", "ok")) ==
        std::vector<Sample>{{end_ms, 298}});
  CHECK(ReadAll(*store, Series("ollama_inference_tokens_per_second", "qwen3:8b",
                               "/api/generate", "ok")) ==
        std::vector<Sample>{{end_ms, 119.2}});
  CHECK(ReadAll(*store, Series("ollama_inference_duration_seconds", "other",
                               "/v1/embeddings", "server_error")) ==
        std::vector<Sample>{{end_ms + 7, 0.25}});
  CHECK(AppendFailures(history) == 0);
}

TEST_CASE("InferenceHistory keeps requests that end in the same ms",
          "[proxy][history]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  InferenceHistory history(store.get());
  const int64_t t = NowMs();

  InferenceFacts facts = FullGenerate();
  for (uint64_t tokens : {10, 20, 30}) {
    facts.generated_tokens = tokens;
    history.Record("qwen3:8b", facts, t);
  }
  // Recorded late by a racing thread: still after the series' last.
  facts.generated_tokens = 40;
  history.Record("qwen3:8b", facts, t - 5);
  // Later than the bumped ones: its own time.
  facts.generated_tokens = 50;
  history.Record("qwen3:8b", facts, t + 10);
  // Another series (outcome) at the same ms is not bumped.
  InferenceFacts canceled = FullGenerate();
  canceled.outcome = Outcome::kClientCanceled;
  canceled.generated_tokens = 5;
  history.Record("qwen3:8b", canceled, t);
  REQUIRE(history.WaitUntilWritten(kWaitMs));

  CHECK(ReadAll(*store, Series("ollama_inference_generated_tokens", "qwen3:8b",
                               "/api/generate", "ok")) ==
        std::vector<Sample>{
            {t, 10}, {t + 1, 20}, {t + 2, 30}, {t + 3, 40}, {t + 10, 50}});
  // Every record of one request shares its timestamp.
  CHECK(ReadAll(*store, Series("ollama_inference_duration_seconds", "qwen3:8b",
                               "/api/generate", "ok"))
            .size() == 5);
  CHECK(ReadAll(*store, Series("ollama_inference_eval_duration_seconds",
                               "qwen3:8b", "/api/generate", "ok"))[3] ==
        Sample{t + 3, 2.5});
  CHECK(ReadAll(*store, Series("ollama_inference_generated_tokens", "qwen3:8b",
                               "/api/generate", "client_canceled")) ==
        std::vector<Sample>{{t, 5}});
}

TEST_CASE("InferenceHistory keeps every request recorded concurrently",
          "[proxy][history]") {
  constexpr int kThreads = 8;
  constexpr int kRequests = 50;
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  InferenceHistory history(store.get());
  const int64_t t = NowMs();

  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRequests; ++i) {
        history.Record("qwen3:8b", FullGenerate(), t);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  REQUIRE(history.WaitUntilWritten(kWaitMs));

  std::vector<Sample> samples =
      ReadAll(*store, Series("ollama_inference_prompt_tokens", "qwen3:8b",
                             "/api/generate", "ok"));
  REQUIRE(samples.size() == kThreads * kRequests);
  for (size_t i = 0; i < samples.size(); ++i) {
    CHECK(samples[i] == Sample{t + static_cast<int64_t>(i), 26});
  }
  CHECK(AppendFailures(history) == 0);
}

TEST_CASE("InferenceHistory counts records the store refuses",
          "[proxy][history]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  InferenceHistory history(store.get());

  // Older than the retention window: the store refuses the batch.
  history.Record("qwen3:8b", FullGenerate(), 1000);
  REQUIRE(history.WaitUntilWritten(kWaitMs));
  CHECK(AppendFailures(history) == 1);

  // Later requests are still stored.
  const int64_t t = NowMs();
  history.Record("qwen3:8b", FullGenerate(), t);
  REQUIRE(history.WaitUntilWritten(kWaitMs));
  CHECK(ReadAll(*store, Series("ollama_inference_prompt_tokens", "qwen3:8b",
                               "/api/generate", "ok")) ==
        std::vector<Sample>{{t, 26}});
  CHECK(AppendFailures(history) == 1);
}

TEST_CASE("InferenceHistory loses only the refused request of a batch",
          "[proxy][history]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  InferenceHistory history(store.get());

  // Recorded back to back, so the writer may append them as one batch:
  // the store refuses the first (older than retention), not the rest.
  history.Record("qwen3:8b", FullGenerate(), 1000);
  for (int i = 0; i < 20; ++i) {
    history.Record("qwen3:8b", FullGenerate(), NowMs());
  }
  REQUIRE(history.WaitUntilWritten(kWaitMs));
  CHECK(ReadAll(*store, Series("ollama_inference_prompt_tokens", "qwen3:8b",
                               "/api/generate", "ok"))
            .size() == 20);
  CHECK(AppendFailures(history) == 1);
}

TEST_CASE("InferenceHistory drops requests when its queue is full",
          "[proxy][history]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  InferenceHistory history(store.get(), /*max_queued=*/0);

  history.Record("qwen3:8b", FullGenerate(), NowMs());
  history.Record("qwen3:8b", FullGenerate(), NowMs());
  REQUIRE(history.WaitUntilWritten(kWaitMs));
  CHECK(AppendFailures(history) == 2);
  std::vector<tsdb::SeriesInfo> found;
  tsdb::Matcher matcher;
  REQUIRE_OK(tsdb::Matcher::Make(tsdb::Matcher::Op::kEqual, "model", "qwen3:8b",
                                 &matcher));
  REQUIRE_OK(store->Select({matcher}, &found));
  CHECK(found.empty());
}

TEST_CASE("InferenceHistory writes queued records before it is destroyed",
          "[proxy][history]") {
  constexpr int kRequests = 100;
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t t = NowMs();
  {
    InferenceHistory history(store.get());
    for (int i = 0; i < kRequests; ++i) {
      history.Record("other", Unavailable(), t);
    }
  }
  CHECK(ReadAll(*store, Series("ollama_inference_duration_seconds", "other",
                               "/v1/embeddings", "server_error"))
            .size() == kRequests);
}

}  // namespace
}  // namespace ollama_exporter::proxy
