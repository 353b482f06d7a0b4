#include "http/prom_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace ollama_exporter::http {
namespace {

// Appends "[<item>,<item>,...]", each written by append_item(item, out).
template <typename Items, typename AppendItem>
void AppendJsonArray(const Items& items, AppendItem append_item,
                     std::string* out) {
  *out += '[';
  bool first = true;
  for (const auto& item : items) {
    if (!first) *out += ',';
    first = false;
    append_item(item, out);
  }
  *out += ']';
}

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
  out += "\",\"result\":";
  AppendJsonArray(
      result,
      [result_type](const SeriesPoints& series, std::string* json) {
        AppendMetric(series.labels, json);
        if (result_type == "vector") {
          *json += ",\"value\":";
          AppendPoint(series.points.back(), json);
        } else {
          *json += ",\"values\":";
          AppendJsonArray(series.points, AppendPoint, json);
        }
        *json += '}';
      },
      &out);
  out += "}}";
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
  std::string data;
  AppendJsonArray(strings, AppendJsonString, &data);
  return RenderSuccessData(data);
}

std::string RenderLabelSets(const std::vector<tsdb::Labels>& label_sets) {
  std::string data;
  AppendJsonArray(label_sets, AppendLabelObject, &data);
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
