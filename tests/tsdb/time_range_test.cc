#include "tsdb/time_range.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/key_codec.h"
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
using testing::WriteSamples;

// Runs the collector over `keys` as RocksDB would for one new table file.
rocksdb::TableProperties Collect(const std::vector<std::string>& keys) {
  auto factory = NewTimeRangeCollectorFactory();
  std::unique_ptr<rocksdb::TablePropertiesCollector> collector(
      factory->CreateTablePropertiesCollector({}));
  for (const std::string& key : keys) {
    REQUIRE(collector->AddUserKey(key, "", rocksdb::kEntryPut, 0, 0).ok());
  }
  rocksdb::TableProperties properties;
  REQUIRE(collector->Finish(&properties.user_collected_properties).ok());
  return properties;
}

}  // namespace

TEST_CASE(
    "A table's time range lets reads skip it only when it cannot "
    "overlap",
    "[tsdb][time_range]") {
  const rocksdb::TableProperties table =
      Collect({EncodeSampleKey(1, 1000), EncodeSampleKey(1, 5000),
               EncodeSampleKey(2, -200), EncodeSampleKey(7, 3000)});
  CHECK(TableMayHold(table, -200, -200));
  CHECK(TableMayHold(table, 5000, 9000));
  CHECK(TableMayHold(table, -1000, 10'000));
  CHECK(TableMayHold(table, 2000, 2500));
  CHECK_FALSE(TableMayHold(table, -1000, -201));
  CHECK_FALSE(TableMayHold(table, 5001, 9000));
}

TEST_CASE("A table without a usable time range is always read",
          "[tsdb][time_range]") {
  SECTION("no properties") {
    CHECK(TableMayHold(rocksdb::TableProperties(), 0, 1));
  }
  SECTION("no keys") { CHECK(TableMayHold(Collect({}), 0, 1)); }
  SECTION("a key that is not a sample key") {
    CHECK(
        TableMayHold(Collect({EncodeSampleKey(1, 1000), "short"}), 5000, 6000));
  }
  SECTION("malformed properties") {
    rocksdb::TableProperties table = Collect({EncodeSampleKey(1, 1000)});
    for (auto& [name, value] : table.user_collected_properties) value = "x";
    CHECK(TableMayHold(table, 5000, 6000));
  }
}

TEST_CASE("SeriesStore reads across many flushed files by time range",
          "[tsdb][store][time_range]") {
  auto dir = NewTempDir();
  auto store = OpenOrDie(OptionsFor(dir->path()));
  const Labels series = Series("m");
  const Labels other = Series("other");
  const int64_t t0 = NowMs() - 3'600'000;

  // Ten files of ten samples each, 1 s apart, the last batch in memory.
  for (int file = 0; file < 10; ++file) {
    std::vector<double> values;
    for (int i = 0; i < 10; ++i) values.push_back(file * 10 + i);
    WriteSamples(store.get(), series, t0 + file * 10'000, 1000, values);
    WriteSamples(store.get(), other, t0 + file * 10'000, 1000, values);
    if (file < 9) REQUIRE_OK(store->Flush());
  }
  const uint32_t id = FindSeries(*store, series).id;

  std::vector<Sample> samples;
  REQUIRE_OK(store->Read(id, t0 + 25'000, t0 + 41'000, &samples));
  std::vector<Sample> expected;
  for (int i = 25; i <= 41; ++i) expected.push_back({t0 + i * 1000, 1.0 * i});
  CHECK(samples == expected);

  REQUIRE_OK(store->Read(id, 0, std::numeric_limits<int64_t>::max(), &samples));
  CHECK(samples.size() == 100);

  REQUIRE_OK(store->ReadNewestFirst(id, t0, t0 + 19'500, 3, &samples));
  CHECK(samples == std::vector<Sample>{{t0 + 19'000, 19},
                                       {t0 + 18'000, 18},
                                       {t0 + 17'000, 17}});

  for (int i : {0, 9, 10, 55, 89, 90, 99}) {
    REQUIRE_OK(store->Read(id, t0 + i * 1000, t0 + i * 1000, &samples));
    CHECK(samples == std::vector<Sample>{{t0 + i * 1000, 1.0 * i}});
  }
}

}  // namespace ollama_exporter::tsdb
