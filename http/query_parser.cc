#include "http/query_parser.h"

#include <string>
#include <utility>

#include "common/duration.h"
#include "http/selector_parser.h"

namespace ollama_exporter::http {
namespace {

constexpr char kOnlySupported[] =
    " are not supported: only series selectors such as up{job=\"x\"}, "
    "rate(...) and increase(...) of them are";

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsIdentifierChar(char c) {
  return IsIdentifierStart(c) || (c >= '0' && c <= '9') || c == ':';
}

// Walks the query; positions are byte offsets into the whole text.
class QueryParser {
 public:
  explicit QueryParser(std::string_view text) : text_(text) {}

  Status Parse(QueryExpr* expr);

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }

  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipSpace();
  // Parses the selector at pos_ into *matchers.
  Status ParseSelectorHere(std::vector<tsdb::Matcher>* matchers);
  // Parses rate(...) or increase(...), pos_ on the name.
  Status ParseCall(QueryExpr::Kind kind, std::string_view name,
                   QueryExpr* expr);
  // Parses "[<duration>]", pos_ on the '['.
  Status ParseRange(int64_t* range_ms);
  // Requires the end of the input after optional whitespace.
  Status ExpectEnd();

  std::string_view text_;
  size_t pos_ = 0;
};

Status QueryParser::Parse(QueryExpr* expr) {
  SkipSpace();
  if (AtEnd()) return ParseErrorAt(text_, pos_, "no expression found in input");

  // A name followed by '(' calls a function or aggregation.
  if (IsIdentifierStart(Peek())) {
    const size_t name_pos = pos_;
    size_t end = pos_;
    while (end < text_.size() && IsIdentifierChar(text_[end])) ++end;
    const std::string_view name = text_.substr(name_pos, end - name_pos);
    pos_ = end;
    SkipSpace();
    const bool call = Peek() == '(';
    pos_ = name_pos;
    if (call && name == "rate") {
      return ParseCall(QueryExpr::Kind::kRate, name, expr);
    }
    if (call && name == "increase") {
      return ParseCall(QueryExpr::Kind::kIncrease, name, expr);
    }
    if (call) {
      return ParseErrorAt(text_, name_pos,
                          "function calls and aggregations such as " +
                              std::string(name) + "(...)" + kOnlySupported);
    }
  }

  QueryExpr parsed;
  Status status = ParseSelectorHere(&parsed.matchers);
  if (!status.ok()) return status;
  SkipSpace();
  if (Peek() == '[') {
    parsed.kind = QueryExpr::Kind::kRangeSelector;
    status = ParseRange(&parsed.range_ms);
    if (!status.ok()) return status;
  }
  status = ExpectEnd();
  if (!status.ok()) return status;
  *expr = std::move(parsed);
  return Status::Ok();
}

void QueryParser::SkipSpace() {
  while (!AtEnd()) {
    char c = Peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '#') {
      while (!AtEnd() && Peek() != '\n') ++pos_;
    } else {
      return;
    }
  }
}

Status QueryParser::ParseSelectorHere(std::vector<tsdb::Matcher>* matchers) {
  SkipSpace();
  if (AtEnd()) return ParseErrorAt(text_, pos_, "unexpected end of input");
  // A selector starts with a metric name or '{'; name anything else here
  // in this parser's terms.
  if (!IsIdentifierStart(Peek()) && Peek() != ':' && Peek() != '{') {
    return UnsupportedAt(text_, pos_, kOnlySupported);
  }
  return ParseSelectorAt(text_, &pos_, matchers);
}

Status QueryParser::ParseCall(QueryExpr::Kind kind, std::string_view name,
                              QueryExpr* expr) {
  const size_t name_pos = pos_;
  pos_ += name.size();
  SkipSpace();
  ++pos_;  // '('

  QueryExpr parsed;
  parsed.kind = kind;
  Status status = ParseSelectorHere(&parsed.matchers);
  if (!status.ok()) return status;
  SkipSpace();
  if (Peek() != '[') {
    if (Peek() == ')') {
      return ParseErrorAt(text_, name_pos,
                          "expected type range vector in call to function \"" +
                              std::string(name) + "\", got instant vector");
    }
    return UnsupportedAt(text_, pos_, kOnlySupported);
  }
  status = ParseRange(&parsed.range_ms);
  if (!status.ok()) return status;
  SkipSpace();
  if (Peek() == ',') {
    return ParseErrorAt(text_, pos_,
                        "wrong number of arguments for function \"" +
                            std::string(name) + "\": only one is taken");
  }
  if (Peek() != ')') return UnsupportedAt(text_, pos_, kOnlySupported);
  ++pos_;
  status = ExpectEnd();
  if (!status.ok()) return status;
  *expr = std::move(parsed);
  return Status::Ok();
}

Status QueryParser::ParseRange(int64_t* range_ms) {
  const size_t open_pos = pos_;
  ++pos_;  // '['
  SkipSpace();
  const size_t duration_pos = pos_;
  while (!AtEnd() && IsIdentifierChar(Peek()) && Peek() != ':') ++pos_;
  const std::string_view duration =
      text_.substr(duration_pos, pos_ - duration_pos);
  SkipSpace();
  if (Peek() == ':') {
    return ParseErrorAt(
        text_, open_pos,
        std::string("subqueries such as [5m:1m]") + kOnlySupported);
  }
  if (Peek() != ']') {
    return ParseErrorAt(text_, open_pos,
                        AtEnd() ? "unclosed '[': missing ']'"
                                : "expected a duration such as 5m in '[...]'");
  }
  ++pos_;
  int64_t parsed = 0;
  Status status = ParseDuration(duration, &parsed);
  if (!status.ok()) return ParseErrorAt(text_, duration_pos, status.message());
  if (parsed <= 0) {
    return ParseErrorAt(text_, duration_pos, "duration must be greater than 0");
  }
  *range_ms = parsed;
  return Status::Ok();
}

Status QueryParser::ExpectEnd() {
  SkipSpace();
  if (AtEnd()) return Status::Ok();
  return UnsupportedAt(text_, pos_, kOnlySupported);
}

}  // namespace

Status ParseQuery(std::string_view text, QueryExpr* expr) {
  return QueryParser(text).Parse(expr);
}

}  // namespace ollama_exporter::http
