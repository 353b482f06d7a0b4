#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::http {

// Parses a Prometheus API time: RFC 3339 ("2026-12-04T17:00:00Z",
// "2026-12-04T18:00:00.5+01:00", up to 9 fraction digits, truncated to
// milliseconds) or Unix seconds with optional decimals ("1796403600.123",
// rounded to milliseconds, as Prometheus does). kInvalidArgument
// 'cannot parse "<text>" to a valid timestamp' for anything else, including
// times outside the years 0001-9999.
Status ParseTimestamp(std::string_view text, int64_t* unix_ms);

// Parses a Prometheus API step: float seconds ("15", "0.5") or a Prometheus
// duration ("1m30s"), truncated to milliseconds, so "0.0001" gives 0.
// Float seconds may be zero or negative; the caller judges the value.
// kInvalidArgument 'cannot parse "<text>" to a valid duration' otherwise.
Status ParseStep(std::string_view text, int64_t* step_ms);

}  // namespace ollama_exporter::http
