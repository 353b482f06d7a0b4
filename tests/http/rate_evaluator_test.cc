#include "http/rate_evaluator.h"

#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/stale_marker.h"

namespace ollama_exporter::http {
namespace {

using tsdb::Sample;
using Samples = std::vector<Sample>;

constexpr int64_t kMinute = 60 * 1000;

// increase(x[1m]) at t = 60s; the comments work Prometheus 2.42's
// extrapolatedRate through by hand.
double IncreaseAt60s(const Samples& samples) {
  double value = -1;
  REQUIRE(ExtrapolatedIncrease(RangeWindow(samples, kMinute, kMinute), kMinute,
                               kMinute, false, &value));
  return value;
}

TEST_CASE("ExtrapolatedIncrease extrapolates to both ends of the window",
          "[http][rate]") {
  // +30 over 45 s of samples; 5 s to the start and 10 s to the end are
  // both below 1.1 x the 15 s interval, so 30 x 60/45 = 40.
  Samples samples = {{5000, 10}, {20000, 20}, {35000, 30}, {50000, 40}};
  CHECK(IncreaseAt60s(samples) == 40.0);
  double rate = 0;
  REQUIRE(ExtrapolatedIncrease(samples, kMinute, kMinute, true, &rate));
  // Prometheus: 30 x ((60/45) / 60), printed as 0.6666666666666666.
  CHECK(rate == 30 * ((60.0 / 45) / 60));
  CHECK(rate == 0.6666666666666666);
}

TEST_CASE("ExtrapolatedIncrease adds the value before each counter reset",
          "[http][rate]") {
  // 15 - 10 = 5, plus 20 lost at the reset to 5: 25 x 60/45.
  Samples samples = {{5000, 10}, {20000, 20}, {35000, 5}, {50000, 15}};
  CHECK(IncreaseAt60s(samples) == 25 * (60.0 / 45));
  CHECK(IncreaseAt60s(samples) == 33.33333333333333);
  // Two resets in a row each count.
  CHECK(IncreaseAt60s({{5000, 10}, {20000, 4}, {35000, 2}, {50000, 3}}) ==
        (3 - 10 + 10 + 4) * (60.0 / 45));
}

TEST_CASE("ExtrapolatedIncrease stops extrapolating at the counter's zero",
          "[http][rate]") {
  // +30 from 1: zero was 45 x 1/30 = 1.5 s before the first sample, less
  // than the 5 s to the window's start: 30 x (45 + 1.5 + 10)/45.
  CHECK(IncreaseAt60s({{5000, 1}, {20000, 11}, {35000, 21}, {50000, 31}}) ==
        30 * (56.5 / 45));
  CHECK(IncreaseAt60s({{5000, 1}, {20000, 11}, {35000, 21}, {50000, 31}}) ==
        37.666666666666664);
}

TEST_CASE("ExtrapolatedIncrease extrapolates half an interval past a gap",
          "[http][rate]") {
  // 30 s to the start is past 1.1 x 10 s: only 5 s is added there, and
  // the zero point (100 s back) does not matter: 20 x (20 + 5 + 10)/20.
  CHECK(IncreaseAt60s({{30000, 100}, {40000, 110}, {50000, 120}}) == 35.0);
  // Prometheus 2.42 clamps to the zero point before comparing with the
  // threshold: zero 8 s back is below 11 s, so 8 s is added (later
  // versions would add 5 s and give 35).
  CHECK(IncreaseAt60s({{30000, 8}, {40000, 18}, {50000, 28}}) == 38.0);
  // The end side too: samples stop 30 s before the end.
  CHECK(IncreaseAt60s({{10000, 100}, {20000, 110}, {30000, 120}}) ==
        20 * ((20 + 10 + 5) / 20.0));
}

TEST_CASE("ExtrapolatedIncrease needs two samples; its window is closed",
          "[http][rate]") {
  double value = 7;
  CHECK_FALSE(ExtrapolatedIncrease({}, kMinute, kMinute, false, &value));
  CHECK_FALSE(
      ExtrapolatedIncrease({{1000, 1}}, kMinute, kMinute, false, &value));
  CHECK(value == 7);
  // Samples exactly at both ends belong to the window: no extrapolation.
  Samples samples = {{0, 0}, {30000, 5}, {60000, 10}};
  CHECK(RangeWindow(samples, kMinute, kMinute) == samples);
  CHECK(IncreaseAt60s(samples) == 10.0);
  CHECK(RangeWindow(samples, kMinute - 1, kMinute) ==
        Samples{{0, 0}, {30000, 5}});
}

TEST_CASE("RangeWindow and the rate functions skip staleness markers",
          "[http][rate][stale]") {
  const double stale = tsdb::StaleMarker();
  Samples samples = {
      {5000, 10}, {20000, 20}, {27000, stale}, {35000, 30}, {50000, 40}};
  CHECK(RangeWindow(samples, kMinute, kMinute).size() == 4);
  CHECK(IncreaseAt60s(samples) == 40.0);
}

TEST_CASE("Rate divides by the range as Go's Duration.Seconds does",
          "[http][rate]") {
  // A 1.001 s range: Go computes 1 + 0.001, not 1001 / 1000.
  double rate = 0;
  REQUIRE(ExtrapolatedIncrease({{0, 0}, {1001, 1}}, 1001, 1001, true, &rate));
  CHECK(rate == 1 / (1 + 1000000 / 1e9));
}

TEST_CASE("EvaluateRateSteps evaluates each step's own window",
          "[http][rate]") {
  // One sample every 15 s rising by 15 (1/s), a reset at 90 s.
  Samples samples;
  for (int64_t t = 0; t <= 150000; t += 15000) {
    samples.push_back({t, static_cast<double>(t / 1000 % 90)});
  }
  Samples rates = EvaluateRateSteps(samples, 0, 150000, 30000, kMinute, true);
  std::vector<int64_t> times;
  for (const Sample& point : rates) times.push_back(point.timestamp_ms);
  // At t = 0 the window holds one sample: no value.
  CHECK(times == std::vector<int64_t>{30000, 60000, 90000, 120000, 150000});
  for (const Sample& point : rates) {
    double expected = 0;
    REQUIRE(
        ExtrapolatedIncrease(RangeWindow(samples, point.timestamp_ms, kMinute),
                             point.timestamp_ms, kMinute, true, &expected));
    CHECK(point.value == expected);
  }
  // At 30 s: 30 over [0, 30] against a 60 s range. At 60 s: 60 in 60 s.
  // At 90 s: 0 - 30 + 75 (the reset) = 45 in 60 s; Prometheus cannot
  // see the 15 lost between 75 and the reset.
  CHECK(rates[0].value == 0.5);
  CHECK(rates[1].value == 1.0);
  CHECK(rates[2].value == 0.75);
}

}  // namespace
}  // namespace ollama_exporter::http
