#pragma once

#include <cstdint>
#include <string_view>

#include "http/response.h"

namespace ollama_exporter::http {

// "/": a small HTML page naming the exporter and its version, linking the
// telemetry path, the history, a query_range example over the hour before
// now_ms, and the probes. 200 text/html.
Response ServeLanding(std::string_view version, std::string_view telemetry_path,
                      int64_t now_ms);

}  // namespace ollama_exporter::http
