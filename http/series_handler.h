#pragma once

#include "http/request.h"
#include "http/response.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// GET or POST /api/v1/series?match[]=...&start=&end=
//
// The label sets of the series FindSeriesWithSamples finds for the
// match[] selectors (at least one required) and the optional start and
// end (default: the whole retention window), sorted, each once, as
// Prometheus 2.42 answers:
//   {"status":"success","data":[{"__name__":"ollama_up"},...]}
// 400 bad_data in Prometheus' order and words: "no match[] parameter
// provided", 'invalid parameter "start"/"end": ...', 'invalid parameter
// "match[]": <parse error>'; 503/500 for the store.
// Thread safety: as `store`.
Response ServeSeries(const Request& request, const tsdb::SeriesReader& store);

}  // namespace ollama_exporter::http
