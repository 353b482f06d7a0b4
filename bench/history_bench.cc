// History route benchmark: the latency of GET /api/ollama/history over one
// day of polls, through the real store, server and handler, on a kept-alive
// connection as a dashboard would use it. Issue #2 target: < 5 ms for
// hours=24 (5,760 polls at 15 s).
//
//   history_bench [--benchmark_filter=...]
//
// The store lives in a fresh directory under /tmp, removed afterwards.

#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "http/history_handler.h"
#include "http/server.h"
#include "tsdb/series_store.h"

#include "keep_alive_client.h"
#include "workload.h"

namespace ollama_exporter::bench {
namespace {

constexpr int64_t kPollMs = 15'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayPolls = 24 * kHourMs / kPollMs;  // 5,760.

// 100 models' worth of other series, as in store_bench's 700-sample poll.
constexpr int kOtherSeries = 700;
constexpr int kInstalledModels = 100;

// One day of polls in a real store behind a real server, built once and
// shared by the benchmarks. Members are destroyed server first, then the
// store, then the directory.
struct Day {
  ~Day() {
    server.reset();
    store.reset();
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }

  std::string dir;
  std::unique_ptr<tsdb::SeriesStore> store;
  std::unique_ptr<http::Server> server;
  std::string base_url;
  int64_t last_poll_ms = 0;
  Status status;
};

// The three series the history route reads, as the poller writes them.
void AddHistorySeries(int64_t poll, int64_t timestamp_ms,
                      std::vector<tsdb::LabeledSample>* batch) {
  const double loaded = static_cast<double>((poll / 240) % 4);
  const std::pair<const char*, double> values[] = {
      {"ollama_up", 1},
      {"ollama_models_installed", kInstalledModels},
      {"ollama_models_loaded", loaded},
  };
  for (const auto& [name, value] : values) {
    batch->push_back({{{tsdb::kMetricNameLabel, name}}, {timestamp_ms, value}});
  }
}

// Writes kDayPolls polls ending at day->last_poll_ms, flushing every
// simulated hour as the exporter does every real one. Sync is off while
// filling: it changes nothing on disk, only the time taken.
Status Fill(Day* day) {
  tsdb::StoreOptions options;
  options.path = day->dir + "/store";
  options.flush_interval_ms = 100 * 24 * kHourMs;
  options.sync = false;
  Status status = tsdb::SeriesStore::Open(options, &day->store);
  if (!status.ok()) return status;

  Workload workload(kOtherSeries);
  std::vector<tsdb::LabeledSample> batch;
  for (int64_t p = 0; p < kDayPolls; ++p) {
    const int64_t t = day->last_poll_ms - (kDayPolls - 1 - p) * kPollMs;
    workload.Poll(t, &batch);
    AddHistorySeries(p, t, &batch);
    status = day->store->Append(batch);
    if (status.ok() && (p + 1) % (kHourMs / kPollMs) == 0) {
      status = day->store->Flush();
    }
    if (!status.ok()) return status;
  }
  return day->store->Flush();
}

Status Build(Day* day) {
  char pattern[] = "/tmp/oe_history_bench_XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    return Status::Unavailable("cannot create a temp dir under /tmp");
  }
  day->dir = pattern;
  day->last_poll_ms = NowMillis();
  Status status = Fill(day);
  if (!status.ok()) return status;

  // "Now" is the last poll, so a 24 h window holds all 5,760 polls.
  http::ServerDeps deps;
  deps.collect_metrics = [] {
    return std::vector<prometheus::MetricFamily>();
  };
  deps.ready = [] { return true; };
  deps.store = day->store.get();
  const int64_t now_ms = day->last_poll_ms;
  deps.now_ms = [now_ms] { return now_ms; };
  deps.version = "bench";
  http::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  status = http::Server::Start(options, deps, &day->server);
  if (!status.ok()) return status;
  day->base_url = "http://" + day->server->bound_address();
  return Status::Ok();
}

Day& SharedDay() {
  static Day* day = [] {
    auto* built = new Day();
    const auto start = std::chrono::steady_clock::now();
    built->status = Build(built);
    std::fprintf(stderr, "history_bench: a day of %lld polls stored in %.1f s\n",
                 static_cast<long long>(kDayPolls),
                 std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count());
    // Deleted at exit so that the server stops and the dir is removed.
    std::atexit([] { delete day; });
    return built;
  }();
  return *day;
}

bool Check(benchmark::State& state, const Status& status) {
  if (status.ok()) return true;
  state.SkipWithError(status.ToString().c_str());
  return false;
}

// The reply must be the whole answer: `entries` polls, newest first, with
// the stored values, so the benchmark times the real work.
Status CheckReply(const Day& day, long http_status, const std::string& body,
                  size_t entries) {
  if (http_status != 200) {
    return Status::Internal("HTTP " + std::to_string(http_status) + ": " +
                            body.substr(0, 200));
  }
  const auto reply = nlohmann::json::parse(body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object() ||
      !reply.contains("data") || !reply["data"].is_array()) {
    return Status::Internal("not a history reply: " + body.substr(0, 200));
  }
  const nlohmann::json& data = reply["data"];
  if (data.size() != entries) {
    return Status::Internal("expected " + std::to_string(entries) +
                            " entries, got " + std::to_string(data.size()));
  }
  const nlohmann::json expected_newest = {
      {"timestamp", FormatIsoMillis(day.last_poll_ms)},
      {"running", true},
      {"modelCount", kInstalledModels},
      {"activeInferences", ((kDayPolls - 1) / 240) % 4}};
  if (data.front() != expected_newest) {
    return Status::Internal("newest entry is " + data.front().dump() +
                            ", expected " + expected_newest.dump());
  }
  return Status::Ok();
}

// GETs `query` on one kept-alive connection per iteration.
void QueryHistory(benchmark::State& state, const std::string& query,
                  size_t entries) {
  Day& day = SharedDay();
  if (!Check(state, day.status)) return;
  const std::string url = day.base_url + "/api/ollama/history?" + query;
  KeepAliveClient client;
  std::string body;
  long http_status = 0;

  // One request outside the timing opens the connection and checks the
  // answer.
  Status status = client.Get(url, &body, &http_status);
  if (status.ok()) status = CheckReply(day, http_status, body, entries);
  if (!Check(state, status)) return;

  const long opened = client.connections_opened();
  for (auto _ : state) {
    status = client.Get(url, &body, &http_status);
    if (status.ok() && http_status != 200) {
      status = Status::Internal("HTTP " + std::to_string(http_status));
    }
    if (!Check(state, status)) return;
  }
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["reply_KiB"] = static_cast<double>(body.size()) / 1024;
  state.counters["reconnects"] =
      static_cast<double>(client.connections_opened() - opened);
}

// The largest answer: 5,000 of the day's 5,760 polls.
void BM_History24hLimit5000(benchmark::State& state) {
  QueryHistory(state, "hours=24&limit=5000", 5000);
}

// What the dashboard asks by default: the newest 1,000 polls.
void BM_History24hDefaultLimit(benchmark::State& state) {
  QueryHistory(state, "hours=24", 1000);
}

// The handler alone, without HTTP, to split the latency between the
// server and the store reads plus JSON.
void BM_HistoryHandlerOnly24hLimit5000(benchmark::State& state) {
  Day& day = SharedDay();
  if (!Check(state, day.status)) return;
  http::Request request;
  request.method = "GET";
  request.path = "/api/ollama/history";
  request.query_string = "hours=24&limit=5000";
  for (auto _ : state) {
    http::Response response =
        http::ServeHistory(request, *day.store, day.last_poll_ms);
    if (response.status != 200) {
      state.SkipWithError(response.body.substr(0, 200).c_str());
      return;
    }
    benchmark::DoNotOptimize(response.body.data());
  }
}

BENCHMARK(BM_History24hLimit5000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();
BENCHMARK(BM_History24hDefaultLimit)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();
BENCHMARK(BM_HistoryHandlerOnly24hLimit5000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();

}  // namespace
}  // namespace ollama_exporter::bench
