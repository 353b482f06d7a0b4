// The small PromQL and Grafana readers the dashboard tests rely on.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "dashboard.h"
#include "promql_selectors.h"
#include "require_ok.h"

namespace ollama_exporter::prometheus_test {
namespace {

std::vector<std::string> Selectors(std::string_view expr) {
  std::vector<std::string> texts;
  for (const VectorSelector& selector : ExtractSelectors(expr)) {
    texts.push_back(selector.ToString());
  }
  return texts;
}

TEST_CASE("ExtractSelectors finds the metric selectors of an expression",
          "[promql]") {
  CHECK(Selectors("ollama_up == 0") == std::vector<std::string>{"ollama_up"});
  CHECK(Selectors(
            R"(sum by (job, instance) (rate(a_total{x="1",y=~'b.*'}[5m])))") ==
        std::vector<std::string>{R"(a_total{x="1", y=~'b.*'})"});
  CHECK(Selectors("a / on (job) group_left () b > bool 0.5 * 1e9") ==
        std::vector<std::string>{"a", "b"});
  CHECK(Selectors("histogram_quantile(0.95, sum without (le) ("
                  R"(x_bucket{le!="+Inf"}[$__rate_interval])))") ==
        std::vector<std::string>{R"(x_bucket{le!="+Inf"})"});
  CHECK(Selectors("model:ollama_requests:rate5m * 300 >= 5 and vector(1)") ==
        std::vector<std::string>{"model:ollama_requests:rate5m"});
  CHECK(Selectors(R"(max_over_time(v{m="a}b"}[1d]) offset 5m)") ==
        std::vector<std::string>{R"(v{m="a}b"})"});
  CHECK(Selectors(R"({__name__="x"} + count(y))") ==
        std::vector<std::string>{"y"});
}

TEST_CASE("ExtractSelectors stops at what it cannot read", "[promql]") {
  CHECK(Selectors(R"(a{x="1")").empty());
  CHECK(Selectors(R"(a{x=1} + b)").empty());
  CHECK(Selectors("rate(a[5m") == std::vector<std::string>{"a"});
  CHECK(Selectors("").empty());
  CHECK(Selectors("\"unterminated").empty());
}

TEST_CASE("WithoutLabels drops the matchers on the given labels", "[promql]") {
  const VectorSelector selector =
      ExtractSelectors(R"(m{instance=~"$instance", model=~"$model", job="j"})")
          .at(0);
  CHECK(WithoutLabels(selector, {"instance", "job"}).ToString() ==
        R"(m{model=~"$model"})");
  CHECK(WithoutLabels(selector, {"instance", "job", "model"}).ToString() ==
        "m");
}

TEST_CASE("Dashboard variables are found and expanded in every form",
          "[grafana]") {
  const std::string text =
      "$a ${b} ${c:regex} [[d]] $__rate_interval $ ${} [[]] $1x";
  CHECK(ReferencedVariables(text) ==
        std::vector<std::string>{"a", "b", "c", "d", "__rate_interval", "1x"});
  CHECK(ExpandVariables(
            text,
            {{"a", "A"}, {"c", ".*"}, {"d", "D"}, {"__rate_interval", "1m"}}) ==
        "A ${b} .* D 1m $ ${} [[]] $1x");
}

TEST_CASE("ParseLabelValuesQuery splits label_values into its arguments",
          "[grafana]") {
  std::string selector;
  std::string label;
  REQUIRE_OK(ParseLabelValuesQuery(R"(label_values(m{a=~"x,y"}, model))",
                                   &selector, &label));
  CHECK(selector == R"(m{a=~"x,y"})");
  CHECK(label == "model");

  for (const char* bad : {"", "label_values(m)", "label_values(m, )",
                          "labels(m, x)", "label_values(m, x"}) {
    INFO(bad);
    CHECK(ParseLabelValuesQuery(bad, &selector, &label).code() ==
          StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace ollama_exporter::prometheus_test
