// History route benchmark: the latency of GET /api/ollama/history over one
// day of polls, through the real store, server and handler, on a kept-alive
// connection as a dashboard would use it. Issue #2 target: < 5 ms for
// hours=24 (5,760 polls at 15 s).
//
//   history_bench [--benchmark_filter=...]
//
// The store lives in a fresh directory under $TMPDIR (or /tmp), removed
// afterwards.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "http/history_handler.h"
#include "http/server.h"
#include "tsdb/series_store.h"

#include "http_get.h"
#include "testing/temp_dir.h"
#include "workload.h"

namespace ollama_exporter::bench {
namespace {

constexpr int64_t kPollMs = 15'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kHourPolls = kHourMs / kPollMs;
constexpr int64_t kDayPolls = 24 * kHourPolls;  // 5,760.

// 100 models' worth of other series, as in store_bench's 700-sample poll.
constexpr int kOtherSeries = 700;
constexpr int kInstalledModels = 100;

constexpr int kRequestTimeoutMs = 10'000;

// One day of polls in a real store behind a real server, built once and
// shared by the benchmarks. Members are destroyed in reverse order: the
// server first, then the store, then the directory.
struct Day {
  std::unique_ptr<testing::TempDir> dir;
  std::unique_ptr<tsdb::SeriesStore> store;
  std::unique_ptr<http::Server> server;
  std::string base_url;
  int64_t last_poll_ms = 0;
  Status status;
};

// Loaded models at poll number `poll`: 0 to 3, changing hourly.
int64_t LoadedAt(int64_t poll) { return (poll / kHourPolls) % 4; }

// The three series the history route reads, as the poller writes them.
void AddHistorySeries(int64_t poll, int64_t timestamp_ms,
                      std::vector<tsdb::LabeledSample>* batch) {
  const std::pair<const char*, double> values[] = {
      {"ollama_up", 1},
      {"ollama_models_installed", kInstalledModels},
      {"ollama_models_loaded", static_cast<double>(LoadedAt(poll))},
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
  options.path = day->dir->File("store");
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
    if (status.ok() && (p + 1) % kHourPolls == 0) {
      status = day->store->Flush();
    }
    if (!status.ok()) return status;
  }
  return day->store->Flush();
}

Status Build(Day* day) {
  Status status = testing::TempDir::Create("oe_history_bench", &day->dir);
  if (!status.ok()) return status;
  day->last_poll_ms = NowMillis();
  status = Fill(day);
  if (!status.ok()) return status;

  // "Now" is the last poll, so a 24 h window holds all 5,760 polls.
  http::ServerDeps deps;
  deps.collect_metrics = [] { return std::vector<prometheus::MetricFamily>(); };
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
    std::fprintf(
        stderr, "history_bench: a day of %lld polls stored in %.1f s\n",
        static_cast<long long>(kDayPolls),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
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
Status CheckReply(const Day& day, const integration::HttpReply& reply,
                  size_t entries) {
  if (reply.status != 200) {
    return Status::Internal("HTTP " + std::to_string(reply.status) + ": " +
                            reply.body.substr(0, 200));
  }
  const auto json = nlohmann::json::parse(reply.body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("data") ||
      !json["data"].is_array()) {
    return Status::Internal("not a history reply: " +
                            reply.body.substr(0, 200));
  }
  const nlohmann::json& data = json["data"];
  if (data.size() != entries) {
    return Status::Internal("expected " + std::to_string(entries) +
                            " entries, got " + std::to_string(data.size()));
  }
  const nlohmann::json expected_newest = {
      {"timestamp", FormatIsoMillis(day.last_poll_ms)},
      {"running", true},
      {"modelCount", kInstalledModels},
      {"activeInferences", LoadedAt(kDayPolls - 1)}};
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
  integration::HttpClient client;
  integration::HttpReply reply;

  // One request outside the timing opens the connection and checks the
  // answer.
  Status status = client.Get(url, kRequestTimeoutMs, &reply);
  if (status.ok()) status = CheckReply(day, reply, entries);
  if (!Check(state, status)) return;

  const long opened = client.connections_opened();
  for (auto _ : state) {
    status = client.Get(url, kRequestTimeoutMs, &reply);
    if (status.ok() && reply.status != 200) {
      status = Status::Internal("HTTP " + std::to_string(reply.status));
    }
    if (!Check(state, status)) return;
  }
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["reply_KiB"] = static_cast<double>(reply.body.size()) / 1024;
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

// The id of the one series called `name`; kNotFound unless there is
// exactly one.
Status FindSeriesId(const tsdb::SeriesReader& store, const char* name,
                    uint32_t* id) {
  tsdb::Matcher matcher;
  Status status = tsdb::Matcher::Make(tsdb::Matcher::Op::kEqual,
                                      tsdb::kMetricNameLabel, name, &matcher);
  std::vector<tsdb::SeriesInfo> series;
  if (status.ok()) status = store.Select({matcher}, &series);
  if (status.ok() && series.size() != 1) {
    status = Status::NotFound(std::string("no single series ") + name);
  }
  if (status.ok()) *id = series.front().id;
  return status;
}

// The store reads a 5,000-poll answer needs at the least: the newest 5,000
// ollama_up samples, then the two count series over the same span. The
// floor under the route's latency whatever the JSON costs.
void BM_HistoryStoreReads24hLimit5000(benchmark::State& state) {
  Day& day = SharedDay();
  if (!Check(state, day.status)) return;
  uint32_t up = 0;
  uint32_t installed = 0;
  uint32_t loaded = 0;
  Status status = FindSeriesId(*day.store, "ollama_up", &up);
  if (status.ok()) {
    status = FindSeriesId(*day.store, "ollama_models_installed", &installed);
  }
  if (status.ok()) {
    status = FindSeriesId(*day.store, "ollama_models_loaded", &loaded);
  }
  if (!Check(state, status)) return;
  const int64_t start_ms = day.last_poll_ms - 24 * kHourMs;
  std::vector<tsdb::Sample> polls;
  std::vector<tsdb::Sample> counts;
  for (auto _ : state) {
    status = day.store->ReadNewestFirst(up, start_ms, day.last_poll_ms, 5000,
                                        &polls);
    for (uint32_t id : {installed, loaded}) {
      if (status.ok() && !polls.empty()) {
        status = day.store->Read(id, polls.back().timestamp_ms,
                                 polls.front().timestamp_ms, &counts);
      }
    }
    if (!Check(state, status)) return;
  }
  state.counters["polls"] = static_cast<double>(polls.size());
}

// No MinTime: --benchmark_min_time sets it, so a smoke run can be short.
BENCHMARK(BM_History24hLimit5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_History24hDefaultLimit)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_HistoryHandlerOnly24hLimit5000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_HistoryStoreReads24hLimit5000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace ollama_exporter::bench
