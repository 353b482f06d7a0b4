#include "http/step_evaluator.h"

#include "tsdb/stale_marker.h"

namespace ollama_exporter::http {

std::vector<tsdb::Sample> EvaluateSteps(
    const std::vector<tsdb::Sample>& samples, int64_t start_ms, int64_t end_ms,
    int64_t step_ms, int64_t lookback_ms) {
  std::vector<tsdb::Sample> points;
  size_t next = 0;  // The first sample newer than the current step.
  for (int64_t t = start_ms;;) {
    while (next < samples.size() && samples[next].timestamp_ms <= t) ++next;
    if (next > 0 && samples[next - 1].timestamp_ms > t - lookback_ms &&
        !tsdb::IsStaleMarker(samples[next - 1].value)) {
      points.push_back({t, samples[next - 1].value});
    }
    // Stops before t + step_ms could pass end_ms or overflow.
    if (end_ms - t < step_ms) break;
    t += step_ms;
  }
  return points;
}

}  // namespace ollama_exporter::http
