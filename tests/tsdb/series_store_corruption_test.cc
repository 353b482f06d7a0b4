#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include "tsdb/db_options.h"
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

enum class Family { kCatalogue = 0, kSamples = 1 };

// Writes one raw entry into a closed store, bypassing SeriesStore, the way
// a bug or a damaged disk could.
void CorruptEntry(const std::string& path, Family family,
                  const std::string& key, const std::string& value) {
  DbConfig config = MakeDbConfig(OptionsFor(path));
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  REQUIRE(
      rocksdb::DB::Open(config.db, path, config.column_families, &handles, &raw)
          .ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  CHECK(db->Put(rocksdb::WriteOptions(), handles[static_cast<int>(family)], key,
                value)
            .ok());
  for (auto* handle : handles) {
    CHECK(db->DestroyColumnFamilyHandle(handle).ok());
  }
  CHECK(db->Close().ok());
}

Status OpenStatus(const std::string& path) {
  std::unique_ptr<SeriesStore> store;
  return SeriesStore::Open(OptionsFor(path), &store);
}

}  // namespace

TEST_CASE("SeriesStore::Open reports a damaged catalogue as data loss",
          "[tsdb][store][corruption]") {
  auto dir = NewTempDir();
  { auto store = OpenOrDie(OptionsFor(dir->path())); }

  SECTION("undecodable labels") {
    CorruptEntry(dir->path(), Family::kCatalogue, SeriesIdKey(0), "\x05x");
  }
  SECTION("an unknown key") {
    CorruptEntry(dir->path(), Family::kCatalogue, "?junk", "");
  }
  SECTION("an id without its label set") {
    CorruptEntry(dir->path(), Family::kCatalogue, SeriesIdKey(0),
                 EncodeLabels(Series("m")));
  }
  SECTION("an id at or past the counter") {
    CorruptEntry(dir->path(), Family::kCatalogue, SeriesIdKey(0),
                 EncodeLabels(Series("m")));
    CorruptEntry(dir->path(), Family::kCatalogue, LabelsKey(Series("m")),
                 EncodeU32(0));
    CorruptEntry(dir->path(), Family::kCatalogue, NextIdKey(), EncodeU32(0));
  }
  const Status status = OpenStatus(dir->path());
  CHECK(status.code() == StatusCode::kDataLoss);
  CHECK(status.message().find(dir->path()) != std::string::npos);
}

TEST_CASE("SeriesStore::Open refuses another format version",
          "[tsdb][store][corruption]") {
  auto dir = NewTempDir();
  { auto store = OpenOrDie(OptionsFor(dir->path())); }
  CorruptEntry(dir->path(), Family::kCatalogue, FormatVersionKey(),
               EncodeU32(kFormatVersion + 1));
  const Status status = OpenStatus(dir->path());
  CHECK(status.code() == StatusCode::kFailedPrecondition);
  CHECK(status.message().find("version 2") != std::string::npos);
}

TEST_CASE("SeriesStore reads report damaged samples as data loss",
          "[tsdb][store][corruption]") {
  auto dir = NewTempDir();
  const int64_t t0 = NowMs() - 10'000;
  const Labels series = Series("m");
  uint32_t id = 0;
  {
    auto store = OpenOrDie(OptionsFor(dir->path()));
    WriteSamples(store.get(), series, t0, 1000, {1, 2, 3});
    id = FindSeries(*store, series).id;
  }

  SECTION("a bad value") {
    CorruptEntry(dir->path(), Family::kSamples, EncodeSampleKey(id, t0 + 1000),
                 "\x7f");
    auto store = OpenOrDie(OptionsFor(dir->path()));
    std::vector<Sample> samples = {{1, 1}};
    Status status = store->Read(id, 0, t0 + 5000, &samples);
    CHECK(status.code() == StatusCode::kDataLoss);
    CHECK(status.message().find("series " + std::to_string(id)) !=
          std::string::npos);
    CHECK(samples == std::vector<Sample>{{1, 1}});

    // Samples before the damage are still readable.
    REQUIRE_OK(store->ReadNewestFirst(id, 0, t0, 10, &samples));
    CHECK(samples == std::vector<Sample>{{t0, 1}});
  }
  SECTION("a key of the wrong length inside a series' range") {
    CorruptEntry(dir->path(), Family::kSamples,
                 EncodeSampleKey(id, t0 + 1000) + "x", "v");
    auto store = OpenOrDie(OptionsFor(dir->path()));
    std::vector<Sample> samples;
    CHECK(store->Read(id, 0, t0 + 5000, &samples).code() ==
          StatusCode::kDataLoss);
  }
}

}  // namespace ollama_exporter::tsdb
