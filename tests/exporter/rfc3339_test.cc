#include "exporter/rfc3339.h"

#include <cstdint>
#include <random>
#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter {
namespace {

// The parsed time, or a sentinel that no test expects, so a failure shows
// the status text.
int64_t Parse(std::string_view text) {
  int64_t unix_ms = INT64_MIN;
  Status status = ParseRfc3339(text, &unix_ms);
  INFO(status.ToString());
  CHECK(status.ok());
  return unix_ms;
}

TEST_CASE("ParseRfc3339 reads the timestamps Ollama writes", "[rfc3339]") {
  SECTION("UTC with nanoseconds, truncated to milliseconds") {
    CHECK(Parse("2026-08-21T12:05:00.123999999Z") == 1787313900123);
  }
  SECTION("a positive offset is subtracted") {
    CHECK(Parse("2026-07-14T09:30:12.480511207+02:00") == 1784014212480);
  }
  SECTION("a negative offset is added") {
    CHECK(Parse("2026-06-30T22:05:01.5-07:00") == 1782882301500);
  }
  SECTION("Windows hosts' seven fractional digits") {
    CHECK(Parse("2026-07-14T09:30:12.4805112-07:00") == 1784046612480);
  }
  SECTION("no fraction") {
    CHECK(Parse("2026-07-14T07:30:12Z") == 1784014212000);
  }
  SECTION("one to nine fractional digits") {
    CHECK(Parse("1970-01-01T00:00:00.1Z") == 100);
    CHECK(Parse("1970-01-01T00:00:00.12Z") == 120);
    CHECK(Parse("1970-01-01T00:00:00.123Z") == 123);
    CHECK(Parse("1970-01-01T00:00:00.000000001Z") == 0);
  }
  SECTION("a +00:00 offset equals Z") {
    CHECK(Parse("2026-03-18T07:45:09.004+00:00") == 1773819909004);
    CHECK(Parse("2026-03-18T07:45:09.004Z") == 1773819909004);
  }
  SECTION("lower-case t and z, which RFC 3339 allows") {
    CHECK(Parse("2026-07-14t07:30:12z") == 1784014212000);
  }
}

TEST_CASE("ParseRfc3339 covers years 0001 to 9999", "[rfc3339]") {
  CHECK(Parse("0001-01-01T00:00:00Z") == -62135596800000);
  CHECK(Parse("1970-01-01T00:00:00Z") == 0);
  CHECK(Parse("1969-12-31T23:59:59.999Z") == -1);
  CHECK(Parse("2318-12-05T03:14:07.25+01:00") == 11010996847250);
  CHECK(Parse("9999-12-31T23:59:59.999999999Z") == 253402300799999);
  CHECK(Parse("9999-12-31T23:59:59-23:59") == 253402300799000 + 86340000);
  CHECK(Parse("0001-01-01T00:00:00+23:59") == -62135596800000 - 86340000);
}

TEST_CASE("ParseRfc3339 knows leap years and leap seconds", "[rfc3339]") {
  CHECK(Parse("2000-02-29T00:00:00Z") == 951782400000);
  CHECK(Parse("2024-02-29T12:00:00Z") == 1709208000000);
  CHECK(Parse("2016-12-31T23:59:60Z") == Parse("2017-01-01T00:00:00Z"));

  int64_t unix_ms = 7;
  CHECK(ParseRfc3339("1900-02-29T00:00:00Z", &unix_ms).code() ==
        StatusCode::kInvalidArgument);
  CHECK(ParseRfc3339("2023-02-29T00:00:00Z", &unix_ms).code() ==
        StatusCode::kInvalidArgument);
  CHECK(unix_ms == 7);
}

TEST_CASE("ParseRfc3339 rejects anything else and leaves the output alone",
          "[rfc3339]") {
  const char* bad = GENERATE(
      "", "soon", "last tuesday", "2026", "2026-08-21", "2026-08-21T12:05Z",
      "2026-08-21T12:05:00", "2026-08-21 12:05:00Z", "2026-08-21T12:05:00+0200",
      "2026-08-21T12:05:00+02", "2026-08-21T12:05:00.Z",
      "2026-08-21T12:05:00.1234567890Z", "2026-08-21T12:05:00ZZ",
      "2026-08-21T12:05:00Z ", " 2026-08-21T12:05:00Z", "0000-01-01T00:00:00Z",
      "10000-01-01T00:00:00Z", "-001-01-01T00:00:00Z", "2026-13-01T00:00:00Z",
      "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-08-00T00:00:00Z",
      "2026-08-21T24:00:00Z", "2026-08-21T12:60:00Z", "2026-08-21T12:05:61Z",
      "2026-08-21T12:05:00+24:00", "2026-08-21T12:05:00+02:60",
      "2026-08-21T12:05:00-", "2026-8-21T12:05:00Z", "２０２６-08-21T12:05:00Z",
      "2026-08-21T12:05:00.1e3Z", "1787313900");
  int64_t unix_ms = 42;
  Status status = ParseRfc3339(bad, &unix_ms);
  INFO("input \"" << bad << "\" gave " << status.ToString());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().rfind("not an RFC 3339 timestamp: ", 0) == 0);
  CHECK(unix_ms == 42);
}

TEST_CASE("ParseRfc3339 says what is wrong and where", "[rfc3339]") {
  int64_t unix_ms;
  CHECK(ParseRfc3339("2026-08-21T12:05:00+0200", &unix_ms).message() ==
        "not an RFC 3339 timestamp: expected Z or +hh:mm / -hh:mm at offset "
        "22");
  CHECK(ParseRfc3339("2026-02-30T12:05:00Z", &unix_ms).message() ==
        "not an RFC 3339 timestamp: day out of range at offset 10");
}

TEST_CASE("ParseRfc3339 survives random bytes and mutated timestamps",
          "[rfc3339]") {
  std::mt19937 random(20260821);
  const std::string seed = "2318-12-05T03:14:07.61830527+01:00";
  for (int i = 0; i < 20000; ++i) {
    std::string text = seed;
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = random() % text.size();
      switch (random() % 3) {
        case 0:
          text[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          text.erase(at, 1 + random() % 3);
          break;
        default:
          text.insert(at, 1, "0123456789:+-.TZ"[random() % 16]);
      }
      if (text.empty()) text = "x";
    }
    int64_t unix_ms = 0;
    Status status = ParseRfc3339(text, &unix_ms);
    if (status.ok()) {
      // Anything accepted lies within years 0001-9999 give or take a day.
      CHECK(unix_ms >= -62135596800000 - 86400000);
      CHECK(unix_ms <= 253402300799999 + 86400000);
    } else {
      CHECK(status.code() == StatusCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace ollama_exporter
