#include "exporter/metric_families.h"

#include <utility>

namespace ollama_exporter {
namespace {

prometheus::MetricFamily MakeFamily(std::string name, std::string help,
                                    prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

}  // namespace

prometheus::MetricFamily MakeGauge(std::string name, std::string help) {
  return MakeFamily(std::move(name), std::move(help),
                    prometheus::MetricType::Gauge);
}

prometheus::MetricFamily MakeCounter(std::string name, std::string help) {
  return MakeFamily(std::move(name), std::move(help),
                    prometheus::MetricType::Counter);
}

void AddSample(prometheus::MetricFamily* family, LabelPairs labels,
               double value) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (family->type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family->metric.push_back(std::move(metric));
}

double SampleValue(const prometheus::MetricFamily& family,
                   const prometheus::ClientMetric& metric) {
  return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                        : metric.gauge.value;
}

}  // namespace ollama_exporter
