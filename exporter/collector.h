#pragma once

#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "common/status.h"

namespace ollama_exporter {

// Turns one Ollama endpoint into metric families, fresh on every call.
//
// Thread safety: one Collect() at a time (the poller's thread).
class Collector {
 public:
  virtual ~Collector() = default;

  // The value of the `collector` label: "version", "tags", "ps".
  virtual std::string_view name() const = 0;

  // Appends this endpoint's families to *out. On error appends nothing:
  // kUnavailable / kDeadlineExceeded when Ollama could not be reached in
  // time, kFailedPrecondition when it answered something unusable.
  virtual Status Collect(std::vector<prometheus::MetricFamily>* out) = 0;

  // Entries of the last reply that were left out as unusable (no name,
  // duplicate name). Counted by the poller; 0 for endpoints without lists.
  virtual int last_skipped_entries() const { return 0; }
};

}  // namespace ollama_exporter
