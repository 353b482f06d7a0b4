#include "tsdb/matcher.h"

#include <utility>

namespace ollama_exporter::tsdb {
namespace {

std::string_view OpText(Matcher::Op op) {
  switch (op) {
    case Matcher::Op::kEqual:
      return "=";
    case Matcher::Op::kNotEqual:
      return "!=";
    case Matcher::Op::kRegexMatch:
      return "=~";
    case Matcher::Op::kRegexNoMatch:
      return "!~";
  }
  return "=";
}

bool IsRegexOp(Matcher::Op op) {
  return op == Matcher::Op::kRegexMatch || op == Matcher::Op::kRegexNoMatch;
}

}  // namespace

Status Matcher::Make(Op op, std::string name, std::string value,
                     Matcher* matcher) {
  if (name.empty()) {
    return Status::InvalidArgument("label matcher has an empty label name");
  }
  std::shared_ptr<const std::regex> regex;
  if (IsRegexOp(op)) {
    // std::regex throws on bad patterns; this is the edge where we catch.
    try {
      regex = std::make_shared<const std::regex>(
          value, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      return Status::InvalidArgument("invalid regular expression \"" + value +
                                     "\" for label " + name + ": " + e.what());
    }
  }
  matcher->op_ = op;
  matcher->name_ = std::move(name);
  matcher->value_ = std::move(value);
  matcher->regex_ = std::move(regex);
  return Status::Ok();
}

bool Matcher::Matches(const Labels& labels) const {
  auto it = labels.find(name_);
  const std::string empty;
  const std::string& actual = it == labels.end() ? empty : it->second;
  switch (op_) {
    case Op::kEqual:
      return actual == value_;
    case Op::kNotEqual:
      return actual != value_;
    case Op::kRegexMatch:
      return std::regex_match(actual, *regex_);
    case Op::kRegexNoMatch:
      return !std::regex_match(actual, *regex_);
  }
  return false;
}

std::string Matcher::ToString() const {
  std::string text = name_;
  text += OpText(op_);
  text += '"';
  for (char c : value_) {
    if (c == '"' || c == '\\') text += '\\';
    if (c == '\n') {
      text += "\\n";
      continue;
    }
    text += c;
  }
  text += '"';
  return text;
}

bool MatchesAll(const std::vector<Matcher>& matchers, const Labels& labels) {
  for (const Matcher& matcher : matchers) {
    if (!matcher.Matches(labels)) return false;
  }
  return true;
}

}  // namespace ollama_exporter::tsdb
