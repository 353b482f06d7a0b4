#pragma once

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace ollama_exporter {

// A label set in the order given; prometheus-cpp's serializer prints it so.
using LabelPairs = std::vector<prometheus::ClientMetric::Label>;

// An empty gauge / counter family. `help` must hold no backslash or
// newline: prometheus-cpp 1.0.1 writes HELP text unescaped.
prometheus::MetricFamily MakeGauge(std::string name, std::string help);
prometheus::MetricFamily MakeCounter(std::string name, std::string help);

// Appends one series to a gauge or counter family.
void AddSample(prometheus::MetricFamily* family, LabelPairs labels,
               double value);

// The value of a gauge or counter series.
double SampleValue(const prometheus::MetricFamily& family,
                   const prometheus::ClientMetric& metric);

}  // namespace ollama_exporter
