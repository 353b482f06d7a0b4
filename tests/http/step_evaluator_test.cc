#include "http/step_evaluator.h"

#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/stale_marker.h"

namespace ollama_exporter::http {
namespace {

using tsdb::Sample;
using Samples = std::vector<Sample>;

constexpr int64_t kMinute = 60 * 1000;

TEST_CASE("EvaluateSteps takes the newest sample at or before each step",
          "[http]") {
  Samples samples = {{0, 1}, {10, 2}, {15, 3}, {30, 4}};
  CHECK(EvaluateSteps(samples, 0, 40, 10, kLookbackMs) ==
        Samples{{0, 1}, {10, 2}, {20, 3}, {30, 4}, {40, 4}});
  // Downsampling skips samples between steps.
  CHECK(EvaluateSteps(samples, 0, 40, 20, kLookbackMs) ==
        Samples{{0, 1}, {20, 3}, {40, 4}});
}

TEST_CASE("EvaluateSteps leaves out steps with nothing in the lookback",
          "[http]") {
  Samples samples = {{0, 1}, {10 * kMinute, 2}};
  CHECK(EvaluateSteps(samples, 0, 20 * kMinute, 2 * kMinute, kLookbackMs) ==
        Samples{{0, 1},
                {2 * kMinute, 1},
                {4 * kMinute, 1},
                {10 * kMinute, 2},
                {12 * kMinute, 2},
                {14 * kMinute, 2}});
}

TEST_CASE("EvaluateSteps' lookback is open on the left, closed on the right",
          "[http]") {
  Samples samples = {{1000, 7}};
  CHECK(EvaluateSteps(samples, 999, 999, 1, kLookbackMs).empty());
  CHECK(EvaluateSteps(samples, 1000, 1000, 1, kLookbackMs) ==
        Samples{{1000, 7}});
  CHECK(EvaluateSteps(samples, 1000 + kLookbackMs - 1, 1000 + kLookbackMs - 1,
                      1, kLookbackMs) == Samples{{1000 + kLookbackMs - 1, 7}});
  CHECK(EvaluateSteps(samples, 1000 + kLookbackMs, 1000 + kLookbackMs, 1,
                      kLookbackMs)
            .empty());
}

TEST_CASE("EvaluateSteps handles empty input and ranges off the step grid",
          "[http]") {
  CHECK(EvaluateSteps({}, 0, 100, 10, kLookbackMs).empty());
  Samples samples = {{5, 1}};
  CHECK(EvaluateSteps(samples, 5, 24, 10, kLookbackMs) ==
        Samples{{5, 1}, {15, 1}});
  CHECK(EvaluateSteps(samples, 5, 6, 1000, kLookbackMs) == Samples{{5, 1}});
  // A step this large must not overflow past end.
  CHECK(EvaluateSteps(samples, 5, 10, std::numeric_limits<int64_t>::max(),
                      kLookbackMs) == Samples{{5, 1}});
}

TEST_CASE("EvaluateSteps carries NaN and infinities through", "[http]") {
  const double inf = std::numeric_limits<double>::infinity();
  Samples points =
      EvaluateSteps({{0, std::nan("")}, {10, inf}}, 0, 10, 10, kLookbackMs);
  REQUIRE(points.size() == 2);
  CHECK(std::isnan(points[0].value));
  CHECK(points[1].value == inf);
}

TEST_CASE("EvaluateSteps hides a series from its staleness marker on",
          "[http][stale]") {
  const double stale = tsdb::StaleMarker();
  SECTION("for the rest of the lookback") {
    Samples samples = {{0, 1}, {30, stale}};
    CHECK(EvaluateSteps(samples, 0, 50, 10, kLookbackMs) ==
          Samples{{0, 1}, {10, 1}, {20, 1}});
  }
  SECTION("until a sample after the marker shows it again") {
    Samples samples = {{0, 1}, {kMinute, stale}, {3 * kMinute, 5}};
    CHECK(EvaluateSteps(samples, 0, 4 * kMinute, kMinute, kLookbackMs) ==
          Samples{{0, 1}, {3 * kMinute, 5}, {4 * kMinute, 5}});
    // Between steps: the marker and the comeback both fall in one step.
    CHECK(EvaluateSteps(samples, 0, 4 * kMinute, 4 * kMinute, kLookbackMs) ==
          Samples{{0, 1}, {4 * kMinute, 5}});
  }
  SECTION("at the marker's own timestamp") {
    Samples samples = {{0, 1}, {10, stale}};
    CHECK(EvaluateSteps(samples, 9, 9, 1, kLookbackMs) == Samples{{9, 1}});
    CHECK(EvaluateSteps(samples, 10, 10, 1, kLookbackMs).empty());
  }
}

TEST_CASE("EvaluateSteps gives nothing for a series with only markers",
          "[http][stale]") {
  const double stale = tsdb::StaleMarker();
  CHECK(
      EvaluateSteps({{0, stale}, {10, stale}}, 0, 100, 5, kLookbackMs).empty());
  // Every step within the lookback sees the marker, not the older value.
  CHECK(EvaluateSteps({{0, 1}, {5, stale}}, 5, 100, 5, kLookbackMs).empty());
}

TEST_CASE("EvaluateSteps keeps a NaN that is not the marker", "[http][stale]") {
  // The marker's payload with the quiet bit set: an ordinary NaN value.
  Samples samples = {{0, std::nan("2")}};
  Samples points = EvaluateSteps(samples, 0, 10, 10, kLookbackMs);
  REQUIRE(points.size() == 2);
  CHECK(std::isnan(points[0].value));
  CHECK(std::isnan(points[1].value));
}

}  // namespace
}  // namespace ollama_exporter::http
