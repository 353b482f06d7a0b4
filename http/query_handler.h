#pragma once

#include <cstdint>

#include "http/request.h"
#include "http/response.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// GET or POST /api/v1/query?query=<query>&time=<t>
//
// The instant form of ServeQueryRange: one evaluation at `time` (now_ms
// when absent or empty), answered as
// {"status":"success","data":{"resultType":"vector","result":[
//   {"metric":{...},"value":[<seconds>,"<value>"]},...]}}.
// A range selector ("up[5m]") answers its raw samples in [time - 5m,
// time] as Prometheus does: "resultType":"matrix" with "values".
// Errors as ServeQueryRange: 400 bad_data for a bad time or query, 422
// execution, 503/500 for the store. Thread safety: as `store`.
Response ServeQuery(const Request& request, const tsdb::SeriesReader& store,
                    int64_t now_ms);

}  // namespace ollama_exporter::http
