#pragma once

#include <cstdint>

#include "http/request.h"
#include "http/response.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// GET or POST /api/v1/query?query=<selector>&time=<t>
//
// The instant form of ServeQueryRange: one evaluation at `time` (now_ms
// when absent or empty) with the same 5 minute lookback, answered as
// {"status":"success","data":{"resultType":"vector","result":[
//   {"metric":{...},"value":[<seconds>,"<value>"]},...]}}.
// Errors as ServeQueryRange: 400 bad_data for a bad time or query, 503/500
// for the store. Thread safety: as `store`.
Response ServeQuery(const Request& request, const tsdb::SeriesReader& store,
                    int64_t now_ms);

}  // namespace ollama_exporter::http
