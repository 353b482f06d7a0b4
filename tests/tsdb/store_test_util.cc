#include "store_test_util.h"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include <catch2/catch.hpp>

namespace ollama_exporter::tsdb::testing {

std::unique_ptr<::ollama_exporter::testing::TempDir> NewTempDir() {
  std::unique_ptr<::ollama_exporter::testing::TempDir> dir;
  Status status =
      ::ollama_exporter::testing::TempDir::Create("oe_tsdb_test", &dir);
  INFO(status.ToString());
  REQUIRE(status.ok());
  return dir;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StoreOptions OptionsFor(const std::string& path) {
  StoreOptions options;
  options.path = path;
  return options;
}

std::unique_ptr<SeriesStore> OpenOrDie(const StoreOptions& options) {
  std::unique_ptr<SeriesStore> store;
  REQUIRE_OK(SeriesStore::Open(options, &store));
  REQUIRE(store != nullptr);
  return store;
}

Labels Series(const std::string& name, Labels extra) {
  extra[kMetricNameLabel] = name;
  return extra;
}

SeriesInfo FindSeries(const SeriesReader& reader, const Labels& labels) {
  std::vector<Matcher> matchers;
  for (const auto& [name, value] : labels) {
    Matcher matcher;
    REQUIRE_OK(Matcher::Make(Matcher::Op::kEqual, name, value, &matcher));
    matchers.push_back(matcher);
  }
  std::vector<SeriesInfo> found;
  REQUIRE_OK(reader.Select(matchers, &found));
  // Equality matchers also match supersets; keep the exact set.
  std::vector<SeriesInfo> exact;
  for (const SeriesInfo& info : found) {
    if (info.labels == labels) exact.push_back(info);
  }
  REQUIRE(exact.size() == 1);
  return exact[0];
}

void WriteSamples(SeriesStore* store, const Labels& labels, int64_t start_ms,
                  int64_t step_ms, const std::vector<double>& values) {
  std::vector<LabeledSample> batch;
  for (size_t i = 0; i < values.size(); ++i) {
    batch.push_back(
        {labels, {start_ms + static_cast<int64_t>(i) * step_ms, values[i]}});
  }
  REQUIRE_OK(store->Append(batch));
}

}  // namespace ollama_exporter::tsdb::testing
