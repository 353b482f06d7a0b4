#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ollama_exporter::prometheus_test {

// One label matcher of a selector, as written: name, "=", "!=", "=~" or
// "!~", and the quoted value with its quotes.
struct LabelMatcher {
  std::string name;
  std::string op;
  std::string quoted_value;
};

// A vector selector found in a PromQL expression: the metric name and its
// matchers, without any [range] or offset that follows.
struct VectorSelector {
  std::string metric;
  std::vector<LabelMatcher> matchers;

  // metric{name op value, ...}, or just metric without matchers.
  std::string ToString() const;
};

// The selectors of `expr` that name a metric, in order of appearance:
// names that call a function or aggregation, keywords, label lists of
// by/without/on/ignoring/group_left/group_right, numbers, durations and
// strings are skipped. Good enough for the expressions this repository
// writes, not a PromQL parser: a selector it cannot read (say, an
// unterminated brace) ends the scan. Any input is safe.
std::vector<VectorSelector> ExtractSelectors(std::string_view expr);

// `selector` without the matchers on any of `labels`.
VectorSelector WithoutLabels(const VectorSelector& selector,
                             const std::vector<std::string>& labels);

}  // namespace ollama_exporter::prometheus_test
