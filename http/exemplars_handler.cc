#include "http/exemplars_handler.h"

#include <cstdint>
#include <limits>

#include "http/prom_api.h"
#include "http/prom_json.h"
#include "http/selector_parser.h"

namespace ollama_exporter::http {

Response ServeQueryExemplars(const Request& request) {
  QueryParams params;
  Status status = ReadApiParams(request, &params);
  if (!status.ok()) return BadData(status.message());
  int64_t start_ms;
  status = ParseTimeParam(params, "start", std::numeric_limits<int64_t>::min(),
                          &start_ms);
  if (!status.ok()) return InvalidParam("start", status);
  int64_t end_ms;
  status = ParseTimeParam(params, "end", std::numeric_limits<int64_t>::max(),
                          &end_ms);
  if (!status.ok()) return InvalidParam("end", status);
  if (end_ms < start_ms) {
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
