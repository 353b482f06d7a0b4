#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "http/query_params.h"
#include "http/request.h"
#include "http/response.h"

namespace ollama_exporter::http {

// Request and reply handling shared by the Prometheus-shaped routes
// (/api/v1/query_range, /api/v1/query). Replies are application/json.

// The parameters of an API request: the URL query, and for a POST with
// Content-Type application/x-www-form-urlencoded also the body, whose values
// win over the URL's as in Prometheus. kInvalidArgument for a malformed
// escape in either.
Status ReadApiParams(const Request& request, QueryParams* params);

// The value of `name`, or "" when absent (Prometheus treats them alike).
std::string_view ParamText(const QueryParams& params, std::string_view name);

// 200 with a success body from RenderMatrix or RenderVector.
Response ApiSuccess(std::string body);

// 400 bad_data: 'invalid parameter "<name>": <error's message>'.
Response InvalidParam(std::string_view name, const Status& error);

// 400 bad_data with `message` as it is.
Response BadData(std::string_view message);

// A store failure, logged here: 503 "unavailable" for kUnavailable, 503
// "timeout" for kDeadlineExceeded, else 500 "internal".
Response StoreError(const Status& error);

}  // namespace ollama_exporter::http
