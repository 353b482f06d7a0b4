#pragma once

#include <string_view>

#include "http/request.h"
#include "http/response.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// Where the label values route lives: /api/v1/label/<name>/values.
inline constexpr std::string_view kLabelRoutePrefix = "/api/v1/label/";

// GET or POST /api/v1/labels?start=&end=&match[]=...
//
// The label names of the series FindSeriesWithSamples finds for the
// match[] selectors (all series when none) and the optional start and end
// (default: the whole retention window), __name__ included, sorted, each
// once, as Prometheus 2.42 answers:
//   {"status":"success","data":["__name__","model"]}
// 400 bad_data for a bad start or end ('invalid parameter "start": ...')
// or match[] (the parse error as it is); 503/500 for the store.
// Thread safety: as `store`.
Response ServeLabels(const Request& request, const tsdb::SeriesReader& store);

// GET or POST /api/v1/label/<name>/values?start=&end=&match[]=...
//
// The values of label <name> over the same series as ServeLabels, sorted,
// each once: {"status":"success","data":["llama3","qwen"]}; an empty list
// when no series has the label. 404 "404 page not found" (text) for a path
// not of that shape; 400 bad_data 'invalid label name: "<name>"' for a
// name that is not [a-zA-Z_][a-zA-Z0-9_]*; otherwise errors as
// ServeLabels. Thread safety: as `store`.
Response ServeLabelValues(const Request& request,
                          const tsdb::SeriesReader& store);

}  // namespace ollama_exporter::http
