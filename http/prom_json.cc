#include "http/prom_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace ollama_exporter::http {
namespace {

void AppendLabelObject(const tsdb::Labels& labels, std::string* out) {
  *out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) *out += ',';
    first = false;
    AppendJsonString(name, out);
    *out += ':';
    AppendJsonString(value, out);
  }
  *out += '}';
}

void AppendMetric(const tsdb::Labels& labels, std::string* out) {
  *out += "{\"metric\":";
  AppendLabelObject(labels, out);
}

void AppendPoint(const tsdb::Sample& point, std::string* out) {
  *out += '[';
  *out += FormatUnixSeconds(point.timestamp_ms);
  *out += ",\"";
  *out += FormatSampleValue(point.value);
  *out += "\"]";
}

std::string RenderSuccess(std::string_view result_type,
                          const std::vector<SeriesPoints>& result) {
  std::string out = "{\"status\":\"success\",\"data\":{\"resultType\":\"";
  out += result_type;
  out += "\",\"result\":[";
  for (size_t i = 0; i < result.size(); ++i) {
    if (i > 0) out += ',';
    AppendMetric(result[i].labels, &out);
    if (result_type == "vector") {
      out += ",\"value\":";
      AppendPoint(result[i].points.back(), &out);
    } else {
      out += ",\"values\":[";
      for (size_t j = 0; j < result[i].points.size(); ++j) {
        if (j > 0) out += ',';
        AppendPoint(result[i].points[j], &out);
      }
      out += ']';
    }
    out += '}';
  }
  out += "]}}";
  return out;
}

}  // namespace

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // The longest fixed form (denormals) has about 330 characters.
  char text[512];
  auto [end, error] =
      std::to_chars(text, text + sizeof(text), value, std::chars_format::fixed);
  return std::string(text, end);
}

std::string FormatUnixSeconds(int64_t unix_ms) {
  const uint64_t magnitude = unix_ms < 0 ? 0 - static_cast<uint64_t>(unix_ms)
                                         : static_cast<uint64_t>(unix_ms);
  std::string text = unix_ms < 0 ? "-" : "";
  text += std::to_string(magnitude / 1000);
  unsigned millis = static_cast<unsigned>(magnitude % 1000);
  if (millis != 0) {
    char fraction[5];
    std::snprintf(fraction, sizeof(fraction), ".%03u", millis);
    std::string_view digits(fraction);
    while (digits.back() == '0') digits.remove_suffix(1);
    text += digits;
  }
  return text;
}

std::string RenderMatrix(const std::vector<SeriesPoints>& result) {
  return RenderSuccess("matrix", result);
}

std::string RenderVector(const std::vector<SeriesPoints>& result) {
  return RenderSuccess("vector", result);
}

std::string RenderSuccessData(std::string_view data_json) {
  std::string out = "{\"status\":\"success\",\"data\":";
  out += data_json;
  out += '}';
  return out;
}

std::string RenderStringList(const std::vector<std::string>& strings) {
  std::string data = "[";
  for (size_t i = 0; i < strings.size(); ++i) {
    if (i > 0) data += ',';
    AppendJsonString(strings[i], &data);
  }
  data += ']';
  return RenderSuccessData(data);
}

std::string RenderLabelSets(const std::vector<tsdb::Labels>& label_sets) {
  std::string data = "[";
  for (size_t i = 0; i < label_sets.size(); ++i) {
    if (i > 0) data += ',';
    AppendLabelObject(label_sets[i], &data);
  }
  data += ']';
  return RenderSuccessData(data);
}

// Label values come from the store and may hold invalid UTF-8; replacing
// it keeps the body valid JSON (and keeps nlohmann from throwing).
void AppendJsonString(std::string_view text, std::string* out) {
  *out += nlohmann::json(std::string(text))
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string RenderApiError(std::string_view error_type,
                           std::string_view message) {
  std::string out = "{\"status\":\"error\",\"errorType\":";
  AppendJsonString(error_type, &out);
  out += ",\"error\":";
  AppendJsonString(message, &out);
  out += '}';
  return out;
}

}  // namespace ollama_exporter::http
