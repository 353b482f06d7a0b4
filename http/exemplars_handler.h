#pragma once

#include "http/request.h"
#include "http/response.h"

namespace ollama_exporter::http {

// GET or POST /api/v1/query_exemplars?query=&start=&end=
//
// The store keeps no exemplars, so every query has none:
// {"status":"success","data":[]}, as Prometheus answers without exemplar
// storage. 400 bad_data as Prometheus 2.42 for a bad start or end, end
// before start ("end timestamp must not be before start timestamp"), or
// an empty query; the query is not otherwise checked, since nothing
// would be found for it either way. Pure; any thread.
Response ServeQueryExemplars(const Request& request);

}  // namespace ollama_exporter::http
