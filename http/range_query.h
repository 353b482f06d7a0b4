#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "tsdb/matcher.h"
#include "tsdb/sample.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// One series of a query result.
struct SeriesPoints {
  tsdb::Labels labels;
  std::vector<tsdb::Sample> points;  // Oldest first.
};

// A selector evaluated at start_ms, start_ms + step_ms, ... <= end_ms.
// An instant query is one with start_ms == end_ms.
struct RangeQuery {
  std::vector<tsdb::Matcher> matchers;  // At least one.
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t step_ms = 1;  // > 0.
};

// Evaluates `query` over `store` with Prometheus' 5 minute lookback
// (see EvaluateSteps). On success *result holds the selected series that
// have at least one point, in the store's label order. A store error comes
// back with its code (kUnavailable, kDeadlineExceeded, ...) and context;
// *result is then unspecified.
Status RunRangeQuery(const tsdb::SeriesReader& store, const RangeQuery& query,
                     std::vector<SeriesPoints>* result);

}  // namespace ollama_exporter::http
