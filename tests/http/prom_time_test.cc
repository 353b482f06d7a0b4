#include "http/prom_time.h"

#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter::http {
namespace {

// The parsed milliseconds, or the error message as text.
std::string Timestamp(const std::string& text) {
  int64_t ms = 0;
  Status status = ParseTimestamp(text, &ms);
  return status.ok() ? std::to_string(ms) : status.message();
}

std::string Step(const std::string& text) {
  int64_t ms = 0;
  Status status = ParseStep(text, &ms);
  return status.ok() ? std::to_string(ms) : status.message();
}

TEST_CASE("ParseTimestamp reads Unix seconds with decimals", "[http]") {
  CHECK(Timestamp("0") == "0");
  CHECK(Timestamp("1796403600") == "1796403600000");
  CHECK(Timestamp("1796403600.123") == "1796403600123");
  CHECK(Timestamp("1.5") == "1500");
  CHECK(Timestamp("-1.5") == "-1500");
  CHECK(Timestamp("1.0004") == "1000");
  CHECK(Timestamp("1e3") == "1000000");
  CHECK(Timestamp("253402300799") == "253402300799000");
}

TEST_CASE("ParseTimestamp reads RFC 3339 with fractions and offsets",
          "[http]") {
  CHECK(Timestamp("2026-12-04T17:00:00Z") == "1796403600000");
  CHECK(Timestamp("2026-12-04T17:00:00.123Z") == "1796403600123");
  CHECK(Timestamp("2026-12-04T17:00:00.5Z") == "1796403600500");
  CHECK(Timestamp("2026-12-04T17:00:00.123456789Z") == "1796403600123");
  CHECK(Timestamp("2026-12-04T18:30:00+01:30") == "1796403600000");
  CHECK(Timestamp("2026-12-04T12:00:00-05:00") == "1796403600000");
  CHECK(Timestamp("1970-01-01T00:00:00Z") == "0");
  CHECK(Timestamp("1969-12-31T23:59:59.999Z") == "-1");
  CHECK(Timestamp("2024-02-29T00:00:00Z") == "1709164800000");
  CHECK(Timestamp("2000-02-29T00:00:00Z") == "951782400000");
  CHECK(Timestamp("0001-01-01T00:00:00Z") == "-62135596800000");
  CHECK(Timestamp("9999-12-31T23:59:59.999Z") == "253402300799999");
}

TEST_CASE("ParseTimestamp rejects anything else in Prometheus' words",
          "[http]") {
  for (const char* bad : {"",
                          " 1",
                          "1 ",
                          "abc",
                          "1,5",
                          "0x10",
                          "NaN",
                          "Inf",
                          "-Inf",
                          "1e20",
                          "1e400",
                          "-62135596801",
                          "2026-02-30T00:00:00Z",
                          "2100-02-29T00:00:00Z",
                          "2026-13-01T00:00:00Z",
                          "2026-12-04 17:00:00Z",
                          "2026-12-04t17:00:00Z",
                          "2026-12-04T24:00:00Z",
                          "2026-12-04T17:60:00Z",
                          "2026-12-04T17:00:60Z",
                          "2026-12-04T17:00:00",
                          "2026-12-04T17:00:00.Z",
                          "2026-12-04T17:00:00.1234567890Z",
                          "2026-12-04T17:00:00+0100",
                          "2026-12-04T17:00:00+24:00",
                          "2026-12-04T17:00:00Zjunk",
                          "0000-12-31T00:00:00Z",
                          "2026-12-4T17:00:00Z",
                          "2026-12-04T17:00",
                          "2026-12-04T"}) {
    INFO(bad);
    CHECK(Timestamp(bad) ==
          "cannot parse \"" + std::string(bad) + "\" to a valid timestamp");
  }
}

TEST_CASE("ParseStep reads float seconds and Prometheus durations", "[http]") {
  CHECK(Step("15") == "15000");
  CHECK(Step("0.5") == "500");
  CHECK(Step("1m30s") == "90000");
  CHECK(Step("500ms") == "500");
  CHECK(Step("1d") == "86400000");
  CHECK(Step("0") == "0");
  CHECK(Step("-5") == "-5000");
  CHECK(Step("0.0001") == "0");
}

TEST_CASE("ParseStep rejects anything else in Prometheus' words", "[http]") {
  for (const char* bad : {"", "abc", "5x", "-5m", "1.5m", "NaN", "m", "5 m"}) {
    INFO(bad);
    CHECK(Step(bad) ==
          "cannot parse \"" + std::string(bad) + "\" to a valid duration");
  }
  CHECK(Step("1e300") ==
        "cannot parse \"1e300\" to a valid duration. It overflows int64");
  CHECK(Step("-Inf") ==
        "cannot parse \"-Inf\" to a valid duration. It overflows int64");
}

}  // namespace
}  // namespace ollama_exporter::http
