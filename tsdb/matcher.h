#pragma once

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "common/status.h"
#include "tsdb/sample.h"

namespace ollama_exporter::tsdb {

// One label matcher of a Prometheus selector: name op "value".
// As in Prometheus, a missing label matches as the empty string, and
// regular expressions are fully anchored (ECMAScript syntax here, RE2 there;
// the common subset behaves the same).
//
// Thread safety: immutable after Make(); Matches() from any thread.
class Matcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

  // kInvalidArgument when `value` is not a valid regular expression for the
  // regex ops, or `name` is empty.
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
  std::shared_ptr<const std::regex> regex_;  // Set for the regex ops.
};

// True when every matcher matches.
bool MatchesAll(const std::vector<Matcher>& matchers, const Labels& labels);

}  // namespace ollama_exporter::tsdb
