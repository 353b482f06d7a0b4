#pragma once

// Catch2 checks shared by the end-to-end tests.

#include <string>

#include <catch2/catch.hpp>

#include "common/time_format.h"

#include "exporter_process.h"
#include "metrics_text.h"
#include "promtool.h"
#include "require_ok.h"

namespace ollama_exporter::integration {

inline double NowSeconds() { return static_cast<double>(NowMillis()) / 1000; }

inline LabelSet Model(const std::string& name) { return {{"model", name}}; }

// Fails the test unless `promtool check metrics` accepts `body` cleanly.
inline void RequirePromtoolClean(const std::string& body) {
  ProcessResult result;
  REQUIRE_OK(PromtoolCheckMetrics(body, &result));
  INFO("promtool: " << result.out << result.err << "\nbody:\n" << body);
  CHECK(result.exit_code == 0);
}

// The same for the exporter's /metrics as it is now.
inline void RequirePromtoolClean(const ExporterProcess& exporter) {
  MetricsText metrics;
  std::string body;
  REQUIRE_OK(exporter.Metrics(&metrics, &body));
  RequirePromtoolClean(body);
}

// Every series that comes from Ollama, as opposed to the exporter's own.
inline size_t OllamaSeries(const MetricsText& metrics) {
  return metrics.CountWithPrefix("ollama_model") +
         metrics.CountWithPrefix("ollama_loaded_model") +
         metrics.CountWithPrefix("ollama_version_info");
}

}  // namespace ollama_exporter::integration
