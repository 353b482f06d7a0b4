#include "http/selector_parser.h"

#include <string>
#include <utility>

namespace ollama_exporter::http {
namespace {

using tsdb::Matcher;

constexpr char kOnlySelectors[] =
    " are not supported: only a series selector such as up or "
    "up{job=\"x\"} is";

// A recursive-descent parser over one selector.
class Parser {
 public:
  // With `check_ast`, a selector passes the checks Prometheus makes once
  // an expression has parsed (see ParseSelector); without, it need only
  // be well formed, as for Prometheus' ParseMetricSelector.
  Parser(PromqlCursor cursor, bool check_ast)
      : cursor_(cursor), check_ast_(check_ast) {}

  // Parses the whole text as one selector.
  Status Parse(std::vector<Matcher>* matchers);

  // Parses the selector at the cursor and stops after it.
  Status ParseSelector(std::vector<Matcher>* matchers);

  const PromqlCursor& cursor() const { return cursor_; }

 private:
  Status ParseBraces(std::vector<Matcher>* matchers);
  Status ParseMatcher(std::vector<Matcher>* matchers);
  Status ParseOp(std::string_view label, Matcher::Op* op);
  // Makes the matcher (a bad regex fails, reported at `pos`) and appends it.
  Status AddMatcher(size_t pos, Matcher::Op op, std::string label,
                    std::string value, std::vector<Matcher>* matchers);
  // Checks what Prometheus checks once the expression has parsed.
  Status CheckAst(size_t selector_pos, const std::string& name,
                  const std::vector<Matcher>& parsed) const;

  PromqlCursor cursor_;
  const bool check_ast_;
};

Status Parser::Parse(std::vector<Matcher>* matchers) {
  cursor_.SkipSpace();
  if (cursor_.AtEnd()) {
    return cursor_.ErrorAt(cursor_.pos(), "no expression found in input");
  }
  const std::string_view call = cursor_.PeekCallName();
  if (!call.empty()) {
    return cursor_.ErrorAt(cursor_.pos(),
                           "function calls and aggregations such as " +
                               std::string(call) + "(...)" + kOnlySelectors);
  }
  std::vector<Matcher> parsed;
  Status status = ParseSelector(&parsed);
  if (!status.ok()) return status;
  cursor_.SkipSpace();
  if (!cursor_.AtEnd()) return cursor_.Unsupported(kOnlySelectors);
  *matchers = std::move(parsed);
  return Status::Ok();
}

Status Parser::ParseSelector(std::vector<Matcher>* matchers) {
  cursor_.SkipSpace();
  const size_t selector_pos = cursor_.pos();
  if (cursor_.AtEnd()) {
    return cursor_.ErrorAt(selector_pos, "no expression found in input");
  }

  std::string name;
  std::vector<Matcher> parsed;
  if (IsMetricNameStart(cursor_.Peek())) {
    name = std::string(cursor_.ReadMetricName());
    if (IsNumberWord(name)) {
      return cursor_.ErrorAt(selector_pos,
                             std::string("number literals") + kOnlySelectors);
    }
    Status status = AddMatcher(selector_pos, Matcher::Op::kEqual,
                               tsdb::kMetricNameLabel, name, &parsed);
    if (!status.ok()) return status;
    cursor_.SkipSpace();
  }
  if (cursor_.Peek() == '{') {
    Status status = ParseBraces(&parsed);
    if (!status.ok()) return status;
  } else if (name.empty()) {
    return cursor_.Unsupported(kOnlySelectors);
  }
  if (check_ast_) {
    Status status = CheckAst(selector_pos, name, parsed);
    if (!status.ok()) return status;
  }
  *matchers = std::move(parsed);
  return Status::Ok();
}

Status Parser::CheckAst(size_t selector_pos, const std::string& name,
                        const std::vector<Matcher>& parsed) const {
  if (!name.empty()) {
    for (size_t i = 1; i < parsed.size(); ++i) {
      if (parsed[i].name() == tsdb::kMetricNameLabel) {
        return cursor_.ErrorAt(selector_pos,
                               "metric name must not be set twice: \"" + name +
                                   "\" or \"" + parsed[i].value() + "\"");
      }
    }
  }
  if (HasNonEmptyMatcher(parsed)) return Status::Ok();
  return cursor_.ErrorAt(selector_pos,
                         "vector selector must contain at least one "
                         "non-empty matcher");
}

Status Parser::ParseBraces(std::vector<Matcher>* matchers) {
  const size_t open_pos = cursor_.pos();
  cursor_.Skip();  // '{'
  while (true) {
    cursor_.SkipSpace();
    if (cursor_.AtEnd()) {
      return cursor_.ErrorAt(open_pos, "unclosed '{': missing '}'");
    }
    if (cursor_.Peek() == '}') break;
    Status status = ParseMatcher(matchers);
    if (!status.ok()) return status;
    cursor_.SkipSpace();
    if (cursor_.Peek() == ',') {
      cursor_.Skip();
    } else if (cursor_.AtEnd()) {
      return cursor_.ErrorAt(open_pos, "unclosed '{': missing '}'");
    } else if (cursor_.Peek() != '}') {
      return cursor_.ErrorAt(cursor_.pos(),
                             "expected ',' or '}' after a label matcher, "
                             "found " +
                                 cursor_.DescribeNext());
    }
  }
  cursor_.Skip();  // '}'
  return Status::Ok();
}

Status Parser::ParseMatcher(std::vector<Matcher>* matchers) {
  const size_t label_pos = cursor_.pos();
  if (!IsLabelNameStart(cursor_.Peek())) {
    return cursor_.ErrorAt(
        label_pos, "expected a label name, found " + cursor_.DescribeNext());
  }
  std::string label(cursor_.ReadLabelName());

  cursor_.SkipSpace();
  Matcher::Op op = Matcher::Op::kEqual;
  Status status = ParseOp(label, &op);
  if (!status.ok()) return status;

  cursor_.SkipSpace();
  std::string value;
  status = cursor_.ReadString(&value);
  if (!status.ok()) return status;

  return AddMatcher(label_pos, op, std::move(label), std::move(value),
                    matchers);
}

Status Parser::ParseOp(std::string_view label, Matcher::Op* op) {
  // Two-byte operators first, so "=~" is not read as "=".
  constexpr std::pair<std::string_view, Matcher::Op> kOps[] = {
      {"!=", Matcher::Op::kNotEqual},
      {"=~", Matcher::Op::kRegexMatch},
      {"!~", Matcher::Op::kRegexNoMatch},
      {"=", Matcher::Op::kEqual},
  };
  for (const auto& [token, parsed] : kOps) {
    if (cursor_.LookingAt(token)) {
      cursor_.Skip(token.size());
      *op = parsed;
      return Status::Ok();
    }
  }
  return cursor_.ErrorAt(cursor_.pos(),
                         "expected =, !=, =~ or !~ after label " +
                             std::string(label) + ", found " +
                             cursor_.DescribeNext());
}

Status Parser::AddMatcher(size_t pos, Matcher::Op op, std::string label,
                          std::string value, std::vector<Matcher>* matchers) {
  Matcher matcher;
  Status status =
      Matcher::Make(op, std::move(label), std::move(value), &matcher);
  if (!status.ok()) return cursor_.ErrorAt(pos, status.message());
  matchers->push_back(std::move(matcher));
  return Status::Ok();
}

}  // namespace

Status ParseSelector(std::string_view text,
                     std::vector<tsdb::Matcher>* matchers) {
  return Parser(PromqlCursor(text), /*check_ast=*/true).Parse(matchers);
}

Status ParseMetricSelector(std::string_view text,
                           std::vector<tsdb::Matcher>* matchers) {
  return Parser(PromqlCursor(text), /*check_ast=*/false).Parse(matchers);
}

bool HasNonEmptyMatcher(const std::vector<tsdb::Matcher>& matchers) {
  for (const tsdb::Matcher& matcher : matchers) {
    if (!matcher.Matches(tsdb::Labels())) return true;
  }
  return false;
}

Status ParseSelectorAt(PromqlCursor* cursor,
                       std::vector<tsdb::Matcher>* matchers) {
  Parser parser(*cursor, /*check_ast=*/true);
  std::vector<tsdb::Matcher> parsed;
  Status status = parser.ParseSelector(&parsed);
  if (!status.ok()) return status;
  *matchers = std::move(parsed);
  *cursor = parser.cursor();
  return Status::Ok();
}

}  // namespace ollama_exporter::http
