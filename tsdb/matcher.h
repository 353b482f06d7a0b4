#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tsdb/sample.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace ollama_exporter::tsdb {

// One label matcher of a Prometheus selector: name op "value".
// As in Prometheus, a missing label matches as the empty string, and
// regular expressions use RE2 syntax, match the whole value (as if written
// ^(?:pattern)$) and let `.` match a newline (as if led by (?s)). Unlike
// Prometheus, which pastes the pattern into ^(?s:...)$, we refuse patterns
// that only balance once pasted, such as `a)|(b`.
// Matching takes time linear in the value and never recurses on it, so
// neither a hostile pattern nor a long stored value can hang or crash us.
// A value that is not valid UTF-8 matches, but its stray bytes match only
// `\C`: `.*` fails on it where Prometheus (Go) would read U+FFFD.
//
// Thread safety: immutable after Make(); Matches() from any thread. Copies
// share the compiled expression.
class Matcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

  // Longer patterns are refused before compiling.
  static constexpr size_t kMaxRegexBytes = 4096;

  // What one compiled pattern may take; bigger ones are refused.
  static constexpr int64_t kMaxRegexMemoryBytes = int64_t{8} << 20;

  // kInvalidArgument when `name` is empty or, for the regex ops, when
  // `value` is not a valid RE2 pattern, is over kMaxRegexBytes, or would
  // compile to more than kMaxRegexMemoryBytes; the message names the label
  // and the pattern (its first 100 bytes when longer). On error, *matcher
  // is unchanged.
  static Status Make(Op op, std::string name, std::string value,
                     Matcher* matcher);

  bool Matches(const Labels& labels) const;

  Op op() const { return op_; }

  const std::string& name() const { return name_; }

  const std::string& value() const { return value_; }

  // `name="value"` with the operator, quotes escaped as in PromQL.
  std::string ToString() const;

 private:
  Op op_ = Op::kEqual;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> regex_;  // Set for the regex ops.
};

// True when every matcher matches.
bool MatchesAll(const std::vector<Matcher>& matchers, const Labels& labels);

}  // namespace ollama_exporter::tsdb
