#include "exporter_testing.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

namespace ollama_exporter::testing {

std::string Fixture(std::string_view name) {
  std::string path =
      std::string(OE_FIXTURES_DIR) + "/ollama/" + std::string(name);
  std::ifstream file(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(file.good());
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

const prometheus::MetricFamily* FindFamily(
    const std::vector<prometheus::MetricFamily>& families,
    std::string_view name) {
  for (const prometheus::MetricFamily& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

std::vector<std::string> FamilyNames(
    const std::vector<prometheus::MetricFamily>& families) {
  std::vector<std::string> names;
  for (const prometheus::MetricFamily& family : families) {
    names.push_back(family.name);
  }
  return names;
}

std::vector<std::string> SeriesLines(
    const std::vector<prometheus::MetricFamily>& families,
    std::string_view name) {
  std::vector<std::string> lines;
  const prometheus::MetricFamily* family = FindFamily(families, name);
  if (family == nullptr) return lines;
  for (const prometheus::ClientMetric& metric : family->metric) {
    std::string line = family->name;
    if (!metric.label.empty()) {
      line += "{";
      for (size_t i = 0; i < metric.label.size(); ++i) {
        if (i > 0) line += ",";
        line += metric.label[i].name + "=\"" + metric.label[i].value + "\"";
      }
      line += "}";
    }
    char value[64];
    auto end = std::to_chars(value, value + sizeof(value), metric.gauge.value,
                             std::chars_format::fixed);
    lines.push_back(line + " " + std::string(value, end.ptr));
  }
  return lines;
}

}  // namespace ollama_exporter::testing
