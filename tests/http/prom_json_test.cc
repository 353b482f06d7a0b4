#include "http/prom_json.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace ollama_exporter::http {
namespace {

TEST_CASE("FormatSampleValue prints values as Prometheus does", "[http]") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(FormatSampleValue(1) == "1");
  CHECK(FormatSampleValue(0) == "0");
  CHECK(FormatSampleValue(-2.5) == "-2.5");
  CHECK(FormatSampleValue(0.1) == "0.1");
  CHECK(FormatSampleValue(1.0 / 3) == "0.3333333333333333");
  CHECK(FormatSampleValue(1e-7) == "0.0000001");
  CHECK(FormatSampleValue(1e21) == "1000000000000000000000");
  CHECK(FormatSampleValue(4294967296) == "4294967296");
  CHECK(FormatSampleValue(std::nan("")) == "NaN");
  CHECK(FormatSampleValue(inf) == "+Inf");
  CHECK(FormatSampleValue(-inf) == "-Inf");
}

TEST_CASE("FormatSampleValue round-trips extreme doubles", "[http]") {
  for (double value : {std::numeric_limits<double>::max(),
                       std::numeric_limits<double>::lowest(),
                       std::numeric_limits<double>::denorm_min(),
                       std::numeric_limits<double>::min(), 123456.789e-300}) {
    std::string text = FormatSampleValue(value);
    INFO(text);
    CHECK(std::strtod(text.c_str(), nullptr) == value);
    CHECK(text.find('e') == std::string::npos);
  }
}

TEST_CASE("FormatUnixSeconds prints milliseconds as decimal seconds",
          "[http]") {
  CHECK(FormatUnixSeconds(0) == "0");
  CHECK(FormatUnixSeconds(1500) == "1.5");
  CHECK(FormatUnixSeconds(1001) == "1.001");
  CHECK(FormatUnixSeconds(1010) == "1.01");
  CHECK(FormatUnixSeconds(1796403600000) == "1796403600");
  CHECK(FormatUnixSeconds(1796403600123) == "1796403600.123");
  CHECK(FormatUnixSeconds(-1500) == "-1.5");
  CHECK(FormatUnixSeconds(-1) == "-0.001");
}

TEST_CASE("RenderMatrix and RenderVector write Prometheus' result shape",
          "[http]") {
  std::vector<SeriesPoints> result = {
      {{{"__name__", "ollama_up"}}, {{1000, 1}, {2500, 0}}},
      {{{"__name__", "x"}, {"q", "a\"b\\c\n"}}, {{3000, std::nan("")}}},
  };
  CHECK(
      RenderMatrix(result) ==
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{"__name__":"ollama_up"},"values":[[1,"1"],[2.5,"0"]]},)"
      R"({"metric":{"__name__":"x","q":"a\"b\\c\n"},"values":[[3,"NaN"]]}]}})");
  CHECK(RenderVector(result) ==
        R"({"status":"success","data":{"resultType":"vector","result":[)"
        R"({"metric":{"__name__":"ollama_up"},"value":[2.5,"0"]},)"
        R"({"metric":{"__name__":"x","q":"a\"b\\c\n"},"value":[3,"NaN"]}]}})");
  CHECK(RenderMatrix({}) ==
        R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
}

TEST_CASE("Prometheus bodies stay valid JSON with invalid UTF-8 labels",
          "[http]") {
  std::string body = RenderMatrix({{{{"__name__", "x\xff"}}, {{0, 1}}}});
  CHECK(nlohmann::json::accept(body));
  CHECK(RenderApiError("bad_data", "say \"hi\"\xc3") ==
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"say "
        "\\\"hi\\\"\xef\xbf\xbd\"}");
}

TEST_CASE("The list renderers write Prometheus' data shapes", "[http]") {
  CHECK(RenderStringList({"__name__", "a\"b"}) ==
        R"({"status":"success","data":["__name__","a\"b"]})");
  CHECK(RenderStringList({}) == R"({"status":"success","data":[]})");
  CHECK(RenderLabelSets({{{"__name__", "up"}, {"job", "x"}}, {}}) ==
        R"({"status":"success","data":[{"__name__":"up","job":"x"},{}]})");
  std::string body = RenderLabelSets({{{"k", "v\xff"}}});
  CHECK(nlohmann::json::accept(body));
  CHECK(RenderSuccessData("{}") == R"({"status":"success","data":{}})");
}

}  // namespace
}  // namespace ollama_exporter::http
