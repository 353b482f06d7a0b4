#include "http/range_query.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "http/rate_evaluator.h"
#include "http/step_evaluator.h"

namespace ollama_exporter::http {
namespace {

using Kind = QueryExpr::Kind;

// The oldest sample time the first step can see; saturates for absurd
// ranges rather than overflowing.
int64_t ReadFrom(const RangeQuery& query) {
  const int64_t reach = query.expr.kind == Kind::kSelector
                            ? kLookbackMs - 1
                            : query.expr.range_ms;
  const int64_t first_step =
      query.expr.kind == Kind::kRangeSelector ? query.end_ms : query.start_ms;
  if (first_step < std::numeric_limits<int64_t>::min() + reach) {
    return std::numeric_limits<int64_t>::min();
  }
  return first_step - reach;
}

std::vector<tsdb::Sample> Evaluate(const RangeQuery& query,
                                   const std::vector<tsdb::Sample>& samples) {
  const QueryExpr& expr = query.expr;
  switch (expr.kind) {
    case Kind::kSelector:
      return EvaluateSteps(samples, query.start_ms, query.end_ms, query.step_ms,
                           kLookbackMs);
    case Kind::kRangeSelector:
      return RangeWindow(samples, query.end_ms, expr.range_ms);
    case Kind::kRate:
    case Kind::kIncrease:
      break;
  }
  return EvaluateRateSteps(samples, query.start_ms, query.end_ms, query.step_ms,
                           expr.range_ms,
                           /*per_second=*/expr.kind == Kind::kRate);
}

bool SameLabels(const SeriesPoints& a, const SeriesPoints& b) {
  return a.labels == b.labels;
}

}  // namespace

Status RunRangeQuery(const tsdb::SeriesReader& store, const RangeQuery& query,
                     std::vector<SeriesPoints>* result) {
  result->clear();
  std::vector<tsdb::SeriesInfo> series;
  Status status = store.Select(query.expr.matchers, &series);
  if (!status.ok()) return status.WithContext("selecting series");

  const bool drops_name =
      query.expr.kind == Kind::kRate || query.expr.kind == Kind::kIncrease;
  const int64_t read_from = ReadFrom(query);
  std::vector<tsdb::Sample> samples;
  for (tsdb::SeriesInfo& info : series) {
    status = store.Read(info.id, read_from, query.end_ms, &samples);
    if (!status.ok()) return status.WithContext("reading series");
    std::vector<tsdb::Sample> points = Evaluate(query, samples);
    if (points.empty()) continue;
    if (drops_name) info.labels.erase(tsdb::kMetricNameLabel);
    result->push_back({std::move(info.labels), std::move(points)});
  }

  // Dropping the names can reorder the series and make two alike.
  std::sort(result->begin(), result->end(),
            [](const SeriesPoints& a, const SeriesPoints& b) {
              return a.labels < b.labels;
            });
  if (std::adjacent_find(result->begin(), result->end(), SameLabels) !=
      result->end()) {
    return Status::InvalidArgument(
        "vector cannot contain metrics with the same labelset");
  }
  return Status::Ok();
}

}  // namespace ollama_exporter::http
