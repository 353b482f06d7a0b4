#include "tsdb/series_store.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "store_test_util.h"

namespace ollama_exporter::tsdb {
namespace {

using testing::FindSeries;
using testing::NewTempDir;
using testing::NowMs;
using testing::OpenOrDie;
using testing::OptionsFor;
using testing::Series;
using testing::WriteSamples;

constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max();

Matcher MakeMatcher(Matcher::Op op, const std::string& name,
                    const std::string& value) {
  Matcher matcher;
  REQUIRE_OK(Matcher::Make(op, name, value, &matcher));
  return matcher;
}

std::vector<double> Values(const std::vector<Sample>& samples) {
  std::vector<double> values;
  for (const Sample& sample : samples) values.push_back(sample.value);
  return values;
}

std::vector<Labels> LabelsOf(const std::vector<SeriesInfo>& series) {
  std::vector<Labels> labels;
  for (const SeriesInfo& info : series) labels.push_back(info.labels);
  return labels;
}

}  // namespace

TEST_CASE("SeriesStore reads back appended samples in time order",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t t0 = NowMs() - 60'000;
  const Labels up = Series("ollama_up");
  const Labels vram = Series("ollama_model_vram_bytes", {{"model", "llama3"}});

  // Out of order within the batch, interleaved across two series.
  REQUIRE_OK(store->Append({{up, {t0 + 30'000, 1}},
                            {vram, {t0 + 15'000, 4.5e9}},
                            {up, {t0, 0}},
                            {vram, {t0, 4e9}},
                            {up, {t0 + 15'000, 1}}}));

  std::vector<Sample> samples;
  REQUIRE_OK(
      store->Read(FindSeries(*store, up).id, t0 - 1000, t0 + 60'000, &samples));
  CHECK(samples ==
        std::vector<Sample>{{t0, 0}, {t0 + 15'000, 1}, {t0 + 30'000, 1}});

  REQUIRE_OK(store->Read(FindSeries(*store, vram).id, 0, kMaxTime, &samples));
  CHECK(samples == std::vector<Sample>{{t0, 4e9}, {t0 + 15'000, 4.5e9}});
}

TEST_CASE("SeriesStore::Read includes both ends of the range",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t t0 = NowMs() - 100'000;
  const Labels series = Series("m");
  WriteSamples(store.get(), series, t0, 1000, {0, 1, 2, 3, 4, 5});
  const uint32_t id = FindSeries(*store, series).id;

  std::vector<Sample> samples = {{1, 1}};
  REQUIRE_OK(store->Read(id, t0 + 1000, t0 + 3000, &samples));
  CHECK(Values(samples) == std::vector<double>{1, 2, 3});

  REQUIRE_OK(store->Read(id, t0 + 1001, t0 + 2999, &samples));
  CHECK(Values(samples) == std::vector<double>{2});

  REQUIRE_OK(store->Read(id, t0 + 3000, t0 + 3000, &samples));
  CHECK(Values(samples) == std::vector<double>{3});

  SECTION("an empty or inverted range gives nothing") {
    REQUIRE_OK(store->Read(id, t0 + 1500, t0 + 1600, &samples));
    CHECK(samples.empty());
    samples = {{1, 1}};
    REQUIRE_OK(store->Read(id, t0 + 3000, t0 + 1000, &samples));
    CHECK(samples.empty());
  }
  SECTION("an unknown series gives nothing") {
    samples = {{1, 1}};
    REQUIRE_OK(store->Read(id + 1, 0, kMaxTime, &samples));
    CHECK(samples.empty());
  }
}

TEST_CASE(
    "SeriesStore::ReadNewestFirst returns the newest samples up to "
    "the limit",
    "[tsdb][store]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t t0 = NowMs() - 100'000;
  const Labels series = Series("m");
  WriteSamples(store.get(), series, t0, 1000, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  // A neighbouring series must never leak into the scan.
  WriteSamples(store.get(), Series("n"), t0, 1000, {100, 101, 102});
  const uint32_t id = FindSeries(*store, series).id;

  std::vector<Sample> samples;
  REQUIRE_OK(store->ReadNewestFirst(id, 0, kMaxTime, 3, &samples));
  CHECK(samples ==
        std::vector<Sample>{{t0 + 9000, 9}, {t0 + 8000, 8}, {t0 + 7000, 7}});

  REQUIRE_OK(store->ReadNewestFirst(id, t0 + 2000, t0 + 5000, 100, &samples));
  CHECK(Values(samples) == std::vector<double>{5, 4, 3, 2});

  REQUIRE_OK(store->ReadNewestFirst(id, t0 + 2500, t0 + 5500, 2, &samples));
  CHECK(Values(samples) == std::vector<double>{5, 4});

  REQUIRE_OK(store->ReadNewestFirst(id, 0, kMaxTime, 0, &samples));
  CHECK(samples.empty());

  const uint32_t other = FindSeries(*store, Series("n")).id;
  REQUIRE_OK(store->ReadNewestFirst(other, 0, kMaxTime, 100, &samples));
  CHECK(Values(samples) == std::vector<double>{102, 101, 100});
}

TEST_CASE("SeriesStore keeps NaN, infinities and negative zero exactly",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t t0 = NowMs() - 10'000;
  const Labels series = Series("m");
  const double inf = std::numeric_limits<double>::infinity();
  WriteSamples(store.get(), series, t0, 1,
               {std::nan(""), inf, -inf, -0.0, 0.1, 1e300});
  REQUIRE_OK(store->Flush());

  std::vector<Sample> samples;
  REQUIRE_OK(store->Read(FindSeries(*store, series).id, 0, kMaxTime, &samples));
  REQUIRE(samples.size() == 6);
  CHECK(std::isnan(samples[0].value));
  CHECK(samples[1].value == inf);
  CHECK(samples[2].value == -inf);
  CHECK(samples[3].value == 0);
  CHECK(std::signbit(samples[3].value));
  CHECK(samples[4].value == 0.1);
  CHECK(samples[5].value == 1e300);
}

TEST_CASE("SeriesStore::Append replaces a sample at the same series and time",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t t0 = NowMs() - 10'000;
  const Labels series = Series("m");
  WriteSamples(store.get(), series, t0, 1000, {1, 2});
  REQUIRE_OK(store->Flush());
  WriteSamples(store.get(), series, t0 + 1000, 1000, {20});

  std::vector<Sample> samples;
  REQUIRE_OK(store->Read(FindSeries(*store, series).id, 0, kMaxTime, &samples));
  CHECK(samples == std::vector<Sample>{{t0, 1}, {t0 + 1000, 20}});
}

TEST_CASE(
    "SeriesStore::Select applies all four matcher ops, sorted by "
    "labels",
    "[tsdb][store]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t t = NowMs();
  const Labels vram_b = Series("vram", {{"model", "mistral"}});
  const Labels vram_a = Series("vram", {{"model", "llama3"}});
  const Labels vram_none = Series("vram");
  const Labels up = Series("up");
  REQUIRE_OK(store->Append(
      {{vram_b, {t, 1}}, {up, {t, 1}}, {vram_a, {t, 2}}, {vram_none, {t, 3}}}));

  std::vector<SeriesInfo> found;
  using Op = Matcher::Op;
  REQUIRE_OK(
      store->Select({MakeMatcher(Op::kEqual, "__name__", "vram")}, &found));
  CHECK(LabelsOf(found) == std::vector<Labels>{vram_none, vram_a, vram_b});

  REQUIRE_OK(store->Select({MakeMatcher(Op::kEqual, "__name__", "vram"),
                            MakeMatcher(Op::kNotEqual, "model", "llama3")},
                           &found));
  CHECK(LabelsOf(found) == std::vector<Labels>{vram_none, vram_b});

  REQUIRE_OK(
      store->Select({MakeMatcher(Op::kRegexMatch, "model", "l.*")}, &found));
  CHECK(LabelsOf(found) == std::vector<Labels>{vram_a});

  REQUIRE_OK(store->Select({MakeMatcher(Op::kRegexMatch, "__name__", ".+"),
                            MakeMatcher(Op::kRegexNoMatch, "model", ".+")},
                           &found));
  CHECK(LabelsOf(found) == std::vector<Labels>{up, vram_none});

  // The ids are the ones reads accept.
  std::vector<Sample> samples;
  REQUIRE_OK(store->Read(FindSeries(*store, vram_a).id, 0, kMaxTime, &samples));
  CHECK(samples == std::vector<Sample>{{t, 2}});

  SECTION("no match gives an empty list") {
    REQUIRE_OK(
        store->Select({MakeMatcher(Op::kEqual, "__name__", "nope")}, &found));
    CHECK(found.empty());
  }
  SECTION("zero matchers are rejected") {
    const Status status = store->Select({}, &found);
    CHECK(status.code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("SeriesStore::Append writes all samples or none", "[tsdb][store]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const int64_t now = NowMs();
  const Labels existing = Series("existing");
  WriteSamples(store.get(), existing, now - 5000, 1000, {1});
  const Labels fresh = Series("fresh");

  std::vector<LabeledSample> batch = {{existing, {now, 2}}, {fresh, {now, 3}}};
  SECTION("a sample without a metric name") {
    batch.push_back({{{"model", "x"}}, {now, 4}});
    const Status status = store->Append(batch);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find("metric name") != std::string::npos);
  }
  SECTION("a sample with an empty metric name") {
    batch.push_back({Series(""), {now, 4}});
    CHECK(store->Append(batch).code() == StatusCode::kInvalidArgument);
  }
  SECTION("a sample older than the retention window") {
    batch.push_back({existing, {now - store->retention_ms() - 60'000, 4}});
    const Status status = store->Append(batch);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find("retention") != std::string::npos);
  }

  std::vector<SeriesInfo> found;
  REQUIRE_OK(store->Select(
      {MakeMatcher(Matcher::Op::kEqual, "__name__", "fresh")}, &found));
  CHECK(found.empty());
  std::vector<Sample> samples;
  REQUIRE_OK(
      store->Read(FindSeries(*store, existing).id, 0, kMaxTime, &samples));
  CHECK(samples == std::vector<Sample>{{now - 5000, 1}});

  // The failed batch used no ids: the next new series reads back fine.
  WriteSamples(store.get(), fresh, now, 1, {7});
  REQUIRE_OK(store->Read(FindSeries(*store, fresh).id, 0, kMaxTime, &samples));
  CHECK(samples == std::vector<Sample>{{now, 7}});
}

TEST_CASE("SeriesStore keeps series and samples across reopening",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  const int64_t t0 = NowMs() - 60'000;
  const Labels a = Series("a", {{"model", "x"}});
  const Labels b = Series("b");
  uint32_t id_a = 0;
  uint32_t id_b = 0;
  {
    auto store = OpenOrDie(OptionsFor(dir->path()));
    WriteSamples(store.get(), a, t0, 1000, {1, 2, 3});
    WriteSamples(store.get(), b, t0, 1000, {9});
    id_a = FindSeries(*store, a).id;
    id_b = FindSeries(*store, b).id;
    REQUIRE(id_a != id_b);
  }
  {
    auto store = OpenOrDie(OptionsFor(dir->path()));
    CHECK(FindSeries(*store, a).id == id_a);
    CHECK(FindSeries(*store, b).id == id_b);
    std::vector<Sample> samples;
    REQUIRE_OK(store->Read(id_a, 0, kMaxTime, &samples));
    CHECK(Values(samples) == std::vector<double>{1, 2, 3});

    // A series added after reopening gets an id of its own.
    const Labels c = Series("c");
    WriteSamples(store.get(), c, t0, 1000, {5});
    const uint32_t id_c = FindSeries(*store, c).id;
    CHECK(id_c != id_a);
    CHECK(id_c != id_b);
    REQUIRE_OK(store->Read(id_a, 0, kMaxTime, &samples));
    CHECK(Values(samples) == std::vector<double>{1, 2, 3});
  }
}

TEST_CASE("SeriesStore flushes on its own once the flush interval passed",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  StoreOptions options = OptionsFor(dir->path());
  const Labels series = Series("m");

  SECTION("a long interval keeps samples in the memtable") {
    auto store = OpenOrDie(options);
    WriteSamples(store.get(), series, NowMs(), 1, {1, 2, 3});
    CHECK(store->DiskBytes() == 0);
  }
  SECTION("a short interval writes a table file") {
    options.flush_interval_ms = 1;
    auto store = OpenOrDie(options);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    WriteSamples(store.get(), series, NowMs(), 1, {1, 2, 3});
    CHECK(store->DiskBytes() > 0);
  }
}

TEST_CASE("SeriesStore takes appends and reads from many threads",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  StoreOptions options = OptionsFor(dir->path());
  options.sync = false;
  auto store = OpenOrDie(options);
  const int64_t t0 = NowMs() - 100'000;
  constexpr int kThreads = 4;
  constexpr int kBatches = 50;

  // Every thread registers the same shared series and one of its own.
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int b = 0; b < kBatches; ++b) {
        const int64_t t = t0 + b * kThreads + i;
        const Status status = store->Append(
            {{Series("shared"), {t, 1.0 * i}},
             {Series("own", {{"thread", std::to_string(i)}}), {t, 1.0 * b}}});
        std::vector<SeriesInfo> ignored;
        const Status read = store->Select(
            {MakeMatcher(Matcher::Op::kEqual, "__name__", "own")}, &ignored);
        if (!status.ok() || !read.ok()) return;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::vector<SeriesInfo> own;
  REQUIRE_OK(store->Select(
      {MakeMatcher(Matcher::Op::kEqual, "__name__", "own")}, &own));
  REQUIRE(own.size() == kThreads);
  std::vector<Sample> samples;
  for (const SeriesInfo& info : own) {
    REQUIRE_OK(store->Read(info.id, 0, kMaxTime, &samples));
    CHECK(samples.size() == kBatches);
    CHECK(info.id != FindSeries(*store, Series("shared")).id);
  }
  REQUIRE_OK(store->Read(FindSeries(*store, Series("shared")).id, 0, kMaxTime,
                         &samples));
  CHECK(samples.size() == kThreads * kBatches);
}

TEST_CASE("SeriesStore::Open creates missing parent directories",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  const std::string path = dir->File("a/b/c");
  auto store = OpenOrDie(OptionsFor(path));
  CHECK(std::filesystem::is_directory(path));
}

TEST_CASE("SeriesStore::Open rejects bad paths and options", "[tsdb][store]") {
  auto dir = NewTempDir();
  std::unique_ptr<SeriesStore> store;

  SECTION("the path is a file") {
    const std::string file = dir->File("file");
    std::ofstream(file) << "not a store";
    const Status status = SeriesStore::Open(OptionsFor(file), &store);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message().find(file) != std::string::npos);
  }
  SECTION("the path is below a file") {
    const std::string file = dir->File("file");
    std::ofstream(file) << "not a store";
    const Status status =
        SeriesStore::Open(OptionsFor(file + "/store"), &store);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message() ==
          "create store directory " + file + "/store: Not a directory");
  }
  SECTION("an empty path") {
    const Status status = SeriesStore::Open(OptionsFor(""), &store);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message() == "store path is empty");
  }
  SECTION("a retention that is not positive") {
    StoreOptions options = OptionsFor(dir->path());
    options.retention_ms = 0;
    const Status status = SeriesStore::Open(options, &store);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message() == "store retention must be positive, got 0 ms");
  }
  SECTION("a flush interval that is not positive") {
    StoreOptions options = OptionsFor(dir->path());
    options.flush_interval_ms = -5;
    const Status status = SeriesStore::Open(options, &store);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message() ==
          "store flush interval must be positive, got -5 ms");
  }
  CHECK(store == nullptr);
}

TEST_CASE("A second SeriesStore::Open of an open directory fails clearly",
          "[tsdb][store]") {
  auto dir = NewTempDir();
  auto first = OpenOrDie(OptionsFor(dir->path()));
  std::unique_ptr<SeriesStore> second;
  const Status status = SeriesStore::Open(OptionsFor(dir->path()), &second);
  CHECK(status.code() == StatusCode::kFailedPrecondition);
  CHECK(status.message().find("already open") != std::string::npos);
  CHECK(status.message().find(dir->path()) != std::string::npos);
  CHECK(second == nullptr);

  // The first store is unaffected.
  WriteSamples(first.get(), Series("m"), NowMs(), 1, {1});
}

}  // namespace ollama_exporter::tsdb
