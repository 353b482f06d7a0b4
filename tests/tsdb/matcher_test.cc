#include "tsdb/matcher.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::tsdb {
namespace {

Matcher Make(Matcher::Op op, const std::string& name,
             const std::string& value) {
  Matcher matcher;
  const Status status = Matcher::Make(op, name, value, &matcher);
  REQUIRE(status.ToString() == "OK");
  return matcher;
}

const Labels kLlama = {{"__name__", "ollama_model_loaded"},
                       {"model", "llama3:8b"}};

}  // namespace

TEST_CASE("Equality matchers compare whole values", "[tsdb][matcher]") {
  CHECK(Make(Matcher::Op::kEqual, "model", "llama3:8b").Matches(kLlama));
  CHECK_FALSE(Make(Matcher::Op::kEqual, "model", "llama3").Matches(kLlama));
  CHECK(Make(Matcher::Op::kNotEqual, "model", "llama3").Matches(kLlama));
  CHECK_FALSE(
      Make(Matcher::Op::kNotEqual, "model", "llama3:8b").Matches(kLlama));
}

TEST_CASE("A missing label matches as the empty string", "[tsdb][matcher]") {
  CHECK(Make(Matcher::Op::kEqual, "quant", "").Matches(kLlama));
  CHECK_FALSE(Make(Matcher::Op::kNotEqual, "quant", "").Matches(kLlama));
  CHECK_FALSE(Make(Matcher::Op::kEqual, "quant", "Q4").Matches(kLlama));
  CHECK(Make(Matcher::Op::kRegexMatch, "quant", "Q4|").Matches(kLlama));
  CHECK(Make(Matcher::Op::kRegexNoMatch, "quant", ".+").Matches(kLlama));
}

TEST_CASE("Regex matchers are anchored at both ends", "[tsdb][matcher]") {
  CHECK_FALSE(Make(Matcher::Op::kRegexMatch, "model", "llama").Matches(kLlama));
  CHECK_FALSE(Make(Matcher::Op::kRegexMatch, "model", "8b").Matches(kLlama));
  CHECK(Make(Matcher::Op::kRegexMatch, "model", "llama.*").Matches(kLlama));
  CHECK(Make(Matcher::Op::kRegexMatch, "model", ".*:8b").Matches(kLlama));
  // The anchors wrap the whole alternation, as Prometheus' ^(?:...)$ does.
  CHECK(Make(Matcher::Op::kRegexMatch, "model", "llama|llama3:8b")
            .Matches(kLlama));
  CHECK_FALSE(
      Make(Matcher::Op::kRegexMatch, "model", "llama|mistral").Matches(kLlama));
  CHECK(Make(Matcher::Op::kRegexNoMatch, "model", "llama").Matches(kLlama));
  CHECK_FALSE(
      Make(Matcher::Op::kRegexNoMatch, "model", "llama.*").Matches(kLlama));
}

TEST_CASE("Matcher::Make rejects bad regexes and empty names",
          "[tsdb][matcher]") {
  Matcher matcher = Make(Matcher::Op::kEqual, "kept", "yes");
  for (const std::string pattern : {"(", "[a-", "a{2,1}", "*"}) {
    INFO(pattern);
    const Status status =
        Matcher::Make(Matcher::Op::kRegexMatch, "model", pattern, &matcher);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find(pattern) != std::string::npos);
  }
  CHECK(Matcher::Make(Matcher::Op::kRegexNoMatch, "model", "(", &matcher)
            .code() == StatusCode::kInvalidArgument);
  CHECK(Matcher::Make(Matcher::Op::kEqual, "", "x", &matcher).code() ==
        StatusCode::kInvalidArgument);
  // A failed Make leaves the matcher as it was.
  CHECK(matcher.name() == "kept");
  CHECK(matcher.Matches({{"kept", "yes"}}));
}

TEST_CASE("An equality matcher accepts regex metacharacters literally",
          "[tsdb][matcher]") {
  const Matcher matcher = Make(Matcher::Op::kEqual, "model", "(");
  CHECK(matcher.Matches({{"model", "("}}));
  CHECK_FALSE(matcher.Matches(kLlama));
}

TEST_CASE("MatchesAll needs every matcher to match", "[tsdb][matcher]") {
  const std::vector<Matcher> both = {
      Make(Matcher::Op::kEqual, "__name__", "ollama_model_loaded"),
      Make(Matcher::Op::kRegexMatch, "model", "llama.*")};
  CHECK(MatchesAll(both, kLlama));
  CHECK_FALSE(MatchesAll(
      both, {{"__name__", "ollama_model_loaded"}, {"model", "mistral"}}));
  CHECK(MatchesAll({}, kLlama));
}

TEST_CASE("Matcher::ToString writes PromQL syntax with escapes",
          "[tsdb][matcher]") {
  CHECK(Make(Matcher::Op::kEqual, "model", "llama3").ToString() ==
        "model=\"llama3\"");
  CHECK(Make(Matcher::Op::kNotEqual, "a", "x").ToString() == "a!=\"x\"");
  CHECK(Make(Matcher::Op::kRegexMatch, "a", "x.*").ToString() == "a=~\"x.*\"");
  CHECK(Make(Matcher::Op::kRegexNoMatch, "a", "q\"\\\n").ToString() ==
        "a!~\"q\\\"\\\\\\n\"");
}

}  // namespace ollama_exporter::tsdb
