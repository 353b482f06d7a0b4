#include "http/series_lookup.h"

#include <map>
#include <utility>

namespace ollama_exporter::http {
namespace {

// Every stored series has a metric name, so this selects them all.
std::vector<tsdb::Matcher> AllSeries() {
  tsdb::Matcher any_name;
  // A fixed, valid pattern: Make cannot fail.
  (void)tsdb::Matcher::Make(tsdb::Matcher::Op::kRegexMatch,
                            tsdb::kMetricNameLabel, ".+", &any_name);
  return {any_name};
}

}  // namespace

Status FindSeriesWithSamples(
    const tsdb::SeriesReader& store,
    const std::vector<std::vector<tsdb::Matcher>>& matcher_sets,
    int64_t start_ms, int64_t end_ms, std::vector<tsdb::SeriesInfo>* out) {
  out->clear();
  std::vector<std::vector<tsdb::Matcher>> all;
  if (matcher_sets.empty()) all.push_back(AllSeries());
  const auto& sets = matcher_sets.empty() ? all : matcher_sets;

  // Sets may overlap; the map keeps each series once, sorted by labels.
  std::map<tsdb::Labels, uint32_t> selected;
  std::vector<tsdb::SeriesInfo> series;
  for (const std::vector<tsdb::Matcher>& matchers : sets) {
    Status status = store.Select(matchers, &series);
    if (!status.ok()) return status.WithContext("selecting series");
    for (tsdb::SeriesInfo& info : series) {
      selected.emplace(std::move(info.labels), info.id);
    }
  }

  std::vector<tsdb::Sample> newest;
  for (auto& [labels, id] : selected) {
    Status status = store.ReadNewestFirst(id, start_ms, end_ms, 1, &newest);
    if (!status.ok()) return status.WithContext("reading series");
    if (!newest.empty()) out->push_back({id, labels});
  }
  return Status::Ok();
}

}  // namespace ollama_exporter::http
