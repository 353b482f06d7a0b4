#include "http/query_parser.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::http {
namespace {

using Kind = QueryExpr::Kind;

QueryExpr MustParse(const std::string& text) {
  QueryExpr expr;
  Status status = ParseQuery(text, &expr);
  INFO(text << ": " << status.ToString());
  REQUIRE(status.ok());
  return expr;
}

std::vector<std::string> Texts(const QueryExpr& expr) {
  std::vector<std::string> texts;
  for (const tsdb::Matcher& matcher : expr.matchers) {
    texts.push_back(matcher.ToString());
  }
  return texts;
}

std::string ErrorOf(const std::string& text) {
  QueryExpr expr;
  Status status = ParseQuery(text, &expr);
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  return status.message();
}

const std::string kOnly =
    " are not supported: only series selectors such as up{job=\"x\"}, "
    "rate(...) and increase(...) of them are";

TEST_CASE("ParseQuery reads selectors, ranges, rate and increase", "[http]") {
  QueryExpr expr = MustParse("ollama_up{model=~\"l.*\"}");
  CHECK(expr.kind == Kind::kSelector);
  CHECK(expr.range_ms == 0);
  CHECK(Texts(expr) ==
        std::vector<std::string>{"__name__=\"ollama_up\"", "model=~\"l.*\""});

  expr = MustParse("x[1h30m]");
  CHECK(expr.kind == Kind::kRangeSelector);
  CHECK(expr.range_ms == 5400000);
  CHECK(Texts(expr) == std::vector<std::string>{"__name__=\"x\""});

  expr = MustParse("rate(x_total{a!=\"b\"}[5m])");
  CHECK(expr.kind == Kind::kRate);
  CHECK(expr.range_ms == 300000);
  CHECK(Texts(expr) ==
        std::vector<std::string>{"__name__=\"x_total\"", "a!=\"b\""});

  expr = MustParse(" increase ( # why\n {__name__=\"y\"} [ 90s ] ) ");
  CHECK(expr.kind == Kind::kIncrease);
  CHECK(expr.range_ms == 90000);
  CHECK(Texts(expr) == std::vector<std::string>{"__name__=\"y\""});

  // Names that merely start like the functions are metrics.
  CHECK(MustParse("rate_total").kind == Kind::kSelector);
  CHECK(MustParse("increase").kind == Kind::kSelector);
}

TEST_CASE("ParseQuery names what it does not support", "[http]") {
  CHECK(ErrorOf("sum(rate(x[5m]))") ==
        "1:1: parse error: function calls and aggregations such as "
        "sum(...)" +
            kOnly);
  CHECK(ErrorOf("irate(x[5m])") ==
        "1:1: parse error: function calls and aggregations such as "
        "irate(...)" +
            kOnly);
  CHECK(ErrorOf("rate(x[5m]) * 2") == "1:13: parse error: operators" + kOnly);
  CHECK(ErrorOf("rate(x[5m] offset 1m)") ==
        "1:12: parse error: offset modifiers" + kOnly);
  CHECK(ErrorOf("x offset 5m") == "1:3: parse error: offset modifiers" + kOnly);
  CHECK(ErrorOf("x @ 100") == "1:3: parse error: @ modifiers" + kOnly);
  CHECK(ErrorOf("rate(x[5m:1m])") ==
        "1:7: parse error: subqueries such as [5m:1m]" + kOnly);
  CHECK(ErrorOf("x[5m] + y") == "1:7: parse error: operators" + kOnly);
  CHECK(ErrorOf("(x)") == "1:1: parse error: parentheses" + kOnly);
  CHECK(ErrorOf("sum by (a) (x)") == "1:5: parse error: aggregations" + kOnly);
  CHECK(ErrorOf("x and y") == "1:3: parse error: binary operators" + kOnly);
  CHECK(ErrorOf("42") == "1:1: parse error: number literals" + kOnly);
  CHECK(ErrorOf("rate(\"s\")") == "1:6: parse error: string literals" + kOnly);
}

TEST_CASE("ParseQuery reports malformed queries with their position",
          "[http]") {
  CHECK(ErrorOf("") == "1:1: parse error: no expression found in input");
  CHECK(ErrorOf("  # only a comment") ==
        "1:19: parse error: no expression found in input");
  CHECK(ErrorOf("rate(x)") ==
        "1:1: parse error: expected type range vector in call to function "
        "\"rate\", got instant vector");
  CHECK(ErrorOf("rate(x[5m], 1)") ==
        "1:11: parse error: wrong number of arguments for function \"rate\": "
        "only one is taken");
  CHECK(ErrorOf("rate(x[5m]") == "1:11: parse error: unexpected end of input");
  CHECK(ErrorOf("x[5m") == "1:2: parse error: unclosed '[': missing ']'");
  CHECK(ErrorOf("x[0s]") ==
        "1:3: parse error: duration must be greater than 0");
  CHECK(ErrorOf("x[]") == "1:3: parse error: invalid duration \"\": empty");
  CHECK_THAT(ErrorOf("x[5x]"), Catch::StartsWith("1:3: parse error: "));
  CHECK(ErrorOf("x[-5m]") ==
        "1:2: parse error: expected a duration such as 5m in '[...]'");
  CHECK(ErrorOf("rate({}[5m])") ==
        "1:6: parse error: vector selector must contain at least one "
        "non-empty matcher");
  CHECK(ErrorOf("rate(x{a=\"b\"[5m])") ==
        "1:13: parse error: expected ',' or '}' after a label matcher, found "
        "'['");
}

TEST_CASE("ParseQuery leaves its output alone on error", "[http]") {
  QueryExpr expr = MustParse("rate(x[5m])");
  CHECK_FALSE(ParseQuery("rate(y[5m]) + 1", &expr).ok());
  CHECK(expr.kind == Kind::kRate);
  CHECK(Texts(expr) == std::vector<std::string>{"__name__=\"x\""});
}

TEST_CASE("ParseQuery survives every prefix of valid queries", "[http]") {
  for (const std::string text :
       {"increase(ollama_x_total{model=~\"l.*\",a!='b'}[1h5m]) # c",
        "x{a=`b`}[10s]", "rate ( {__name__=\"y\"} [ 5m ] )"}) {
    for (size_t length = 0; length <= text.size(); ++length) {
      QueryExpr expr;
      (void)ParseQuery(text.substr(0, length), &expr);
    }
  }
  SUCCEED("no crash or hang");
}

}  // namespace
}  // namespace ollama_exporter::http
