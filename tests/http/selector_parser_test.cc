#include "http/selector_parser.h"

#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::http {
namespace {

using tsdb::Matcher;

// The matchers as PromQL text: `__name__="up",job!="a"`.
std::string Parsed(const std::string& text) {
  std::vector<Matcher> matchers;
  Status status = ParseSelector(text, &matchers);
  if (!status.ok()) return "error: " + status.message();
  std::string joined;
  for (const Matcher& matcher : matchers) {
    if (!joined.empty()) joined += ',';
    joined += matcher.ToString();
  }
  return joined;
}

// The message for text that must not parse.
std::string ErrorOf(const std::string& text) {
  std::vector<Matcher> matchers;
  Status status = ParseSelector(text, &matchers);
  return status.code() == StatusCode::kInvalidArgument
             ? status.message()
             : "unexpectedly " + status.ToString();
}

TEST_CASE("ParseSelector reads a metric name and all four matcher ops",
          "[http]") {
  CHECK(Parsed("up") == "__name__=\"up\"");
  CHECK(Parsed("ollama:model_loaded_total") ==
        "__name__=\"ollama:model_loaded_total\"");
  CHECK(Parsed(R"(up{job="a",x!="b",y=~"c.*",z!~"d"})") ==
        R"(__name__="up",job="a",x!="b",y=~"c.*",z!~"d")");
  CHECK(Parsed(R"({__name__="ollama_up"})") == R"(__name__="ollama_up")");
  CHECK(Parsed(R"({job="a"})") == R"(job="a")");
  CHECK(Parsed(R"({__name__=~"ollama_.*", job!=""})") ==
        R"(__name__=~"ollama_.*",job!="")");
}

TEST_CASE("ParseSelector allows whitespace, comments and a trailing comma",
          "[http]") {
  CHECK(Parsed(" \t\nup \n{ job = \"a\" ,\r\n x !~ 'b' , } \n") ==
        R"(__name__="up",job="a",x!~"b")");
  CHECK(Parsed("up # the up series\n{a=\"b\"} # done") ==
        R"(__name__="up",a="b")");
  CHECK(Parsed("up{}") == R"(__name__="up")");
}

TEST_CASE("ParseSelector decodes PromQL string escapes", "[http]") {
  CHECK(Parsed(R"(up{a="q\"b\\c\nd\te"})") ==
        "__name__=\"up\",a=\"q\\\"b\\\\c\\nd\te\"");
  CHECK(Parsed(R"(up{a="\x41\102\u00e9\U0001F600"})") ==
        "__name__=\"up\",a=\"AB\xc3\xa9\xf0\x9f\x98\x80\"");
  CHECK(Parsed(R"(up{a='it\'s "x"'})") == R"(__name__="up",a="it's \"x\"")");
  CHECK(Parsed("up{a=`raw\\n\"`}") == R"(__name__="up",a="raw\\n\"")");
  CHECK(Parsed(R"(up{a="\a\b\f\r\v"})") == "__name__=\"up\",a=\"\a\b\f\r\v\"");
}

TEST_CASE("ParseSelector names what PromQL feature is not supported",
          "[http]") {
  const std::string only =
      " are not supported: only a series selector such as up or "
      "up{job=\"x\"} is";
  CHECK(ErrorOf("rate(up[5m])") ==
        "1:1: parse error: function calls and aggregations such as "
        "rate(...)" +
            only);
  CHECK(ErrorOf("sum (up)") ==
        "1:1: parse error: function calls and aggregations such as "
        "sum(...)" +
            only);
  CHECK(ErrorOf("sum by (job) (up)") ==
        "1:5: parse error: aggregations" + only);
  CHECK(ErrorOf("up[5m]") ==
        "1:3: parse error: range selectors such as [5m]" + only);
  CHECK(ErrorOf("up{a=\"b\"}[5m]") ==
        "1:10: parse error: range selectors such as [5m]" + only);
  CHECK(ErrorOf("up offset 5m") == "1:4: parse error: offset modifiers" + only);
  CHECK(ErrorOf("up @ 100") == "1:4: parse error: @ modifiers" + only);
  CHECK(ErrorOf("up + 1") == "1:4: parse error: operators" + only);
  CHECK(ErrorOf("up>0") == "1:3: parse error: operators" + only);
  CHECK(ErrorOf("up and down") == "1:4: parse error: binary operators" + only);
  CHECK(ErrorOf("up OR down") == "1:4: parse error: binary operators" + only);
  CHECK(ErrorOf("-up") == "1:1: parse error: operators" + only);
  CHECK(ErrorOf("(up)") == "1:1: parse error: parentheses" + only);
  CHECK(ErrorOf("1") == "1:1: parse error: number literals" + only);
  CHECK(ErrorOf(".5") == "1:1: parse error: number literals" + only);
  CHECK(ErrorOf("Inf") == "1:1: parse error: number literals" + only);
  CHECK(ErrorOf("nan") == "1:1: parse error: number literals" + only);
  CHECK(ErrorOf("\"up\"") == "1:1: parse error: string literals" + only);
  CHECK(ErrorOf("up\n  [5m]") ==
        "2:3: parse error: range selectors such as [5m]" + only);
}

TEST_CASE("ParseSelector rejects selectors that select everything or clash",
          "[http]") {
  const std::string empty =
      "1:1: parse error: vector selector must contain at least one "
      "non-empty matcher";
  CHECK(ErrorOf("{}") == empty);
  CHECK(ErrorOf("{a=\"\"}") == empty);
  CHECK(ErrorOf("{a=~\".*\", b!~\"x\", c!=\"y\"}") == empty);
  CHECK(ErrorOf("  {a=~\"x?\"}") ==
        "1:3: parse error: vector selector must contain at least one "
        "non-empty matcher");
  CHECK(ErrorOf("up{__name__=\"down\"}") ==
        "1:1: parse error: metric name must not be set twice: \"up\" or "
        "\"down\"");
  CHECK(ErrorOf("up{__name__=~\"d.*\"}") ==
        "1:1: parse error: metric name must not be set twice: \"up\" or "
        "\"d.*\"");
}

TEST_CASE("ParseSelector reports malformed selectors with their position",
          "[http]") {
  CHECK(ErrorOf("") == "1:1: parse error: no expression found in input");
  CHECK(ErrorOf(" \n # only a comment") ==
        "2:18: parse error: no expression found in input");
  CHECK(ErrorOf("up{a=\"b\"") == "1:3: parse error: unclosed '{': missing '}'");
  CHECK(ErrorOf("up{") == "1:3: parse error: unclosed '{': missing '}'");
  CHECK(ErrorOf("up{a=\"b}") == "1:6: parse error: unterminated quoted string");
  CHECK(ErrorOf("up{a=\"b\nc\"}") ==
        "1:6: parse error: unterminated quoted string");
  CHECK(ErrorOf("up{a=`b}") == "1:6: parse error: unterminated raw string");
  CHECK(ErrorOf("up{a=\"\\q\"}") ==
        "1:7: parse error: unknown escape sequence \\q");
  CHECK(ErrorOf("up{a='\\\"'}") ==
        "1:7: parse error: unknown escape sequence \\\"");
  CHECK(ErrorOf("up{a=\"\\x4\"}") ==
        "1:10: parse error: illegal character '\"' in escape sequence");
  CHECK(ErrorOf("up{a=\"\\400\"}") ==
        "1:7: parse error: octal escape sequence above \\377");
  CHECK(ErrorOf("up{a=\"\\uD800\"}") ==
        "1:7: parse error: escape sequence is an invalid Unicode code point");
  CHECK(ErrorOf("up{a=\"\\U00110000\"}") ==
        "1:7: parse error: escape sequence is an invalid Unicode code point");
  CHECK(ErrorOf("up{a=\"\\") ==
        "1:7: parse error: escape sequence not "
        "terminated");
  CHECK(ErrorOf("up{a=\"b\" c=\"d\"}") ==
        "1:10: parse error: expected ',' or '}' after a label matcher, found "
        "'c'");
  CHECK(ErrorOf("up{a=\"b\",,}") ==
        "1:10: parse error: expected a label name, found ','");
  CHECK(ErrorOf("up{1=\"b\"}") ==
        "1:4: parse error: expected a label name, found '1'");
  CHECK(ErrorOf("up{a=b}") ==
        "1:6: parse error: expected a quoted label value, found 'b'");
  CHECK(ErrorOf("up{a=") ==
        "1:6: parse error: expected a quoted label value, found end of input");
  CHECK(ErrorOf("up{a:\"b\"}") ==
        "1:5: parse error: expected =, !=, =~ or !~ after label a, found ':'");
  CHECK(ErrorOf("up{a==\"b\"}") ==
        "1:6: parse error: expected a quoted label value, found '='");
  CHECK(ErrorOf("up}") == "1:3: parse error: unexpected character '}'");
  CHECK(ErrorOf("up down") ==
        "1:4: parse error: unexpected identifier \"down\"");
  CHECK(ErrorOf("up{a=\"b\"}{c=\"d\"}") ==
        "1:10: parse error: unexpected character '{'");
  CHECK(ErrorOf(std::string("up\x01", 3)) ==
        "1:3: parse error: unexpected character byte 0x01");
  CHECK(ErrorOf("\xc3\xa9") ==
        "1:1: parse error: unexpected character byte 0xC3");
  CHECK_THAT(ErrorOf("up{a=~\"(\"}"),
             Catch::StartsWith("1:4: parse error: invalid regular expression "
                               "\"(\" for label a"));
}

TEST_CASE("ParseSelector leaves its output alone on error", "[http]") {
  std::vector<Matcher> matchers;
  REQUIRE(ParseSelector("up", &matchers).ok());
  CHECK_FALSE(ParseSelector("up{", &matchers).ok());
  REQUIRE(matchers.size() == 1);
  CHECK(matchers[0].ToString() == "__name__=\"up\"");
}

TEST_CASE("ParseSelector survives every prefix and random bytes", "[http]") {
  const std::string full =
      R"(ollama_up{a="x\"\u00e9",b!='y',c=~`z.*`,d!~"\x41\101"} # c)";
  for (size_t length = 0; length <= full.size(); ++length) {
    std::vector<Matcher> matchers;
    Status status = ParseSelector(full.substr(0, length), &matchers);
    // "o" to "ollama_up" are metric names; the braces close at '}'.
    const bool valid = (length >= 1 && length <= 9) || length > full.find('}');
    INFO(full.substr(0, length));
    CHECK(status.ok() == valid);
  }

  std::mt19937 random(42);
  const std::string alphabet = "up{}=!~\"'`\\,# \n[]()ax0.:_-+uUx";
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (size_t j = random() % 24; j > 0; --j) {
      text += random() % 8 == 0 ? static_cast<char>(random() % 256)
                                : alphabet[random() % alphabet.size()];
    }
    std::vector<Matcher> matchers;
    if (ParseSelector(text, &matchers).ok()) {
      ++parsed;
      REQUIRE_FALSE(matchers.empty());
      bool selects = false;
      for (const Matcher& m : matchers) {
        if (!m.Matches(tsdb::Labels())) selects = true;
      }
      CHECK(selects);
    }
  }
  // The alphabet makes some valid selectors too, so both paths run.
  CHECK(parsed > 0);
}

TEST_CASE("ParseMetricSelector skips the whole-expression checks", "[http]") {
  std::vector<Matcher> matchers;
  REQUIRE(ParseMetricSelector("{}", &matchers).ok());
  CHECK(matchers.empty());
  REQUIRE(ParseMetricSelector("up{__name__=\"x\"}", &matchers).ok());
  CHECK(matchers.size() == 2);
  // Syntax is still checked.
  CHECK(ParseMetricSelector("up{", &matchers).message() ==
        "1:3: parse error: unclosed '{': missing '}'");
  CHECK(ParseMetricSelector("rate(up[5m])", &matchers).code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("ParseSelectorAt stops after the selector", "[http]") {
  const std::string text = "f( up{a=\"b\"} [5m])";
  PromqlCursor cursor(text, 2);
  std::vector<Matcher> matchers;
  REQUIRE(ParseSelectorAt(&cursor, &matchers).ok());
  CHECK(cursor.pos() == 12);
  CHECK(matchers.size() == 2);

  PromqlCursor empty_cursor("f({}[5m])", 2);
  CHECK(ParseSelectorAt(&empty_cursor, &matchers).message() ==
        "1:3: parse error: vector selector must contain at least one "
        "non-empty matcher");
  CHECK(empty_cursor.pos() == 2);
  CHECK(matchers.size() == 2);
}

}  // namespace
}  // namespace ollama_exporter::http
