#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

namespace ollama_exporter::testing {

// The text of tests/fixtures/ollama/<name>; fails the test when missing.
std::string Fixture(std::string_view name);

// The family called `name`, or nullptr.
const prometheus::MetricFamily* FindFamily(
    const std::vector<prometheus::MetricFamily>& families,
    std::string_view name);

// The names of `families`, in order.
std::vector<std::string> FamilyNames(
    const std::vector<prometheus::MetricFamily>& families);

// The gauge series of family `name` as `name{label="value",...} value`
// lines, in output order, labels unescaped, values in shortest round-trip
// fixed-point form ("1784014212.48", "9120000000"). Empty when the family is
// missing or has none.
std::vector<std::string> SeriesLines(
    const std::vector<prometheus::MetricFamily>& families,
    std::string_view name);

}  // namespace ollama_exporter::testing
