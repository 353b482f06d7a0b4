#include "prom_client.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "http_get.h"

namespace ollama_exporter::prometheus_test {
namespace {

using integration::HttpGet;
using integration::HttpReply;
using integration::UrlEscape;
using nlohmann::json;

constexpr int kTimeoutMs = 10000;

std::string Seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

// Checks the envelope of `body` and hands back its "data".
Status ParseEnvelope(const HttpReply& reply, json* data) {
  const json parsed = json::parse(reply.body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("status")) {
    return Status::InvalidArgument("HTTP " + std::to_string(reply.status) +
                                   ", not an API answer: " + reply.body);
  }
  if (parsed["status"] != "success") {
    return Status::FailedPrecondition(
        "HTTP " + std::to_string(reply.status) + " " +
        parsed.value("errorType", std::string("?")) + ": " +
        parsed.value("error", std::string("?")));
  }
  if (!parsed.contains("data")) {
    return Status::InvalidArgument("success without data: " + reply.body);
  }
  *data = parsed["data"];
  return Status::Ok();
}

bool ParsePoint(const json& point, std::pair<double, std::string>* out) {
  if (!point.is_array() || point.size() != 2 || !point[0].is_number() ||
      !point[1].is_string()) {
    return false;
  }
  *out = {point[0].get<double>(), point[1].get<std::string>()};
  return true;
}

Status ParseResult(const json& data, QueryResult* result) {
  QueryResult parsed;
  if (!data.is_object() || !data.contains("resultType") ||
      !data["resultType"].is_string() || !data.contains("result")) {
    return Status::InvalidArgument("no resultType/result: " + data.dump());
  }
  parsed.result_type = data["resultType"].get<std::string>();
  const json& items = data["result"];
  if (parsed.result_type == "scalar" || parsed.result_type == "string") {
    QuerySeries series;
    series.values.emplace_back();
    if (!ParsePoint(items, &series.values.back())) {
      return Status::InvalidArgument("bad scalar: " + items.dump());
    }
    parsed.series.push_back(std::move(series));
    *result = std::move(parsed);
    return Status::Ok();
  }
  if (!items.is_array()) {
    return Status::InvalidArgument("result is no array: " + items.dump());
  }
  for (const json& item : items) {
    QuerySeries series;
    if (!item.is_object() || !item.contains("metric") ||
        !item["metric"].is_object()) {
      return Status::InvalidArgument("series without metric: " + item.dump());
    }
    for (const auto& [name, value] : item["metric"].items()) {
      if (!value.is_string()) {
        return Status::InvalidArgument("label not a string: " + item.dump());
      }
      series.labels[name] = value.get<std::string>();
    }
    const json points = item.contains("value")
                            ? json::array({item["value"]})
                            : item.value("values", json::array());
    for (const json& point : points) {
      series.values.emplace_back();
      if (!ParsePoint(point, &series.values.back())) {
        return Status::InvalidArgument("bad point: " + item.dump());
      }
    }
    parsed.series.push_back(std::move(series));
  }
  *result = std::move(parsed);
  return Status::Ok();
}

}  // namespace

Status PromClient::GetData(const std::string& path_and_query,
                           std::string* body) const {
  HttpReply reply;
  const std::string url =
      "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  Status status = HttpGet(url, kTimeoutMs, &reply);
  json data;
  if (status.ok()) status = ParseEnvelope(reply, &data);
  if (!status.ok()) return status.WithContext("GET " + path_and_query);
  *body = data.dump();
  return Status::Ok();
}

Status PromClient::Query(std::string_view expr, double time_s,
                         QueryResult* result) const {
  std::string body;
  Status status = GetData(
      "/api/v1/query?query=" + UrlEscape(expr) + "&time=" + Seconds(time_s),
      &body);
  if (!status.ok()) return status;
  return ParseResult(json::parse(body), result);
}

Status PromClient::QueryRange(std::string_view expr, double start_s,
                              double end_s, double step_s,
                              QueryResult* result) const {
  std::string body;
  Status status =
      GetData("/api/v1/query_range?query=" + UrlEscape(expr) +
                  "&start=" + Seconds(start_s) + "&end=" + Seconds(end_s) +
                  "&step=" + Seconds(step_s),
              &body);
  if (!status.ok()) return status;
  return ParseResult(json::parse(body), result);
}

Status PromClient::LabelValues(std::string_view label,
                               std::string_view selector,
                               std::vector<std::string>* values) const {
  std::string body;
  Status status = GetData("/api/v1/label/" + std::string(label) +
                              "/values?match%5B%5D=" + UrlEscape(selector),
                          &body);
  if (!status.ok()) return status;
  const json data = json::parse(body);
  if (!data.is_array()) {
    return Status::InvalidArgument("label values not an array: " + body);
  }
  values->clear();
  for (const json& value : data) {
    if (value.is_string()) values->push_back(value.get<std::string>());
  }
  return Status::Ok();
}

std::string FormatLabels(const Labels& labels) {
  std::string text;
  const auto name = labels.find("__name__");
  if (name != labels.end()) text = name->second;
  text += "{";
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (key == "__name__") continue;
    if (!first) text += ", ";
    text += key + "=\"" + value + "\"";
    first = false;
  }
  return text + "}";
}

}  // namespace ollama_exporter::prometheus_test
