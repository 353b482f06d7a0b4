#include "tsdb/matcher.h"

#include <unistd.h>

#include <cstdio>
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

bool RegexMatches(const std::string& pattern, const std::string& value) {
  return Make(Matcher::Op::kRegexMatch, "model", pattern)
      .Matches({{"model", value}});
}

// The message of Make()'s error for `pattern` with the =~ op.
std::string RegexError(const std::string& pattern) {
  Matcher matcher;
  const Status status =
      Matcher::Make(Matcher::Op::kRegexMatch, "model", pattern, &matcher);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  return status.message();
}

// What the process writes to stderr while `make_matcher` runs.
template <typename Function>
std::string StderrDuring(Function make_matcher) {
  std::FILE* capture = std::tmpfile();
  REQUIRE(capture != nullptr);
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  REQUIRE(saved >= 0);
  REQUIRE(dup2(fileno(capture), STDERR_FILENO) >= 0);
  make_matcher();
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::string written(static_cast<size_t>(std::ftell(capture)), '\0');
  std::rewind(capture);
  written.resize(std::fread(written.data(), 1, written.size(), capture));
  std::fclose(capture);
  return written;
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
  // "a)|(b" compiles in Prometheus, which pastes the pattern into
  // ^(?s:...)$; we anchor without pasting, so it stays unbalanced.
  for (const std::string pattern :
       {"(", "[a-", "a{2,1}", "*", "a**", "a{1001}", "a)|(b", "\\"}) {
    INFO(pattern);
    const Status status =
        Matcher::Make(Matcher::Op::kRegexMatch, "model", pattern, &matcher);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find(pattern) != std::string::npos);
  }
  CHECK(RegexError("(") ==
        "invalid regular expression \"(\" for label model: missing ): (");
  CHECK(RegexError("\xff") ==
        "invalid regular expression \"\xff\" for label model: invalid UTF-8");
  CHECK(Matcher::Make(Matcher::Op::kRegexNoMatch, "model", "(", &matcher)
            .code() == StatusCode::kInvalidArgument);
  CHECK(Matcher::Make(Matcher::Op::kEqual, "", "x", &matcher).code() ==
        StatusCode::kInvalidArgument);
  // A failed Make leaves the matcher as it was.
  CHECK(matcher.name() == "kept");
  CHECK(matcher.Matches({{"kept", "yes"}}));
}

TEST_CASE("Matcher::Make keeps RE2's errors off stderr", "[tsdb][matcher]") {
  CHECK(StderrDuring([] { RegexError("(("); }).empty());
  CHECK(StderrDuring([] { RegexError("\\pL{1000}"); }).empty());
}

TEST_CASE("Matcher::Make refuses patterns over its size and memory limits",
          "[tsdb][matcher]") {
  const std::string longest(Matcher::kMaxRegexBytes, 'a');
  CHECK(RegexMatches(longest, longest));
  CHECK(RegexError(longest + "a") ==
        "invalid regular expression \"" + std::string(100, 'a') +
            "...\" for label model: pattern of 4097 bytes is over the limit "
            "of 4096");

  // Each \pL is a few hundred UTF-8 byte ranges; a thousand are too many.
  CHECK(RegexMatches("\\pL{100}", std::string(100, 'x')));
  CHECK(RegexError("\\pL{1000}") ==
        "invalid regular expression \"\\pL{1000}\" for label model: pattern "
        "needs more than the limit of 8 MiB once compiled");
}

TEST_CASE("Matcher::Make quotes at most 100 bytes of a pattern",
          "[tsdb][matcher]") {
  // The cut never splits a UTF-8 character, so error bodies stay UTF-8.
  std::string accents = "a";
  for (int i = 0; i < 2100; ++i) accents += "\xc3\xa9";
  const std::string message = RegexError(accents);
  CHECK(message.substr(0, message.find("...")) ==
        "invalid regular expression \"" + accents.substr(0, 99));

  // RE2's error quotes the pattern too, so it is cut as well.
  const std::string unclosed = std::string(1000, '(') + "a";
  CHECK(RegexError(unclosed) ==
        "invalid regular expression \"" + std::string(100, '(') +
            "...\" for label model: missing ): " + std::string(189, '(') +
            "...");
}

TEST_CASE("Regex matchers accept RE2 syntax as Prometheus does",
          "[tsdb][matcher]") {
  CHECK(RegexMatches("(?i)LLAMA.*", "Llama3:8b"));
  CHECK_FALSE(RegexMatches("LLAMA.*", "Llama3:8b"));
  CHECK(RegexMatches("\\p{L}+", "caf\xc3\xa9"));
  CHECK_FALSE(RegexMatches("\\p{L}+", "cafe1"));
  CHECK(RegexMatches("\\d+[[:alpha:]]", "8b"));
  CHECK(RegexMatches("(?P<family>llama)3:\\w+", "llama3:8b"));
  // One `.` is one character, not one byte.
  CHECK(RegexMatches("caf.", "caf\xc3\xa9"));
}

TEST_CASE("A regex dot matches a newline, as in Prometheus",
          "[tsdb][matcher]") {
  CHECK(RegexMatches("a.b", "a\nb"));
  CHECK(RegexMatches(".*", "first\nsecond\n"));
  CHECK_FALSE(RegexMatches("(?-s)a.b", "a\nb"));
  // $ is the end of the value, not the end of a line.
  CHECK_FALSE(RegexMatches("a$", "a\n"));
}

TEST_CASE("Long and deeply nested patterns compile and match",
          "[tsdb][matcher]") {
  const std::string literal(800, 'm');
  CHECK(RegexMatches(literal, literal));
  CHECK_FALSE(RegexMatches(literal, literal + "m"));

  for (size_t depth : {300, 2000}) {
    INFO(depth);
    const std::string nested =
        std::string(depth, '(') + "a|b" + std::string(depth, ')');
    CHECK(RegexMatches(nested, "b"));
    CHECK_FALSE(RegexMatches(nested, "ab"));
  }
}

TEST_CASE("Regex matching takes linear time on long values",
          "[tsdb][matcher]") {
  // A backtracking engine takes exponential time on (.|..)*# and
  // (a|aa)*b, and std::regex's recursion overflowed on far shorter values.
  const std::string long_value(100000, 'a');
  CHECK_FALSE(RegexMatches(".*x.*", long_value));
  CHECK(RegexMatches(".*x.*", long_value + "x"));
  CHECK_FALSE(RegexMatches("(.|..)*#", long_value));
  CHECK(RegexMatches("(.|..)*#", long_value + "#"));
  CHECK_FALSE(RegexMatches("(a|aa)*b", long_value));

  // The length of the stored value that crashed every restart.
  const std::string stored(260, 'q');
  CHECK(RegexMatches("q+", stored));
  CHECK(RegexMatches("(q|qq)*", stored));
  CHECK_FALSE(RegexMatches("(q|qq)*r", stored));
}

TEST_CASE("Regex matchers take values that are not valid UTF-8",
          "[tsdb][matcher]") {
  const std::string broken =
      "a\xff"
      "b\xc3";
  // A stray byte is no character, so only \C (any byte) matches it.
  CHECK_FALSE(RegexMatches(".*", broken));
  CHECK_FALSE(RegexMatches("a.b.", broken));
  CHECK(RegexMatches("a\\Cb\\C", broken));
  CHECK(RegexMatches("\\C*", broken));
  CHECK(Make(Matcher::Op::kRegexNoMatch, "model", ".*")
            .Matches({{"model", broken}}));
  CHECK(
      Make(Matcher::Op::kEqual, "model", broken).Matches({{"model", broken}}));
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
