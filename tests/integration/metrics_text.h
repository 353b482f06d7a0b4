#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::integration {

using LabelSet = std::map<std::string, std::string>;

// One sample line: name{labels} value.
struct MetricSample {
  std::string name;
  LabelSet labels;
  double value = 0;
};

// A /metrics body in the Prometheus text format 0.0.4, parsed so tests can
// assert values. Value-type: copy freely.
class MetricsText {
 public:
  // Parses `text`: "# TYPE" lines are kept, other comments and blank lines
  // skipped; samples are `name{label="value",...} value [timestamp]` with
  // \\ \" \n escapes in label values. kInvalidArgument, naming the line,
  // for anything else, for a repeated label name or a repeated series.
  // On error *out is unchanged.
  static Status Parse(std::string_view text, MetricsText* out);

  const std::vector<MetricSample>& samples() const { return samples_; }

  // The value of the series with exactly `labels`, nullopt if absent.
  std::optional<double> Value(std::string_view name,
                              const LabelSet& labels = {}) const;

  // Every series named `name`, in text order.
  std::vector<MetricSample> Named(std::string_view name) const;

  // How many series have a name starting with `prefix`.
  size_t CountWithPrefix(std::string_view prefix) const;

  // The "# TYPE" of a family ("counter", "gauge", ...), "" if none.
  std::string TypeOf(std::string_view family) const;

 private:
  std::vector<MetricSample> samples_;
  std::map<std::string, std::string, std::less<>> types_;
};

}  // namespace ollama_exporter::integration
