#pragma once

#include <cstdint>
#include <vector>

#include "tsdb/sample.h"

namespace ollama_exporter::http {

// rate() and increase() of one counter as Prometheus 2.42 computes them
// (promql/functions.go, extrapolatedRate), to the last bit:
//
// - The window at t holds the samples with t - range_ms <= timestamp <= t,
//   both ends included, staleness markers left out. Fewer than two samples
//   give no value.
// - increase = last - first, plus the value before each drop (a counter
//   reset), in time order.
// - It is extrapolated towards each end of the window: all the way when
//   the gap is below 1.1 times the average interval between the window's
//   samples, else by half an average interval; towards the start never
//   past where the counter would have been zero (when the increase is
//   positive and the first value not negative).
// - rate = that increase divided by the range in seconds.
//
// Pure; any thread.

// The increase (or, with per_second, the rate) over the window of
// `window_samples` (oldest first, already cut to the window, no markers)
// ending at end_ms. False, leaving *value alone, when there are fewer
// than two samples.
bool ExtrapolatedIncrease(const std::vector<tsdb::Sample>& window_samples,
                          int64_t end_ms, int64_t range_ms, bool per_second,
                          double* value);

// Evaluates at t = start_ms, start_ms + step_ms, ... <= end_ms, leaving
// out steps with no value. `samples` must be oldest first and may hold
// markers; the result has the step times as timestamps.
// Requires step_ms > 0, range_ms > 0 and start_ms <= end_ms.
std::vector<tsdb::Sample> EvaluateRateSteps(
    const std::vector<tsdb::Sample>& samples, int64_t start_ms, int64_t end_ms,
    int64_t step_ms, int64_t range_ms, bool per_second);

// The raw samples of a range selector at t = end_ms: those with
// end_ms - range_ms <= timestamp <= end_ms, markers left out.
std::vector<tsdb::Sample> RangeWindow(const std::vector<tsdb::Sample>& samples,
                                      int64_t end_ms, int64_t range_ms);

}  // namespace ollama_exporter::http
