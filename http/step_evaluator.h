#pragma once

#include <cstdint>
#include <vector>

#include "tsdb/sample.h"

namespace ollama_exporter::http {

// Prometheus' default lookback: a step sees samples up to 5 minutes old.
inline constexpr int64_t kLookbackMs = 5 * 60 * 1000;

// Resamples one series at t = start_ms, start_ms + step_ms, ... <= end_ms as
// Prometheus evaluates an instant selector: the point at t carries the value
// of the newest sample with t - lookback_ms < timestamp <= t. Steps with no
// such sample are left out, and so are steps whose newest sample is a
// staleness marker (tsdb/stale_marker.h): the series had ended by then. A
// marker is never a point's value; any other NaN is. `samples` must be
// oldest first; the result is too, with the step times as timestamps.
//
// Requires step_ms > 0, lookback_ms >= 0 and start_ms <= end_ms. Pure; any
// thread.
std::vector<tsdb::Sample> EvaluateSteps(
    const std::vector<tsdb::Sample>& samples, int64_t start_ms, int64_t end_ms,
    int64_t step_ms, int64_t lookback_ms);

}  // namespace ollama_exporter::http
