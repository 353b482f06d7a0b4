#include "http/query_range_handler.h"

#include <utility>
#include <vector>

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/prom_time.h"
#include "http/query_params.h"
#include "http/query_parser.h"
#include "http/range_query.h"

namespace ollama_exporter::http {

Response ServeQueryRange(const Request& request,
                         const tsdb::SeriesReader& store) {
  QueryParams params;
  Status status = ReadApiParams(request, &params);
  if (!status.ok()) return BadData(status.message());

  RangeQuery query;
  status = ParseTimestamp(ParamText(params, "start"), &query.start_ms);
  if (!status.ok()) return InvalidParam("start", status);
  status = ParseTimestamp(ParamText(params, "end"), &query.end_ms);
  if (!status.ok()) return InvalidParam("end", status);
  if (query.end_ms < query.start_ms) {
    return BadData("end timestamp must not be before start time");
  }
  status = ParseStep(ParamText(params, "step"), &query.step_ms);
  if (!status.ok()) return InvalidParam("step", status);
  if (query.step_ms <= 0) {
    return BadData(
        "zero or negative query resolution step widths are not accepted. "
        "Try a positive integer");
  }
  if ((query.end_ms - query.start_ms) / query.step_ms > kMaxPointsPerSeries) {
    return BadData(
        "exceeded maximum resolution of 11,000 points per timeseries. Try "
        "decreasing the query resolution (?step=XX)");
  }
  status = ParseQuery(ParamText(params, "query"), &query.expr);
  if (!status.ok()) return InvalidParam("query", status);
  if (query.expr.kind == QueryExpr::Kind::kRangeSelector) {
    return BadData(
        "invalid parameter \"query\": invalid expression type \"range "
        "vector\" for range query, must be Scalar or instant Vector");
  }

  std::vector<SeriesPoints> result;
  status = RunRangeQuery(store, query, &result);
  if (!status.ok()) return QueryFailure(status);
  return ApiSuccess(RenderMatrix(result));
}

}  // namespace ollama_exporter::http
