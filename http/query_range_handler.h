#pragma once

#include "http/request.h"
#include "http/response.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// Prometheus' most common range resolution limit, kept for compatibility.
inline constexpr int64_t kMaxPointsPerSeries = 11000;

// GET or POST /api/v1/query_range?query=<query>&start=&end=&step=
//
// Evaluates a query (see ParseQuery: a series selector, rate or increase)
// at every step from start to end as Prometheus 2.42 does (see
// RunRangeQuery), answering as Prometheus does:
// 200 {"status":"success","data":{"resultType":"matrix","result":[...]}};
// 400 bad_data for a bad parameter, checked in Prometheus' order (start,
// end, end before start, step, step <= 0, more than 11,000 steps, query,
// a range vector query); 422 execution when rate or increase would give
// two series the same labels; 503 unavailable or timeout, or 500
// internal, when the store fails. Thread safety: as `store`.
Response ServeQueryRange(const Request& request,
                         const tsdb::SeriesReader& store);

}  // namespace ollama_exporter::http
