#include "http/query_handler.h"

#include <string_view>
#include <vector>

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/prom_time.h"
#include "http/query_params.h"
#include "http/query_parser.h"
#include "http/range_query.h"

namespace ollama_exporter::http {

Response ServeQuery(const Request& request, const tsdb::SeriesReader& store,
                    int64_t now_ms) {
  QueryParams params;
  Status status = ReadApiParams(request, &params);
  if (!status.ok()) return BadData(status.message());

  RangeQuery query;
  // As in Prometheus, an empty time means now.
  query.start_ms = now_ms;
  std::string_view time = ParamText(params, "time");
  if (!time.empty()) {
    status = ParseTimestamp(time, &query.start_ms);
    if (!status.ok()) return InvalidParam("time", status);
  }
  query.end_ms = query.start_ms;
  status = ParseQuery(ParamText(params, "query"), &query.expr);
  if (!status.ok()) return InvalidParam("query", status);

  std::vector<SeriesPoints> result;
  status = RunRangeQuery(store, query, &result);
  if (!status.ok()) return QueryFailure(status);
  if (query.expr.kind == QueryExpr::Kind::kRangeSelector) {
    return ApiSuccess(RenderMatrix(result));
  }
  return ApiSuccess(RenderVector(result));
}

}  // namespace ollama_exporter::http
