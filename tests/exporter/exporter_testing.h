#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <prometheus/metric_family.h>

#include "common/status.h"

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

// What `parse` (ParseTagsReply, ParsePsReply) makes of `json`; fails the
// test, printing the status, unless it succeeds.
template <typename Reply>
Reply ParseOrFail(Status (*parse)(std::string_view, Reply*),
                  std::string_view json) {
  Reply reply;
  Status status = parse(json, &reply);
  INFO(status.ToString());
  REQUIRE(status.ok());
  return reply;
}

// The model names of a parsed /api/tags or /api/ps reply, in order.
template <typename Reply>
std::vector<std::string> ModelNames(const Reply& reply) {
  std::vector<std::string> names;
  for (const auto& model : reply.models) names.push_back(model.name);
  return names;
}

}  // namespace ollama_exporter::testing
