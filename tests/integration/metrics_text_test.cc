#include "metrics_text.h"

#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

TEST_CASE("MetricsText reads names, labels and values of the text format",
          "[integration][metrics_text]") {
  const std::string text =
      "# HELP ollama_up Whether Ollama answered.\n"
      "# TYPE ollama_up gauge\n"
      "ollama_up 1\n"
      "# TYPE ollama_model_size_bytes gauge\n"
      "ollama_model_size_bytes{model=\"qwen3:8b\"} 5225388164\n"
      "ollama_model_size_bytes{model=\"a\\\\b\\\"c\\nd\",x=\"\"} 1e3\n"
      "odd:name_total{ a = \"1\" , } +Inf 1787313600123\n"
      "neg -Inf\n"
      "nan_value Nan\n"
      "\n"
      "# a free comment\n"
      "last 0.25";
  MetricsText metrics;
  REQUIRE_OK(MetricsText::Parse(text, &metrics));

  REQUIRE(metrics.samples().size() == 7);
  CHECK(metrics.Value("ollama_up") == 1);
  CHECK(metrics.Value("ollama_model_size_bytes", {{"model", "qwen3:8b"}}) ==
        5225388164.0);
  CHECK(metrics.Value("ollama_model_size_bytes",
                      {{"model", "a\\b\"c\nd"}, {"x", ""}}) == 1000);
  CHECK(std::isinf(*metrics.Value("odd:name_total", {{"a", "1"}})));
  CHECK(*metrics.Value("neg") < 0);
  CHECK(std::isnan(*metrics.Value("nan_value")));
  CHECK(metrics.Value("last") == 0.25);
  CHECK(metrics.TypeOf("ollama_up") == "gauge");
  CHECK(metrics.TypeOf("last").empty());
}

TEST_CASE("MetricsText finds series by exact labels, name and prefix",
          "[integration][metrics_text]") {
  MetricsText metrics;
  REQUIRE_OK(
      MetricsText::Parse("m{a=\"1\"} 1\n"
                         "m{a=\"1\",b=\"2\"} 2\n"
                         "m_other 3\n"
                         "n 4\n",
                         &metrics));

  CHECK(metrics.Value("m", {{"a", "1"}}) == 1);
  CHECK(metrics.Value("m", {{"a", "1"}, {"b", "2"}}) == 2);
  CHECK_FALSE(metrics.Value("m").has_value());
  CHECK_FALSE(metrics.Value("m", {{"a", "2"}}).has_value());
  CHECK(metrics.Named("m").size() == 2);
  CHECK(metrics.Named("absent").empty());
  CHECK(metrics.CountWithPrefix("m") == 3);
  CHECK(metrics.CountWithPrefix("m_") == 1);
  CHECK(metrics.CountWithPrefix("") == 4);
}

TEST_CASE("MetricsText accepts an empty body", "[integration][metrics_text]") {
  MetricsText metrics;
  REQUIRE_OK(MetricsText::Parse("", &metrics));
  CHECK(metrics.samples().empty());
  REQUIRE_OK(MetricsText::Parse("\n\n# only comments\n", &metrics));
  CHECK(metrics.samples().empty());
}

TEST_CASE("MetricsText rejects malformed lines and leaves its output alone",
          "[integration][metrics_text]") {
  const char* bad = GENERATE("m",              // No value.
                             "m ",             // Empty value.
                             "m x",            // Not a number.
                             "m 1 2 3",        // Trailing text.
                             "m 1 1.5",        // Timestamp not an integer.
                             "m 1e999",        // Overflows a double.
                             "1m 1",           // Name starts with a digit.
                             "m{ 1",           // Truncated label set.
                             "m{a=\"1\"",      // No closing brace.
                             "m{a=\"1} 1",     // Unterminated value.
                             "m{a=1} 1",       // Unquoted value.
                             "m{a} 1",         // No '='.
                             "m{1a=\"x\"} 1",  // Bad label name.
                             "m{a=\"x\" b=\"y\"} 1",  // No comma.
                             "m{a=\"\\q\"} 1",        // Unknown escape.
                             "m{a=\"\\",              // Escape at the end.
                             "m{a=\"1\",a=\"2\"} 1",  // Repeated label.
                             "m 1\nm 2",              // Repeated series.
                             "m{a=\"1\"} 1\nm{a=\"1\"} 2",
                             "# TYPE m wrongtype",  // Unknown type.
                             "# TYPE",              // Truncated TYPE.
                             "m\t",                 // Blank only.
                             "m 1\r");              // CR is not a line end.
  CAPTURE(bad);

  MetricsText metrics;
  REQUIRE_OK(MetricsText::Parse("kept 7\n", &metrics));
  const Status status = MetricsText::Parse(bad, &metrics);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(metrics.Value("kept") == 7);
}

TEST_CASE("MetricsText copes with huge lines and values",
          "[integration][metrics_text]") {
  const std::string long_value(200000, 'v');
  MetricsText metrics;
  REQUIRE_OK(MetricsText::Parse(
      "m{a=\"" + long_value + "\"} 1.7976931348623157e308\n", &metrics));
  CHECK(metrics.Value("m", {{"a", long_value}}) == 1.7976931348623157e308);

  const Status status =
      MetricsText::Parse("m 1" + std::string(100, '0') + "x", &metrics);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().size() < 400);  // The line is shortened.
}

}  // namespace
}  // namespace ollama_exporter::integration
