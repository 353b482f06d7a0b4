#include "common/time_format.h"

#include <catch2/catch.hpp>

namespace ollama_exporter {
namespace {

TEST_CASE("FormatIsoMillis prints UTC with milliseconds", "[common]") {
  CHECK(FormatIsoMillis(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatIsoMillis(1787313600123) == "2026-08-21T12:00:00.123Z");
  CHECK(FormatIsoMillis(951782400000) == "2000-02-29T00:00:00.000Z");
  CHECK(FormatIsoMillis(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("FormatIsoMillis clamps to years 0001 through 9999", "[common]") {
  CHECK(FormatIsoMillis(-62135596800000) == "0001-01-01T00:00:00.000Z");
  CHECK(FormatIsoMillis(INT64_MIN) == "0001-01-01T00:00:00.000Z");
  CHECK(FormatIsoMillis(INT64_MAX) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("AppendIsoMillis appends the same text as FormatIsoMillis",
          "[common]") {
  std::string text = "[";
  AppendIsoMillis(1787313600123, &text);
  text += ",";
  AppendIsoMillis(-62135596800000, &text);
  CHECK(text == "[2026-08-21T12:00:00.123Z,0001-01-01T00:00:00.000Z");
}

TEST_CASE("NowMillis follows the system clock", "[common]") {
  // 2026-01-01 and 2100-01-01: wide enough for any machine running this.
  CHECK(NowMillis() > 1767225600000);
  CHECK(NowMillis() < 4102444800000);
}

}  // namespace
}  // namespace ollama_exporter
