#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/series_store.h"

#include "store_test_util.h"

namespace ollama_exporter::tsdb {
namespace {

using testing::FindSeries;
using testing::NewTempDir;
using testing::NowMs;
using testing::OpenOrDie;
using testing::OptionsFor;
using testing::Series;

int CountTableFiles(const std::string& dir) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sst") ++count;
  }
  return count;
}

void SleepUntilMs(int64_t wall_ms) {
  const int64_t left = wall_ms - NowMs();
  if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(left));
}

}  // namespace

// One store, one wait: first the read clamp hides samples that are still
// on disk, then a flush lets FIFO delete their file.
TEST_CASE(
    "SeriesStore never returns samples older than the retention "
    "window and then drops their files",
    "[tsdb][store][retention]") {
  auto dir = NewTempDir();
  StoreOptions options = OptionsFor(dir->path());
  options.retention_ms = 1000;  // FIFO ttl of 1 s.
  auto store = OpenOrDie(options);

  const int64_t newest = NowMs();
  std::vector<LabeledSample> batch;
  for (int series = 0; series < 20; ++series) {
    for (int i = 0; i < 100; ++i) {
      batch.push_back({Series("m", {{"n", std::to_string(series)}}),
                       {newest - 99 + i, 1.5 * i}});
    }
  }
  REQUIRE_OK(store->Append(batch));
  REQUIRE_OK(store->Flush());
  const int64_t flushed_at = NowMs();
  const uint64_t bytes_with_samples = store->DiskBytes();
  REQUIRE(bytes_with_samples > 0);

  const Labels series = Series("m", {{"n", "3"}});
  const uint32_t id = FindSeries(*store, series).id;
  std::vector<Sample> samples;
  REQUIRE_OK(store->Read(id, 0, std::numeric_limits<int64_t>::max(), &samples));
  REQUIRE(samples.size() == 100);

  SECTION("appending a sample already outside the window is refused") {
    const Status status = store->Append({{series, {NowMs() - 5000, 1}}});
    CHECK(status.code() == StatusCode::kInvalidArgument);
  }

  // Past the window: every read comes back empty though the file is there.
  SleepUntilMs(newest + options.retention_ms + 100);
  REQUIRE_OK(store->Read(id, 0, std::numeric_limits<int64_t>::max(), &samples));
  CHECK(samples.empty());
  REQUIRE_OK(store->ReadNewestFirst(id, newest - 10'000, newest, 10, &samples));
  CHECK(samples.empty());
  REQUIRE_OK(store->Read(id, newest, newest, &samples));
  CHECK(samples.empty());
  CHECK(store->DiskBytes() == bytes_with_samples);

  // The ttl counts whole seconds from the flush; after two, the next
  // flush's TTL pass deletes the samples file.
  SleepUntilMs(flushed_at + 2100);
  const int files_before = CountTableFiles(dir->path());
  REQUIRE_OK(store->Flush());
  CHECK(store->DiskBytes() < bytes_with_samples);
  int files_after = CountTableFiles(dir->path());
  for (int i = 0; i < 100 && files_after >= files_before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    files_after = CountTableFiles(dir->path());
  }
  CHECK(files_after < files_before);
}

}  // namespace ollama_exporter::tsdb
