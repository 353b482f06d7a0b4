#pragma once

#include <string>

#include "http/response.h"

namespace ollama_exporter::http {

// GET or POST /api/v1/status/buildinfo
//
// Prometheus 2.42's build information shape with this exporter's own
// version and revision, and empty strings for what it has no counterpart
// of (branch, build user and date, Go version):
//   {"status":"success","data":{"version":"0.1.0","revision":"1a2b3c",
//    "branch":"","buildUser":"","buildDate":"","goVersion":""}}
// Grafana reads data.version for feature detection; not being a
// Prometheus version, it makes Grafana assume no match[] support on the
// label routes and ask /api/v1/series instead, which is served too.
// Pure; any thread.
Response ServeBuildInfo(const std::string& version,
                        const std::string& revision);

}  // namespace ollama_exporter::http
