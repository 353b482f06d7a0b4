#include "http/exemplars_handler.h"

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/promql_cursor.h"

namespace ollama_exporter::http {

Response ServeQueryExemplars(const Request& request) {
  QueryParams params;
  Status status = ReadApiParams(request, &params);
  if (!status.ok()) return BadData(status.message());
  TimeWindow window;
  status = ParseTimeWindow(params, &window);
  if (!status.ok()) return BadData(status.message());
  if (window.end_ms < window.start_ms) {
    return BadData("end timestamp must not be before start timestamp");
  }
  if (ParamText(params, "query").find_first_not_of(" \t\r\n") ==
      std::string_view::npos) {
    return BadData(
        ParseErrorAt("", 0, "no expression found in input").message());
  }
  return ApiSuccess(RenderSuccessData("[]"));
}

}  // namespace ollama_exporter::http
