#pragma once

#include <functional>
#include <vector>

#include <prometheus/metric_family.h>

#include "http/request.h"
#include "http/response.h"

namespace ollama_exporter::http {

inline constexpr char kTextFormat[] =
    "text/plain; version=0.0.4; charset=utf-8";

// GET or HEAD on the telemetry path: calls `collect` and answers 200 with
// the families in the Prometheus text format, gzipped (Content-Encoding:
// gzip) when the request's Accept-Encoding admits gzip. 500 with a
// one-line body only when collecting or rendering throws.
// Thread safety: as `collect`.
Response ServeMetrics(
    const Request& request,
    const std::function<std::vector<prometheus::MetricFamily>()>& collect);

}  // namespace ollama_exporter::http
