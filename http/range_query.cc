#include "http/range_query.h"

#include <utility>

#include "http/step_evaluator.h"

namespace ollama_exporter::http {

Status RunRangeQuery(const tsdb::SeriesReader& store, const RangeQuery& query,
                     std::vector<SeriesPoints>* result) {
  result->clear();
  std::vector<tsdb::SeriesInfo> series;
  Status status = store.Select(query.matchers, &series);
  if (!status.ok()) return status.WithContext("selecting series");

  // The first step looks back to just after start - lookback.
  const int64_t read_from = query.start_ms - kLookbackMs + 1;
  std::vector<tsdb::Sample> samples;
  for (tsdb::SeriesInfo& info : series) {
    status = store.Read(info.id, read_from, query.end_ms, &samples);
    if (!status.ok()) return status.WithContext("reading series");
    std::vector<tsdb::Sample> points = EvaluateSteps(
        samples, query.start_ms, query.end_ms, query.step_ms, kLookbackMs);
    if (points.empty()) continue;
    result->push_back({std::move(info.labels), std::move(points)});
  }
  return Status::Ok();
}

}  // namespace ollama_exporter::http
