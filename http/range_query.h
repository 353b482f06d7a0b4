#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "http/query_parser.h"
#include "tsdb/matcher.h"
#include "tsdb/sample.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// One series of a query result.
struct SeriesPoints {
  tsdb::Labels labels;
  std::vector<tsdb::Sample> points;  // Oldest first.
};

// A query evaluated at start_ms, start_ms + step_ms, ... <= end_ms.
// An instant query is one with start_ms == end_ms.
struct RangeQuery {
  QueryExpr expr;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t step_ms = 1;  // > 0.
};

// Evaluates `query` over `store` as Prometheus 2.42 does:
// - a selector with the 5 minute lookback (see EvaluateSteps);
// - rate and increase per step (see EvaluateRateSteps), the result
//   labelled without __name__;
// - a range selector (instant queries only; start_ms is ignored) as the
//   raw samples in [end_ms - range, end_ms], staleness markers left out.
// On success *result holds the series with at least one point, sorted by
// labels. kInvalidArgument "vector cannot contain metrics with the same
// labelset" when rate or increase leaves two series with the same labels
// (Prometheus' 422 execution error). A store error comes back with its
// code (kUnavailable, kDeadlineExceeded, ...) and context. On error
// *result is unspecified.
Status RunRangeQuery(const tsdb::SeriesReader& store, const RangeQuery& query,
                     std::vector<SeriesPoints>* result);

}  // namespace ollama_exporter::http
