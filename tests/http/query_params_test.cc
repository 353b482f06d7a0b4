#include "http/query_params.h"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::http {
namespace {

QueryParams MustParse(const std::string& text) {
  QueryParams params;
  Status status = QueryParams::Parse(text, &params);
  INFO(status.ToString());
  REQUIRE(status.ok());
  return params;
}

std::string Value(const QueryParams& params, const std::string& key) {
  const std::string* value = params.Find(key);
  return value == nullptr ? "<absent>" : *value;
}

TEST_CASE("QueryParams decodes percent escapes and plus signs", "[http]") {
  QueryParams params =
      MustParse("query=up%7Bjob%3D%22a%20b%22%7D&sum=1%2B1&space=a+b&pct=%25");
  CHECK(Value(params, "query") == "up{job=\"a b\"}");
  CHECK(Value(params, "sum") == "1+1");
  CHECK(Value(params, "space") == "a b");
  CHECK(Value(params, "pct") == "%");
}

TEST_CASE("QueryParams finds the first of repeated keys and lists them all",
          "[http]") {
  QueryParams params = MustParse("hours=1&limit=5&hours=2&h%6Furs=3");
  CHECK(Value(params, "hours") == "1");
  CHECK(Value(params, "limit") == "5");
  CHECK(params.FindAll("hours") == std::vector<std::string>{"1", "2", "3"});
  CHECK(params.FindAll("limit") == std::vector<std::string>{"5"});
  CHECK(params.FindAll("absent").empty());
}

TEST_CASE("QueryParams reads bare keys, empty values and empty pieces",
          "[http]") {
  QueryParams params = MustParse("&&flag&empty=&a=1=2&&");
  CHECK(Value(params, "flag") == "");
  CHECK(Value(params, "empty") == "");
  CHECK(Value(params, "a") == "1=2");
  CHECK(Value(params, "missing") == "<absent>");
  CHECK(MustParse("").Find("") == nullptr);
}

TEST_CASE("QueryParams keeps arbitrary decoded bytes", "[http]") {
  QueryParams params = MustParse("k=%00%FF%0A");
  CHECK(Value(params, "k") == std::string("\0\xff\n", 3));
}

TEST_CASE("QueryParams rejects malformed escapes and keeps its old value",
          "[http]") {
  QueryParams params = MustParse("kept=1");

  struct Case {
    std::string text;
    std::string message;
  };

  for (const Case& c : std::vector<Case>{
           {"a=%", "invalid URL escape \"%\""},
           {"a=%4", "invalid URL escape \"%4\""},
           {"a=%zz", "invalid URL escape \"%zz\""},
           {"a=%g1&b=2", "invalid URL escape \"%g1\""},
           {"ok=1&%x1=2", "invalid URL escape \"%x1\""},
           {"a=1%", "invalid URL escape \"%\""},
       }) {
    INFO(c.text);
    Status status = QueryParams::Parse(c.text, &params);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message() == c.message);
  }
  CHECK(Value(params, "kept") == "1");
}

TEST_CASE("QueryParams::Append puts the other's values after its own",
          "[http]") {
  QueryParams params = MustParse("a=body&m=b1&m=b2");
  params.Append(MustParse("a=url&b=url&m=u1"));
  CHECK(Value(params, "a") == "body");
  CHECK(Value(params, "b") == "url");
  CHECK(params.FindAll("a") == std::vector<std::string>{"body", "url"});
  CHECK(params.FindAll("m") == std::vector<std::string>{"b1", "b2", "u1"});
}

TEST_CASE("QueryParams survives random bytes and round-trips encoded pairs",
          "[http]") {
  std::mt19937 random(20261204);
  const char kAlphabet[] = "%&=+aZ09fF\0\xff ";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    size_t length = random() % 40;
    for (size_t j = 0; j < length; ++j) {
      text += random() % 4 == 0 ? static_cast<char>(random() % 256)
                                : alphabet[random() % alphabet.size()];
    }
    QueryParams params;
    Status status = QueryParams::Parse(text, &params);
    if (text.find('%') == std::string::npos) CHECK(status.ok());
  }

  // Any key and value, fully percent-encoded, come back unchanged.
  for (int i = 0; i < 500; ++i) {
    std::string key = "k" + std::to_string(i);
    std::string value;
    for (size_t j = random() % 20; j > 0; --j) {
      value += static_cast<char>(random() % 256);
    }
    std::string encoded;
    for (unsigned char c : value) {
      char escape[4];
      std::snprintf(escape, sizeof(escape), "%%%02X", c);
      encoded += escape;
    }
    CHECK(Value(MustParse(key + "=" + encoded), key) == value);
  }
}

}  // namespace
}  // namespace ollama_exporter::http
