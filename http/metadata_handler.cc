#include "http/metadata_handler.h"

#include <charconv>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/series_lookup.h"

namespace ollama_exporter::http {
namespace {

const char* TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return "counter";
    case prometheus::MetricType::Gauge:
      return "gauge";
    case prometheus::MetricType::Summary:
      return "summary";
    case prometheus::MetricType::Histogram:
      return "histogram";
    case prometheus::MetricType::Untyped:
      break;
  }
  return "unknown";
}

// Go's strconv.Atoi: an optional sign and decimal digits, nothing else.
bool ParseLimit(std::string_view text, int64_t* limit) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, *limit);
  return error == std::errc() && stop == end && !text.empty();
}

}  // namespace

Response ServeMetadata(const Request& request,
                       const std::vector<prometheus::MetricFamily>& families,
                       const tsdb::SeriesReader& store) {
  QueryParams params;
  Status status = ReadApiParams(request, &params);
  if (!status.ok()) return BadData(status.message());
  int64_t limit = -1;
  std::string_view limit_text = ParamText(params, "limit");
  if (!limit_text.empty() && !ParseLimit(limit_text, &limit)) {
    return BadData("limit must be a number");
  }
  const std::string_view only = ParamText(params, "metric");

  std::vector<tsdb::SeriesInfo> series;
  const TimeWindow all_time;
  status = FindSeriesWithSamples(store, {}, all_time.start_ms, all_time.end_ms,
                                 &series);
  if (!status.ok()) return StoreError(status);
  std::set<std::string> stored;
  for (const tsdb::SeriesInfo& info : series) {
    auto name = info.labels.find(tsdb::kMetricNameLabel);
    if (name != info.labels.end()) stored.insert(name->second);
  }

  // One entry per name; a family served twice keeps its first metadata.
  std::map<std::string, std::string> entries;
  for (const prometheus::MetricFamily& family : families) {
    if (stored.count(family.name) == 0) continue;
    if (!only.empty() && family.name != only) continue;
    std::string entry = "[{\"type\":\"";
    entry += TypeName(family.type);
    entry += "\",\"help\":";
    AppendJsonString(family.help, &entry);
    entry += ",\"unit\":\"\"}]";
    entries.emplace(family.name, std::move(entry));
  }

  std::string data = "{";
  int64_t count = 0;
  for (const auto& [name, entry] : entries) {
    if (limit >= 0 && count >= limit) break;
    if (count++ > 0) data += ',';
    AppendJsonString(name, &data);
    data += ':';
    data += entry;
  }
  data += '}';
  return ApiSuccess(RenderSuccessData(data));
}

}  // namespace ollama_exporter::http
