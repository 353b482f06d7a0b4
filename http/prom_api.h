#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/query_params.h"
#include "http/request.h"
#include "http/response.h"
#include "tsdb/matcher.h"

namespace ollama_exporter::http {

// Request and reply handling shared by the Prometheus-shaped routes
// (/api/v1/...). Replies are application/json.

// The parameters of an API request: the URL query, and for a POST with
// Content-Type application/x-www-form-urlencoded also the body. As in
// Prometheus (Go's Request.Form), the body's values come first, so they
// win for single-valued parameters, and repeated ones (match[]) get both.
// kInvalidArgument for a malformed escape in either.
Status ReadApiParams(const Request& request, QueryParams* params);

// The value of `name`, or "" when absent (Prometheus treats them alike).
std::string_view ParamText(const QueryParams& params, std::string_view name);

// The time range a series, labels or exemplars request asks about; by
// default unbounded, so the whole retention window.
struct TimeWindow {
  int64_t start_ms = std::numeric_limits<int64_t>::min();
  int64_t end_ms = std::numeric_limits<int64_t>::max();
};

// Reads the optional start and end parameters (see ParseTimestamp) as
// Prometheus 2.42's series, labels and exemplars APIs do: start first, a
// bound absent or empty stays unbounded, and end before start is left to
// the caller (only the exemplars API refuses it). kInvalidArgument with
// the bad_data message 'invalid parameter "start": <why>' (or "end");
// *window is then unchanged.
Status ParseTimeWindow(const QueryParams& params, TimeWindow* window);

// Every match[] parameter as a series selector (ParseMetricSelector), in
// order; none gives an empty *sets. kInvalidArgument with Prometheus'
// message for a malformed selector or one whose matchers all match the
// empty string ("match[] must contain at least one non-empty matcher");
// *sets is then unchanged.
Status ParseMatchParams(const QueryParams& params,
                        std::vector<std::vector<tsdb::Matcher>>* sets);

// 200 with a success body from RenderMatrix or RenderVector.
Response ApiSuccess(std::string body);

// 400 bad_data: 'invalid parameter "<name>": <error's message>'.
// Requires !error.ok().
Response InvalidParam(std::string_view name, const Status& error);

// 400 bad_data with `message` as it is.
Response BadData(std::string_view message);

// The reply to a failed RunRangeQuery: 422 execution for kInvalidArgument
// (the query cannot be evaluated), else as StoreError.
Response QueryFailure(const Status& error);

// A store failure, logged here: 503 "unavailable" for kUnavailable, 503
// "timeout" for kDeadlineExceeded, else 500 "internal".
Response StoreError(const Status& error);

}  // namespace ollama_exporter::http
