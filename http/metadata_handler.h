#pragma once

#include <vector>

#include <prometheus/metric_family.h>

#include "http/request.h"
#include "http/response.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// GET or POST /api/v1/metadata?limit=&metric=
//
// Type and help of each metric that is both served now (`families`, what
// a Prometheus scraping this exporter would record as target metadata)
// and queryable here (the store has samples of it), keyed by name and
// sorted, as Prometheus 2.42 answers:
//   {"status":"success","data":{"ollama_up":[{"type":"gauge",
//    "help":"...","unit":""}],...}}
// Types are Prometheus' words: counter, gauge, histogram, summary, and
// unknown for untyped. `metric` keeps only that name; `limit` (a number;
// negative means none) keeps the first that many names. 400 bad_data
// "limit must be a number"; 503/500 for the store.
// Thread safety: as `store`.
Response ServeMetadata(const Request& request,
                       const std::vector<prometheus::MetricFamily>& families,
                       const tsdb::SeriesReader& store);

}  // namespace ollama_exporter::http
