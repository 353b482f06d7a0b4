#pragma once

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace ollama_exporter {

// The standard process_* metrics of the Prometheus client libraries, read
// from /proc/self on each call (prometheus-cpp has no such collector).
// A value that cannot be read is left out, never made up.
//
// Thread safety: Collect() from any thread.
class ProcessCollector {
 public:
  // `proc_self` is the /proc/<pid> directory to read; tests point it at a
  // fixture tree.
  explicit ProcessCollector(std::string proc_self = "/proc/self");

  // process_cpu_seconds_total, process_open_fds, process_max_fds,
  // process_virtual_memory_bytes, process_virtual_memory_max_bytes,
  // process_resident_memory_bytes, process_start_time_seconds,
  // process_threads.
  std::vector<prometheus::MetricFamily> Collect() const;

 private:
  std::string proc_self_;
};

}  // namespace ollama_exporter
