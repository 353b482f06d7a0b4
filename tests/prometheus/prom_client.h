#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::prometheus_test {

using Labels = std::map<std::string, std::string>;

// One series of a query answer; an instant vector has one value.
struct QuerySeries {
  Labels labels;                                       // __name__ included.
  std::vector<std::pair<double, std::string>> values;  // [seconds, value]
};

// A successful answer of /api/v1/query or /api/v1/query_range.
struct QueryResult {
  std::string result_type;          // "vector", "matrix", "scalar" or "string".
  std::vector<QuerySeries> series;  // A scalar is one series, no labels.

  bool empty() const { return series.empty(); }
};

// A client of the Prometheus HTTP API at http://127.0.0.1:<port>, for
// Prometheus itself and for the exporter's read API alike. Every call
// sends one GET within 10 s.
//
// Thread safety: any method, any thread.
class PromClient {
 public:
  explicit PromClient(int port) : port_(port) {}

  // /api/v1/query of `expr` at `time_s` (Unix seconds). Transfer errors as
  // HttpGet; kFailedPrecondition, quoting errorType, error and the HTTP
  // status, when the answer is an error; kInvalidArgument when it does not
  // have the API's shape.
  Status Query(std::string_view expr, double time_s, QueryResult* result) const;

  // /api/v1/query_range from `start_s` to `end_s` every `step_s`; errors as
  // Query.
  Status QueryRange(std::string_view expr, double start_s, double end_s,
                    double step_s, QueryResult* result) const;

  // /api/v1/label/<label>/values?match[]=<selector>; errors as Query.
  Status LabelValues(std::string_view label, std::string_view selector,
                     std::vector<std::string>* values) const;

  // The raw body of GET <path_and_query> after checking the envelope's
  // "status":"success"; errors as Query.
  Status GetData(const std::string& path_and_query, std::string* body) const;

 private:
  int port_;
};

// "name{a=\"1\", b=\"2\"}" for messages.
std::string FormatLabels(const Labels& labels);

}  // namespace ollama_exporter::prometheus_test
