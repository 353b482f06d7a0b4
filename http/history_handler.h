#pragma once

#include <cstdint>

#include "http/request.h"
#include "http/response.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

inline constexpr double kDefaultHistoryHours = 24;
inline constexpr double kMaxHistoryHours = 8784;  // 366 days.
inline constexpr int64_t kDefaultHistoryLimit = 1000;
inline constexpr int64_t kMaxHistoryLimit = 5000;

// GET /api/ollama/history?hours=H&limit=N: the poll history in the shape
// of the dashboard this exporter replaces, so that contract is fixed.
//
// hours: the window (now_ms - H hours, inclusive, to now_ms); default 24,
// decimals allowed, > 0 and <= 8784. limit: at most this many polls;
// default 1000, a positive integer, above 5000 taken as 5000. Other
// parameters are ignored; a repeated one counts once, its first value.
//
// 200 {"success":true,"data":[...],"timestamp":"<now, ISO-8601 ms UTC>"}
// with one entry per poll, newest first:
//   {"timestamp":"2026-12-04T17:00:00.123Z","running":true,
//    "modelCount":3,"activeInferences":1}
// running: ollama_up was 1; modelCount: ollama_models_installed;
// activeInferences: with the proxy on at that poll, the requests in
// flight through it (the sum of ollama_requests_in_flight over models);
// otherwise ollama_models_loaded (0 when the poll did not record them). No
// ollama_up series yet: "data":[]. Errors, as
// {"success":false,"error":"<what>","timestamp":...}: 400 for a bad hours or
// limit (naming the parameter and value), 503 when the store is unavailable or
// timed out, 500 for any other store failure. Thread safety: as `store`.
Response ServeHistory(const Request& request, const tsdb::SeriesReader& store,
                      int64_t now_ms);

}  // namespace ollama_exporter::http
