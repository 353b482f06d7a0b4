#include "http/rate_evaluator.h"

#include <algorithm>
#include <limits>

#include "tsdb/stale_marker.h"

namespace ollama_exporter::http {
namespace {

// end_ms - range_ms without overflow: absurd ranges reach back to the
// earliest time instead.
int64_t WindowStart(int64_t end_ms, int64_t range_ms) {
  if (end_ms < std::numeric_limits<int64_t>::min() + range_ms) {
    return std::numeric_limits<int64_t>::min();
  }
  return end_ms - range_ms;
}

// Go's time.Duration.Seconds() for a whole number of milliseconds: whole
// seconds plus the nanoseconds divided by 1e9, which can differ from
// range_ms / 1000.0 in the last bit.
double DurationSeconds(int64_t range_ms) {
  return static_cast<double>(range_ms / 1000) +
         static_cast<double>((range_ms % 1000) * 1000000) / 1e9;
}

}  // namespace

bool ExtrapolatedIncrease(const std::vector<tsdb::Sample>& window_samples,
                          int64_t end_ms, int64_t range_ms, bool per_second,
                          double* value) {
  const std::vector<tsdb::Sample>& s = window_samples;
  if (s.size() < 2) return false;
  const int64_t range_start = WindowStart(end_ms, range_ms);

  // The same operations in the same order as Prometheus, so the doubles
  // match bit for bit.
  double result = s.back().value - s.front().value;
  double previous = s.front().value;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i].value < previous) result += previous;
    previous = s[i].value;
  }

  double to_start =
      static_cast<double>(s.front().timestamp_ms - range_start) / 1000;
  const double to_end =
      static_cast<double>(end_ms - s.back().timestamp_ms) / 1000;
  const double sampled =
      static_cast<double>(s.back().timestamp_ms - s.front().timestamp_ms) /
      1000;
  const double average = sampled / static_cast<double>(s.size() - 1);

  if (result > 0 && s.front().value >= 0) {
    const double to_zero = sampled * (s.front().value / result);
    if (to_zero < to_start) to_start = to_zero;
  }

  const double threshold = average * 1.1;
  double extrapolated = sampled;
  extrapolated += to_start < threshold ? to_start : average / 2;
  extrapolated += to_end < threshold ? to_end : average / 2;
  double factor = extrapolated / sampled;
  if (per_second) factor /= DurationSeconds(range_ms);
  *value = result * factor;
  return true;
}

std::vector<tsdb::Sample> EvaluateRateSteps(
    const std::vector<tsdb::Sample>& samples, int64_t start_ms, int64_t end_ms,
    int64_t step_ms, int64_t range_ms, bool per_second) {
  std::vector<tsdb::Sample> points;
  std::vector<tsdb::Sample> window;
  for (int64_t t = start_ms;;) {
    window = RangeWindow(samples, t, range_ms);
    double value;
    if (ExtrapolatedIncrease(window, t, range_ms, per_second, &value)) {
      points.push_back({t, value});
    }
    // Stops before t + step_ms could pass end_ms or overflow.
    if (end_ms - t < step_ms) break;
    t += step_ms;
  }
  return points;
}

std::vector<tsdb::Sample> RangeWindow(const std::vector<tsdb::Sample>& samples,
                                      int64_t end_ms, int64_t range_ms) {
  const int64_t start_ms = WindowStart(end_ms, range_ms);
  auto it = std::lower_bound(samples.begin(), samples.end(), start_ms,
                             [](const tsdb::Sample& sample, int64_t t) {
                               return sample.timestamp_ms < t;
                             });
  std::vector<tsdb::Sample> window;
  for (; it != samples.end() && it->timestamp_ms <= end_ms; ++it) {
    if (!tsdb::IsStaleMarker(it->value)) window.push_back(*it);
  }
  return window;
}

}  // namespace ollama_exporter::http
