#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace ollama_exporter::tsdb {

// A series' identity: label name -> value, the metric name under
// "__name__", as in Prometheus. Sorted by name, so equal sets compare equal.
using Labels = std::map<std::string, std::string>;

inline constexpr char kMetricNameLabel[] = "__name__";

// One point of one series.
struct Sample {
  int64_t timestamp_ms = 0;  // Unix milliseconds.
  double value = 0;

  bool operator==(const Sample& other) const {
    return timestamp_ms == other.timestamp_ms && value == other.value;
  }
};

// A point together with the series it belongs to, as appended.
struct LabeledSample {
  Labels labels;  // Must hold a non-empty "__name__".
  Sample sample;
};

}  // namespace ollama_exporter::tsdb
