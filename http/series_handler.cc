#include "http/series_handler.h"

#include <vector>

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/series_lookup.h"

namespace ollama_exporter::http {

Response ServeSeries(const Request& request, const tsdb::SeriesReader& store) {
  QueryParams params;
  Status status = ReadApiParams(request, &params);
  if (!status.ok()) return BadData(status.message());
  if (params.Find("match[]") == nullptr) {
    return BadData("no match[] parameter provided");
  }
  TimeWindow window;
  status = ParseTimeWindow(params, &window);
  if (!status.ok()) return BadData(status.message());
  std::vector<std::vector<tsdb::Matcher>> matcher_sets;
  status = ParseMatchParams(params, &matcher_sets);
  if (!status.ok()) return InvalidParam("match[]", status);

  std::vector<tsdb::SeriesInfo> series;
  status = FindSeriesWithSamples(store, matcher_sets, window.start_ms,
                                 window.end_ms, &series);
  if (!status.ok()) return StoreError(status);
  std::vector<tsdb::Labels> label_sets;
  label_sets.reserve(series.size());
  for (tsdb::SeriesInfo& info : series) {
    label_sets.push_back(std::move(info.labels));
  }
  return ApiSuccess(RenderLabelSets(label_sets));
}

}  // namespace ollama_exporter::http
