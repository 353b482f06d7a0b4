// Store benchmarks: append rate, bytes per sample on disk, read latency.
// Issue #2 targets: >= 200k samples/s appended single-threaded with the WAL
// on, <= 10 bytes per sample on disk.
//
//   store_bench [--benchmark_filter=...]
//
// Stores live in fresh directories under /tmp, removed afterwards.

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

#include "tsdb/series_store.h"

#include "workload.h"

namespace ollama_exporter::bench {
namespace {

using tsdb::LabeledSample;
using tsdb::SeriesStore;
using tsdb::StoreOptions;

constexpr int64_t kPollMs = 15'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A store in a fresh temp dir, deleted with it.
class TempStore {
 public:
  explicit TempStore(bool sync, int64_t retention_ms = 8 * kDayMs) {
    char pattern[] = "/tmp/oe_store_bench_XXXXXX";
    if (mkdtemp(pattern) == nullptr) return;
    dir_ = pattern;
    StoreOptions options;
    options.path = dir_ + "/store";
    options.retention_ms = retention_ms;
    // The benchmarks flush on their own simulated hour.
    options.flush_interval_ms = 100 * kDayMs;
    options.sync = sync;
    const Status status = SeriesStore::Open(options, &store_);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.ToString().c_str());
      store_.reset();
    }
  }

  ~TempStore() {
    store_.reset();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  SeriesStore* get() const { return store_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<SeriesStore> store_;
};

bool Check(benchmark::State& state, const Status& status) {
  if (status.ok()) return true;
  state.SkipWithError(status.ToString().c_str());
  return false;
}

// Appends polls of `series` samples, `polls_per_batch` polls per Append,
// fsyncing each batch as in production.
void Append(benchmark::State& state, int series, int polls_per_batch) {
  TempStore store(/*sync=*/true);
  if (store.get() == nullptr) {
    state.SkipWithError("cannot open the store");
    return;
  }
  Workload workload(series);
  std::vector<LabeledSample> poll;
  std::vector<LabeledSample> batch;
  int64_t t = NowMs() - 7 * kDayMs;
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    for (int p = 0; p < polls_per_batch; ++p, t += kPollMs) {
      workload.Poll(t, &poll);
      batch.insert(batch.end(), poll.begin(), poll.end());
    }
    state.ResumeTiming();
    if (!Check(state, store.get()->Append(batch))) return;
  }
  state.SetItemsProcessed(state.iterations() * series * polls_per_batch);
}

// One poll of 100 models with 7 metrics each.
void BM_AppendPoll700(benchmark::State& state) { Append(state, 700, 1); }

// 10,000 samples a batch: 100 series, 100 polls.
void BM_AppendBatch10k(benchmark::State& state) { Append(state, 100, 100); }

// Writes `days` of polls of `workload` ending now, flushing every simulated
// hour as the exporter does every real one.
Status Fill(SeriesStore* store, Workload* workload, int64_t days,
            int64_t* samples) {
  std::vector<LabeledSample> poll;
  const int64_t end = NowMs();
  const int64_t polls = days * kDayMs / kPollMs;
  for (int64_t p = 0; p < polls; ++p) {
    workload->Poll(end - (polls - 1 - p) * kPollMs, &poll);
    Status status = store->Append(poll);
    if (status.ok() && (p + 1) % (kHourMs / kPollMs) == 0) {
      status = store->Flush();
    }
    if (!status.ok()) return status;
    *samples += static_cast<int64_t>(poll.size());
  }
  return store->Flush();
}

// 7 days of 100 series at 15 s (4,032,000 samples), built once and shared
// by the size and read benchmarks. Sync is off while filling: it changes
// nothing on disk, only the time taken.
struct WeekStore {
  TempStore store{/*sync=*/false};
  Status status;
  int64_t samples = 0;
  double fill_seconds = 0;
  std::vector<tsdb::SeriesInfo> series;
};

WeekStore& Week() {
  static WeekStore* week = [] {
    auto* built = new WeekStore();
    if (built->store.get() == nullptr) {
      built->status = Status::Unavailable("cannot open the store");
      return built;
    }
    Workload workload(100);
    const auto start = std::chrono::steady_clock::now();
    built->status = Fill(built->store.get(), &workload, 7, &built->samples);
    built->fill_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    tsdb::Matcher all;
    if (built->status.ok()) {
      built->status = tsdb::Matcher::Make(tsdb::Matcher::Op::kRegexMatch,
                                          "__name__", ".+", &all);
    }
    if (built->status.ok()) {
      built->status = built->store.get()->Select({all}, &built->series);
    }
    // Deleted at exit so that its directory is removed.
    std::atexit([] { delete week; });
    return built;
  }();
  return *week;
}

void BM_BytesPerSample7Days(benchmark::State& state) {
  WeekStore& week = Week();
  if (!Check(state, week.status)) return;
  for (auto _ : state) {
    benchmark::DoNotOptimize(week.store.get()->DiskBytes());
  }
  const double bytes = static_cast<double>(week.store.get()->DiskBytes());
  state.counters["samples"] = static_cast<double>(week.samples);
  state.counters["disk_MiB"] = bytes / (1024 * 1024);
  state.counters["bytes_per_sample"] = bytes / week.samples;
  state.counters["fill_samples_per_second"] = week.samples / week.fill_seconds;
}

// Reads one series, a different one each time, over [now - range, now] of
// the week store.
template <typename ReadFn>
void ReadWeek(benchmark::State& state, ReadFn read) {
  WeekStore& week = Week();
  if (!Check(state, week.status)) return;
  std::vector<tsdb::Sample> points;
  size_t next = 0;
  size_t total = 0;
  const int64_t now = NowMs();
  for (auto _ : state) {
    const uint32_t id = week.series[next++ % week.series.size()].id;
    if (!Check(state, read(week.store.get(), id, now, &points))) return;
    total += points.size();
  }
  state.counters["points"] =
      static_cast<double>(total) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(total));
}

// One series over the last 24 h: 5,760 points from 24 of 168 files.
void BM_Read24h(benchmark::State& state) {
  ReadWeek(state, [](SeriesStore* store, uint32_t id, int64_t now,
                     std::vector<tsdb::Sample>* points) {
    return store->Read(id, now - kDayMs, now, points);
  });
}

// The latest sample of one series within 5 minutes.
void BM_ReadLatest(benchmark::State& state) {
  ReadWeek(state, [](SeriesStore* store, uint32_t id, int64_t now,
                     std::vector<tsdb::Sample>* points) {
    return store->ReadNewestFirst(id, now - 5 * 60'000, now, 1, points);
  });
}

BENCHMARK(BM_AppendPoll700)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(2)
    ->UseRealTime();
BENCHMARK(BM_AppendBatch10k)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();
BENCHMARK(BM_BytesPerSample7Days)->Iterations(1);
BENCHMARK(BM_Read24h)->Unit(benchmark::kMicrosecond)->MinTime(1)->UseRealTime();
BENCHMARK(BM_ReadLatest)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.5)
    ->UseRealTime();

}  // namespace
}  // namespace ollama_exporter::bench
