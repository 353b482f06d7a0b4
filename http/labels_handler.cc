#include "http/labels_handler.h"

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/series_lookup.h"

namespace ollama_exporter::http {
namespace {

constexpr std::string_view kValuesSuffix = "/values";

bool IsLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && (i == 0 || c < '0' || c > '9')) return false;
  }
  return true;
}

// The name in double quotes with Go's %q escapes for ASCII; other bytes
// stay as they are (the JSON encoding replaces invalid UTF-8).
std::string Quote(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      case '\r':
        quoted += "\\r";
        break;
      default:
        if ((c >= 0 && c < 0x20) || c == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\x%02x",
                        static_cast<unsigned>(c));
          quoted += escape;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

// Reads start, end and match[] in Prometheus' order, then finds the
// series; on failure *error is the reply.
bool FindSeries(const Request& request, const tsdb::SeriesReader& store,
                std::vector<tsdb::SeriesInfo>* series, Response* error) {
  QueryParams params;
  Status status = ReadApiParams(request, &params);
  if (!status.ok()) {
    *error = BadData(status.message());
    return false;
  }
  TimeWindow window;
  status = ParseTimeWindow(params, &window);
  if (!status.ok()) {
    *error = BadData(status.message());
    return false;
  }
  std::vector<std::vector<tsdb::Matcher>> matcher_sets;
  status = ParseMatchParams(params, &matcher_sets);
  if (!status.ok()) {
    *error = BadData(status.message());
    return false;
  }
  status = FindSeriesWithSamples(store, matcher_sets, window.start_ms,
                                 window.end_ms, series);
  if (!status.ok()) {
    *error = StoreError(status);
    return false;
  }
  return true;
}

}  // namespace

Response ServeLabels(const Request& request, const tsdb::SeriesReader& store) {
  std::vector<tsdb::SeriesInfo> series;
  Response error;
  if (!FindSeries(request, store, &series, &error)) return error;
  std::set<std::string> names;
  for (const tsdb::SeriesInfo& info : series) {
    for (const auto& label : info.labels) names.insert(label.first);
  }
  return ApiSuccess(
      RenderStringList(std::vector<std::string>(names.begin(), names.end())));
}

Response ServeLabelValues(const Request& request,
                          const tsdb::SeriesReader& store) {
  std::string_view path = request.path;
  const bool shaped =
      path.substr(0, kLabelRoutePrefix.size()) == kLabelRoutePrefix &&
      path.size() > kLabelRoutePrefix.size() + kValuesSuffix.size() &&
      path.substr(path.size() - kValuesSuffix.size()) == kValuesSuffix;
  const std::string_view name =
      shaped ? path.substr(kLabelRoutePrefix.size(),
                           path.size() - kLabelRoutePrefix.size() -
                               kValuesSuffix.size())
             : std::string_view();
  if (!shaped || name.find('/') != std::string_view::npos) {
    return TextResponse(404, "404 page not found");
  }
  if (!IsLabelName(name)) return BadData("invalid label name: " + Quote(name));

  std::vector<tsdb::SeriesInfo> series;
  Response error;
  if (!FindSeries(request, store, &series, &error)) return error;
  std::set<std::string> values;
  for (const tsdb::SeriesInfo& info : series) {
    auto it = info.labels.find(std::string(name));
    if (it != info.labels.end()) values.insert(it->second);
  }
  return ApiSuccess(
      RenderStringList(std::vector<std::string>(values.begin(), values.end())));
}

}  // namespace ollama_exporter::http
