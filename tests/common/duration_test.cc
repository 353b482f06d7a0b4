#include "common/duration.h"

#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

int64_t Parse(std::string_view text) {
  int64_t ms = -12345;
  Status status = ParseDuration(text, &ms);
  INFO("\"" << text << "\": " << status.ToString());
  CHECK(status.ok());
  return ms;
}

std::string Error(std::string_view text) {
  int64_t ms = -12345;
  Status status = ParseDuration(text, &ms);
  INFO("\"" << text << "\"");
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(ms == -12345);
  return status.message();
}

TEST_CASE("ParseDuration reads single Prometheus units", "[duration]") {
  CHECK(Parse("0") == 0);
  CHECK(Parse("0s") == 0);
  CHECK(Parse("1ms") == 1);
  CHECK(Parse("500ms") == 500);
  CHECK(Parse("15s") == 15 * kSecond);
  CHECK(Parse("5m") == 5 * kMinute);
  CHECK(Parse("2h") == 2 * kHour);
  CHECK(Parse("7d") == 7 * kDay);
  CHECK(Parse("2w") == 14 * kDay);
  CHECK(Parse("1y") == 365 * kDay);
  CHECK(Parse("007s") == 7 * kSecond);
}

TEST_CASE("ParseDuration adds terms from largest to smallest unit",
          "[duration]") {
  CHECK(Parse("1h30m") == 90 * kMinute);
  CHECK(Parse("1m30s") == 90 * kSecond);
  CHECK(Parse("1s500ms") == 1500);
  CHECK(Parse("1y2w3d4h5m6s7ms") == 365 * kDay + 14 * kDay + 3 * kDay +
                                        4 * kHour + 5 * kMinute + 6 * kSecond +
                                        7);
  CHECK(Parse("1d1ms") == kDay + 1);
  CHECK(Parse("90s") == 90 * kSecond);  // Terms need not be normalised.
}

TEST_CASE("ParseDuration rejects other text, quoting it", "[duration]") {
  CHECK(Error("") == "invalid duration \"\": empty");
  CHECK(Error("abc") ==
        "invalid duration \"abc\": expected a number followed by a unit "
        "(y, w, d, h, m, s, ms)");
  CHECK(Error("15") ==
        "invalid duration \"15\": missing unit (y, w, d, h, m, s, ms)");
  CHECK(Error("1x") ==
        "invalid duration \"1x\": unknown or out-of-order "
        "unit \"x\"");
  CHECK(Error("30s1m") ==
        "invalid duration \"30s1m\": unknown or "
        "out-of-order unit \"m\"");
  CHECK(Error("1s1s") ==
        "invalid duration \"1s1s\": unknown or "
        "out-of-order unit \"s\"");
  CHECK(Error("1.5s") ==
        "invalid duration \"1.5s\": unknown or "
        "out-of-order unit \".\"");
  CHECK(Error("-1s") ==
        "invalid duration \"-1s\": expected a number followed by a unit "
        "(y, w, d, h, m, s, ms)");
  CHECK(Error("+1s").rfind("invalid duration \"+1s\": ", 0) == 0);
  CHECK(Error(" 1s").rfind("invalid duration \" 1s\": ", 0) == 0);
  CHECK(Error("1s ") ==
        "invalid duration \"1s \": unknown or out-of-order "
        "unit \"s \"");
  CHECK(Error("1S").rfind("invalid duration \"1S\": unknown", 0) == 0);
  CHECK(Error("1 s").rfind("invalid duration \"1 s\": unknown", 0) == 0);
  CHECK(Error("s") ==
        "invalid duration \"s\": expected a number followed by a unit "
        "(y, w, d, h, m, s, ms)");
  CHECK(Error("00").rfind("invalid duration \"00\": missing unit", 0) == 0);
}

TEST_CASE("ParseDuration refuses values past int64 milliseconds",
          "[duration]") {
  CHECK(Parse("9223372036854775807ms") == std::numeric_limits<int64_t>::max());
  CHECK(Error("9223372036854775808ms") ==
        "invalid duration \"9223372036854775808ms\": too large");
  CHECK(Error("99999999999999999999s") ==
        "invalid duration \"99999999999999999999s\": too large");
  CHECK(Error("292471209y") == "invalid duration \"292471209y\": too large");
  CHECK(Parse("292471208y") == 292471208 * (365 * kDay));
  CHECK(Error("292471208y365d") ==
        "invalid duration \"292471208y365d\": too large");
}

TEST_CASE("FormatDuration writes the shortest Prometheus form", "[duration]") {
  CHECK(FormatDuration(0) == "0s");
  CHECK(FormatDuration(-5) == "0s");
  CHECK(FormatDuration(1) == "1ms");
  CHECK(FormatDuration(1500) == "1s500ms");
  CHECK(FormatDuration(90 * kSecond) == "1m30s");
  CHECK(FormatDuration(15 * kSecond) == "15s");
  CHECK(FormatDuration(kDay) == "1d");
  CHECK(FormatDuration(7 * kDay) == "1w");
  CHECK(FormatDuration(365 * kDay + kDay + 1) == "1y1d1ms");
}

TEST_CASE("FormatDuration output parses back to the same value", "[duration]") {
  for (int64_t ms : {int64_t{1}, int64_t{999}, int64_t{1001}, 61 * kMinute,
                     400 * kDay + 7, std::numeric_limits<int64_t>::max()}) {
    INFO(ms);
    CHECK(Parse(FormatDuration(ms)) == ms);
  }
}

}  // namespace
}  // namespace ollama_exporter
