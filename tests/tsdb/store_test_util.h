#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tsdb/sample.h"
#include "tsdb/series_store.h"

#include "testing/temp_dir.h"

// Helpers shared by the store tests.

// Fails the test with the status text unless `expr` is OK.
#define REQUIRE_OK(expr) REQUIRE((expr).ToString() == "OK")

namespace ollama_exporter::tsdb::testing {

// A fresh directory under /tmp, removed on destruction; fails the test
// when it cannot be made.
std::unique_ptr<::ollama_exporter::testing::TempDir> NewTempDir();

// Wall-clock Unix milliseconds, the clock the store clamps reads with.
int64_t NowMs();

// Store options for tests: the store in `path`, other fields default.
StoreOptions OptionsFor(const std::string& path);

// Opens a store or fails the test.
std::unique_ptr<SeriesStore> OpenOrDie(const StoreOptions& options);

// {__name__=name} plus `extra`.
Labels Series(const std::string& name, Labels extra = {});

// The single series `labels` selects by exact equality, or fails the test.
SeriesInfo FindSeries(const SeriesReader& reader, const Labels& labels);

// Writes `values` as one batch of series `labels` at start_ms, start_ms +
// step_ms, ...; fails the test on error.
void WriteSamples(SeriesStore* store, const Labels& labels, int64_t start_ms,
                  int64_t step_ms, const std::vector<double>& values);

}  // namespace ollama_exporter::tsdb::testing
