#include "tsdb/matcher.h"

#include <string_view>
#include <utility>

#include <re2/re2.h>

namespace ollama_exporter::tsdb {
namespace {

// Patterns, and RE2's errors that quote them, are cut to this in messages.
constexpr size_t kQuotedPatternBytes = 100;
constexpr size_t kRegexErrorBytes = 200;

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

// `text` cut to at most `max_bytes` plus "...", never inside a UTF-8
// sequence, so the message stays valid UTF-8 for JSON error bodies.
std::string Abbreviated(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string abbreviated(text.substr(0, cut));
  abbreviated += "...";
  return abbreviated;
}

Status InvalidRegex(std::string_view pattern, std::string_view label,
                    std::string_view reason) {
  std::string message = "invalid regular expression \"";
  message += Abbreviated(pattern, kQuotedPatternBytes);
  message += "\" for label ";
  message += label;
  message += ": ";
  message += reason;
  return Status::InvalidArgument(std::move(message));
}

RE2::Options RegexOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  // Errors reach the caller as a Status; RE2 must not write to stderr.
  options.set_log_errors(false);
  options.set_max_mem(Matcher::kMaxRegexMemoryBytes);
  // Prometheus compiles ^(?s:pattern)$.
  options.set_dot_nl(true);
  return options;
}

Status CompileRegex(const std::string& pattern, std::string_view label,
                    std::shared_ptr<const re2::RE2>* regex) {
  if (pattern.size() > Matcher::kMaxRegexBytes) {
    return InvalidRegex(pattern, label,
                        "pattern of " + std::to_string(pattern.size()) +
                            " bytes is over the limit of " +
                            std::to_string(Matcher::kMaxRegexBytes));
  }
  auto compiled = std::make_shared<const re2::RE2>(pattern, RegexOptions());
  if (compiled->error_code() == RE2::ErrorPatternTooLarge) {
    return InvalidRegex(
        pattern, label,
        "pattern needs more than the limit of " +
            std::to_string(Matcher::kMaxRegexMemoryBytes >> 20) +
            " MiB once compiled");
  }
  if (!compiled->ok()) {
    return InvalidRegex(pattern, label,
                        Abbreviated(compiled->error(), kRegexErrorBytes));
  }
  *regex = std::move(compiled);
  return Status::Ok();
}

}  // namespace

Status Matcher::Make(Op op, std::string name, std::string value,
                     Matcher* matcher) {
  if (name.empty()) {
    return Status::InvalidArgument("label matcher has an empty label name");
  }
  std::shared_ptr<const re2::RE2> regex;
  if (IsRegexOp(op)) {
    Status status = CompileRegex(value, name, &regex);
    if (!status.ok()) return status;
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
      return RE2::FullMatch(actual, *regex_);
    case Op::kRegexNoMatch:
      return !RE2::FullMatch(actual, *regex_);
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
