#include "http/step_evaluator.h"

#include <limits>
#include <vector>

#include <catch2/catch.hpp>

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

}  // namespace
}  // namespace ollama_exporter::http
