#include "exporter/poller.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "common/time_format.h"
#include "exporter/metric_families.h"
#include "tsdb/stale_marker.h"

#include "testing/temp_dir.h"

namespace ollama_exporter {
namespace {

// A collector whose next outcome the test sets.
class ScriptedCollector final : public Collector {
 public:
  ScriptedCollector(std::string name, std::string family)
      : name_(std::move(name)), family_(std::move(family)) {}

  std::string_view name() const override { return name_; }

  Status Collect(std::vector<prometheus::MetricFamily>* out) override {
    ++calls;
    if (!next.ok()) return next;
    out->push_back(MakeGauge(family_, "Test family."));
    AddSample(&out->back(), {{"model", model}}, value);
    return Status::Ok();
  }

  int last_skipped_entries() const override { return skipped; }

  Status next;
  std::string model = "qwen3:8b";
  double value = 1;
  int skipped = 0;
  int calls = 0;

 private:
  std::string name_;
  std::string family_;
};

// name{labels} -> value of every series in `families`.
std::map<std::string, double> Flatten(
    const std::vector<prometheus::MetricFamily>& families) {
  std::map<std::string, double> values;
  for (const auto& family : families) {
    for (const auto& metric : family.metric) {
      std::string key = family.name;
      for (const auto& label : metric.label) {
        key += "|" + label.name + "=" + label.value;
      }
      values[key] = SampleValue(family, metric);
    }
  }
  return values;
}

struct PollerFixture {
  PollerFixture() {
    REQUIRE(testing::TempDir::Create("poller_test", &dir).ok());
    tsdb::StoreOptions options;
    options.path = dir->path();
    REQUIRE(tsdb::SeriesStore::Open(options, &store).ok());
    Restart();
  }

  // A new poller with new collectors over the same store, as after an
  // exporter restart.
  void Restart(PollHooks hooks = {}) {
    poller.reset();
    auto version =
        std::make_unique<ScriptedCollector>("version", "ollama_version_x");
    auto ps = std::make_unique<ScriptedCollector>("ps", "ollama_loaded_x");
    probe = version.get();
    second = ps.get();
    std::vector<std::unique_ptr<Collector>> collectors;
    collectors.push_back(std::move(version));
    collectors.push_back(std::move(ps));
    // An hour between polls: only PollOnce() and Stop() move the poller.
    poller = std::make_unique<Poller>(
        std::move(collectors), store.get(), 3600 * 1000,
        [this] { return now_ms; }, &shutting_down, std::move(hooks));
  }

  // The stored samples of the first series called `name`, or of the one
  // with exactly `labels` when given.
  std::vector<tsdb::Sample> Stored(const std::string& name,
                                   const tsdb::Labels& labels = {}) {
    tsdb::Matcher matcher;
    REQUIRE(tsdb::Matcher::Make(tsdb::Matcher::Op::kEqual, "__name__", name,
                                &matcher)
                .ok());
    std::vector<tsdb::SeriesInfo> series;
    REQUIRE(store->Select({matcher}, &series).ok());
    for (const tsdb::SeriesInfo& info : series) {
      if (!labels.empty() && info.labels != labels) continue;
      std::vector<tsdb::Sample> samples;
      REQUIRE(store->Read(info.id, 0, now_ms, &samples).ok());
      return samples;
    }
    return {};
  }

  // The stored samples of the second collector's series for `model`.
  std::vector<tsdb::Sample> Loaded(const std::string& model) {
    return Stored("ollama_loaded_x",
                  {{"__name__", "ollama_loaded_x"}, {"model", model}});
  }

  std::unique_ptr<testing::TempDir> dir;
  std::unique_ptr<tsdb::SeriesStore> store;
  ScriptedCollector* probe;
  ScriptedCollector* second;
  std::unique_ptr<Poller> poller;
  std::atomic<bool> shutting_down{false};
  int64_t now_ms = NowMillis();
};

TEST_CASE("Poller serves and stores what one poll saw", "[poller]") {
  PollerFixture f;
  f.second->value = 6918709248;
  f.second->skipped = 2;
  CHECK_FALSE(f.poller->has_polled());
  f.poller->PollOnce();
  CHECK(f.poller->has_polled());

  std::map<std::string, double> served = Flatten(f.poller->Collect());
  CHECK(served["ollama_up"] == 1);
  CHECK(served["ollama_loaded_x|model=qwen3:8b"] == 6918709248);
  CHECK(served["ollama_exporter_collector_success|collector=ps"] == 1);
  CHECK(served["ollama_exporter_reply_entries_skipped_total|collector=ps"] ==
        2);
  CHECK(served["ollama_exporter_polls_total"] == 1);
  CHECK(served["ollama_exporter_last_successful_poll_timestamp_seconds"] ==
        Approx(f.now_ms / 1000.0));
  CHECK(served["ollama_exporter_storage_append_failures_total"] == 0);
  CHECK(served["ollama_exporter_storage_samples_appended_total"] > 0);

  std::vector<tsdb::Sample> stored = f.Stored("ollama_loaded_x");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].timestamp_ms == f.now_ms);
  CHECK(stored[0].value == 6918709248);
  REQUIRE(f.Stored("ollama_up").size() == 1);
  CHECK(f.Stored("ollama_exporter_collector_success").size() == 1);
}

TEST_CASE("Poller drops a failed collector's series at once", "[poller]") {
  PollerFixture f;
  f.poller->PollOnce();
  f.second->next = Status::FailedPrecondition("GET /api/ps: HTTP 500");
  f.now_ms += 1000;
  f.poller->PollOnce();

  std::map<std::string, double> served = Flatten(f.poller->Collect());
  CHECK(served.count("ollama_loaded_x|model=qwen3:8b") == 0);
  CHECK(served["ollama_up"] == 1);
  CHECK(served["ollama_exporter_collector_success|collector=ps"] == 0);
  CHECK(served["ollama_exporter_collector_failures_total|collector=ps"] == 1);
  CHECK(served["ollama_exporter_collector_failures_total|collector=version"] ==
        0);
  CHECK(served["ollama_exporter_last_successful_poll_timestamp_seconds"] ==
        Approx((f.now_ms - 1000) / 1000.0));
}

TEST_CASE(
    "Poller skips the other endpoints when the probe cannot reach "
    "Ollama",
    "[poller]") {
  PollerFixture f;
  f.probe->next = Status::Unavailable("GET /api/version: connection refused");
  f.poller->PollOnce();

  CHECK(f.second->calls == 0);
  std::map<std::string, double> served = Flatten(f.poller->Collect());
  CHECK(served["ollama_up"] == 0);
  CHECK(served.count("ollama_loaded_x|model=qwen3:8b") == 0);
  CHECK(served["ollama_exporter_collector_failures_total|collector=version"] ==
        1);
  // Not attempted, so not a failure of its own, but not a success either.
  CHECK(served["ollama_exporter_collector_failures_total|collector=ps"] == 0);
  CHECK(served["ollama_exporter_collector_success|collector=ps"] == 0);
  std::vector<tsdb::Sample> up = f.Stored("ollama_up");
  REQUIRE(up.size() == 1);
  CHECK(up[0].value == 0);
}

using PointList = std::vector<std::pair<int64_t, std::string>>;

// Each sample as (timestamp, "marker" for a staleness marker, else the
// value as the stream prints it: "2", "0.5").
PointList Points(const std::vector<tsdb::Sample>& samples) {
  PointList points;
  for (const tsdb::Sample& sample : samples) {
    std::ostringstream value;
    if (tsdb::IsStaleMarker(sample.value)) {
      value << "marker";
    } else {
      value << sample.value;
    }
    points.emplace_back(sample.timestamp_ms, value.str());
  }
  return points;
}

TEST_CASE("Poller stores one staleness marker for a series a poll lacks",
          "[poller][stale]") {
  PollerFixture f;
  const int64_t t1 = f.now_ms;
  const int64_t t2 = t1 + 15000;
  f.second->value = 2;
  f.poller->PollOnce();

  SECTION("because its collector failed") {
    f.second->next = Status::FailedPrecondition("GET /api/ps: HTTP 500");
  }
  SECTION("because the probe could not reach Ollama") {
    f.probe->next = Status::Unavailable("GET /api/version: refused");
  }
  f.now_ms = t2;
  f.poller->PollOnce();
  f.now_ms = t2 + 15000;
  f.poller->PollOnce();

  CHECK(Points(f.Loaded("qwen3:8b")) == PointList{{t1, "2"}, {t2, "marker"}});
  // ollama_up is in every poll, so it never gets a marker.
  std::vector<tsdb::Sample> up = f.Stored("ollama_up");
  REQUIRE(up.size() == 3);
  for (const tsdb::Sample& sample : up) CHECK_FALSE(std::isnan(sample.value));
  // Markers are for the store only.
  CHECK(Flatten(f.poller->Collect()).count("ollama_loaded_x|model=qwen3:8b") ==
        0);
}

TEST_CASE("Poller marks an unloaded model and stores the one loaded instead",
          "[poller][stale]") {
  PollerFixture f;
  const int64_t t1 = f.now_ms;
  f.poller->PollOnce();
  f.second->model = "llama3:70b";
  f.now_ms = t1 + 15000;
  f.poller->PollOnce();

  CHECK(Points(f.Loaded("qwen3:8b")) ==
        PointList{{t1, "1"}, {t1 + 15000, "marker"}});
  CHECK(Points(f.Loaded("llama3:70b")) == PointList{{t1 + 15000, "1"}});
}

TEST_CASE("Poller stores a series that comes back after its marker as before",
          "[poller][stale]") {
  PollerFixture f;
  const int64_t t1 = f.now_ms;
  f.poller->PollOnce();
  f.second->next = Status::FailedPrecondition("GET /api/ps: HTTP 500");
  f.now_ms = t1 + 15000;
  f.poller->PollOnce();
  f.second->next = Status::Ok();
  f.second->value = 3;
  f.now_ms = t1 + 30000;
  f.poller->PollOnce();
  f.now_ms = t1 + 45000;
  f.poller->PollOnce();

  CHECK(Points(f.Loaded("qwen3:8b")) == PointList{{t1, "1"},
                                                  {t1 + 15000, "marker"},
                                                  {t1 + 30000, "3"},
                                                  {t1 + 45000, "3"}});
  CHECK(Flatten(f.poller->Collect())["ollama_loaded_x|model=qwen3:8b"] == 3);
}

TEST_CASE("Poller writes a marker whose append failed with the next poll",
          "[poller][stale]") {
  PollerFixture f;
  const int64_t t1 = f.now_ms;
  f.poller->PollOnce();

  // Older than the retention window: the whole batch is refused.
  f.second->next = Status::FailedPrecondition("GET /api/ps: HTTP 500");
  f.now_ms = t1 - 30LL * 24 * 3600 * 1000;
  f.poller->PollOnce();
  std::map<std::string, double> served = Flatten(f.poller->Collect());
  REQUIRE(served["ollama_exporter_storage_append_failures_total"] == 1);

  f.now_ms = t1 + 15000;
  f.poller->PollOnce();
  CHECK(Points(f.Loaded("qwen3:8b")) ==
        PointList{{t1, "1"}, {t1 + 15000, "marker"}});
}

TEST_CASE("Poller cannot mark a series that vanished before a restart",
          "[poller][stale]") {
  PollerFixture f;
  const int64_t t1 = f.now_ms;
  f.poller->PollOnce();
  f.Restart();
  f.second->next = Status::FailedPrecondition("GET /api/ps: HTTP 500");
  f.now_ms = t1 + 15000;
  f.poller->PollOnce();

  // Nothing remembers the series: queries fall back to the lookback.
  CHECK(Points(f.Loaded("qwen3:8b")) == PointList{{t1, "1"}});
}

TEST_CASE("Poller counts a failed store append and keeps serving", "[poller]") {
  PollerFixture f;
  // A sample older than the retention window makes the whole batch fail.
  f.now_ms -= 30LL * 24 * 3600 * 1000;
  f.poller->PollOnce();

  std::map<std::string, double> served = Flatten(f.poller->Collect());
  CHECK(served["ollama_exporter_storage_append_failures_total"] == 1);
  CHECK(served["ollama_exporter_storage_samples_appended_total"] == 0);
  CHECK(served["ollama_up"] == 1);
}

TEST_CASE("Poller discards a poll cut short by shutdown", "[poller]") {
  PollerFixture f;
  f.poller->PollOnce();
  const std::vector<tsdb::Sample> before = f.Stored("ollama_up");
  REQUIRE(before.size() == 1);

  // Main cancels the calls in flight: they fail as if Ollama were gone.
  f.shutting_down = true;
  f.probe->next = Status::Unavailable("GET /api/version: canceled");
  f.now_ms += 1000;
  f.poller->PollOnce();

  CHECK(f.Stored("ollama_up") == before);
  std::map<std::string, double> served = Flatten(f.poller->Collect());
  CHECK(served["ollama_up"] == 1);
  CHECK(served["ollama_exporter_polls_total"] == 1);
  CHECK(served["ollama_exporter_collector_failures_total|collector=version"] ==
        0);
}

TEST_CASE("Poller thread polls at once and stops promptly", "[poller]") {
  PollerFixture f;
  f.poller->Start();
  for (int i = 0; i < 200 && !f.poller->has_polled(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(f.poller->has_polled());
  auto start = std::chrono::steady_clock::now();
  f.poller->Stop();
  // Stop() must wake the thread, not wait out the hour.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("ToSamples keeps only ollama_ series, labels and values",
          "[poller]") {
  std::vector<prometheus::MetricFamily> families;
  families.push_back(MakeGauge("ollama_model_size_bytes", "x"));
  AddSample(&families.back(), {{"model", "a:1"}}, 5);
  families.push_back(MakeCounter("process_cpu_seconds_total", "x"));
  AddSample(&families.back(), {}, 3);
  std::vector<tsdb::LabeledSample> samples = ToSamples(families, 42);
  REQUIRE(samples.size() == 1);
  CHECK(
      samples[0].labels ==
      tsdb::Labels{{"__name__", "ollama_model_size_bytes"}, {"model", "a:1"}});
  CHECK(samples[0].sample.timestamp_ms == 42);
  CHECK(samples[0].sample.value == 5);
}

TEST_CASE("Poller stores the hooks' extra gauges and counters, not histograms",
          "[poller]") {
  PollerFixture f;
  std::vector<std::string> polled_names;
  PollHooks hooks;
  hooks.extra_families = [] {
    std::vector<prometheus::MetricFamily> extra;
    extra.push_back(MakeCounter("ollama_requests_total", "Test counter."));
    AddSample(&extra.back(), {{"model", "qwen3:8b"}}, 42);
    prometheus::MetricFamily histogram;
    histogram.name = "ollama_request_duration_seconds";
    histogram.type = prometheus::MetricType::Histogram;
    histogram.metric.emplace_back();
    histogram.metric.back().histogram.sample_count = 3;
    extra.push_back(std::move(histogram));
    return extra;
  };
  hooks.polled = [&polled_names](const auto& families) {
    for (const auto& family : families) polled_names.push_back(family.name);
  };
  f.Restart(std::move(hooks));
  f.poller->PollOnce();

  std::vector<tsdb::Sample> requests =
      f.Stored("ollama_requests_total",
               {{"__name__", "ollama_requests_total"}, {"model", "qwen3:8b"}});
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].value == 42);
  CHECK(requests[0].timestamp_ms == f.now_ms);
  CHECK(f.Stored("ollama_request_duration_seconds").empty());
  // Served families stay the collectors' only.
  CHECK(Flatten(f.poller->Collect())
            .count("ollama_requests_total|model=qwen3:8b") == 0);
  CHECK(polled_names == std::vector<std::string>{"ollama_up",
                                                 "ollama_version_x",
                                                 "ollama_loaded_x"});
}

}  // namespace
}  // namespace ollama_exporter
