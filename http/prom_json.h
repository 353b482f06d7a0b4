#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/range_query.h"

namespace ollama_exporter::http {

// Bodies of the Prometheus HTTP API (/api/v1/...), byte for byte as
// Prometheus writes them. Written by hand because nlohmann::json prints
// NaN as null and whole doubles with ".0".

// A sample value: the shortest decimal that reads back to the same double,
// never in exponent form ("0.0000001", "1500"), or "NaN", "+Inf", "-Inf".
std::string FormatSampleValue(double value);

// Unix milliseconds as a JSON number of seconds: 1500 -> 1.5, 2000 -> 2.
std::string FormatUnixSeconds(int64_t unix_ms);

// {"status":"success","data":{"resultType":"matrix","result":[
//   {"metric":{labels},"values":[[<seconds>,"<value>"],...]},...]}}
std::string RenderMatrix(const std::vector<SeriesPoints>& result);

// The same with "resultType":"vector" and one "value" pair per series: its
// last point. Every series must have at least one point.
std::string RenderVector(const std::vector<SeriesPoints>& result);

// {"status":"success","data":<data_json>}; data_json must be valid JSON.
std::string RenderSuccessData(std::string_view data_json);

// {"status":"success","data":["a","b",...]} in the given order.
std::string RenderStringList(const std::vector<std::string>& strings);

// {"status":"success","data":[{"__name__":"up","job":"x"},...]}.
std::string RenderLabelSets(const std::vector<tsdb::Labels>& label_sets);

// `text` as a JSON string, quotes included, invalid UTF-8 replaced by
// U+FFFD so the result is always valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

// {"status":"error","errorType":"<type>","error":"<message>"}
std::string RenderApiError(std::string_view error_type,
                           std::string_view message);

}  // namespace ollama_exporter::http
