#include "http/query_range_handler.h"

#include <utility>
#include <vector>

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/prom_time.h"
#include "http/query_params.h"
#include "http/range_query.h"
#include "http/selector_parser.h"

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
  status = ParseSelector(ParamText(params, "query"), &query.matchers);
  if (!status.ok()) return InvalidParam("query", status);

  std::vector<SeriesPoints> result;
  status = RunRangeQuery(store, query, &result);
  if (!status.ok()) return StoreError(status);
  return ApiSuccess(RenderMatrix(result));
}

}  // namespace ollama_exporter::http
