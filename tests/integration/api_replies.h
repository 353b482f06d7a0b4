#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

#include "metrics_text.h"

namespace ollama_exporter::integration {

// One poll as GET /api/ollama/history reports it.
struct HistoryEntry {
  int64_t timestamp_ms = 0;
  bool running = false;
  int64_t model_count = 0;
  int64_t active_inferences = 0;
};

// {"success":true,"data":[{"timestamp","running","modelCount",
// "activeInferences"}...],"timestamp"} or {"success":false,"error":"..."}.
struct HistoryReply {
  bool success = false;
  std::vector<HistoryEntry> data;  // In reply order.
  int64_t timestamp_ms = 0;        // Top level; set when success.
  std::string error;               // Set when !success.
};

// Strictly checks the shape above: timestamps are ISO-8601 UTC strings
// with milliseconds, counts integers. kInvalidArgument naming the first
// problem; *out is then unchanged.
Status ParseHistoryReply(std::string_view json, HistoryReply* out);

// One series of a query_range matrix.
struct RangeSeries {
  LabelSet metric;                                     // With __name__.
  std::vector<std::pair<double, std::string>> values;  // [seconds, "value"]
};

// The Prometheus API envelope around a matrix.
struct RangeReply {
  std::string status;  // "success" or "error"
  std::string result_type;
  std::vector<RangeSeries> result;
  std::string error_type;
  std::string error;
};

// Checks the envelope and, on "success", a matrix of [number, string]
// pairs. kInvalidArgument naming the first problem; *out then unchanged.
Status ParseRangeReply(std::string_view json, RangeReply* out);

// "2026-08-21T12:00:00.123Z" -> Unix milliseconds. Exactly that form:
// kInvalidArgument for anything else, impossible dates included.
Status ParseIsoMillis(std::string_view text, int64_t* unix_ms);

}  // namespace ollama_exporter::integration
