#include "http/query_parser.h"

#include <string>
#include <utility>

#include "common/duration.h"
#include "http/promql_cursor.h"
#include "http/selector_parser.h"

namespace ollama_exporter::http {
namespace {

constexpr char kOnlySupported[] =
    " are not supported: only series selectors such as up{job=\"x\"}, "
    "rate(...) and increase(...) of them are";

// Walks the query over a cursor shared with the selector parser.
class QueryParser {
 public:
  explicit QueryParser(std::string_view text) : cursor_(text) {}

  Status Parse(QueryExpr* expr);

 private:
  // Parses the selector at the cursor into *matchers.
  Status ParseSelectorHere(std::vector<tsdb::Matcher>* matchers);
  // Parses rate(...) or increase(...), the cursor on the name.
  Status ParseCall(QueryExpr::Kind kind, std::string_view name,
                   QueryExpr* expr);
  // Parses "[<duration>]", the cursor on the '['.
  Status ParseRange(int64_t* range_ms);
  // Requires the end of the input after optional whitespace.
  Status ExpectEnd();

  Status ErrorAt(size_t pos, const std::string& message) const {
    return cursor_.ErrorAt(pos, message);
  }

  PromqlCursor cursor_;
};

Status QueryParser::Parse(QueryExpr* expr) {
  cursor_.SkipSpace();
  if (cursor_.AtEnd()) {
    return ErrorAt(cursor_.pos(), "no expression found in input");
  }

  // Function names never start with ':'; such a name is left to the
  // selector, which reads it as a metric.
  const std::string_view call = IsLabelNameStart(cursor_.Peek())
                                    ? cursor_.PeekCallName()
                                    : std::string_view();
  if (call == "rate") return ParseCall(QueryExpr::Kind::kRate, call, expr);
  if (call == "increase") {
    return ParseCall(QueryExpr::Kind::kIncrease, call, expr);
  }
  if (!call.empty()) {
    return ErrorAt(cursor_.pos(), "function calls and aggregations such as " +
                                      std::string(call) + "(...)" +
                                      kOnlySupported);
  }

  QueryExpr parsed;
  Status status = ParseSelectorHere(&parsed.matchers);
  if (!status.ok()) return status;
  cursor_.SkipSpace();
  if (cursor_.Peek() == '[') {
    parsed.kind = QueryExpr::Kind::kRangeSelector;
    status = ParseRange(&parsed.range_ms);
    if (!status.ok()) return status;
  }
  status = ExpectEnd();
  if (!status.ok()) return status;
  *expr = std::move(parsed);
  return Status::Ok();
}

Status QueryParser::ParseSelectorHere(std::vector<tsdb::Matcher>* matchers) {
  cursor_.SkipSpace();
  if (cursor_.AtEnd()) return ErrorAt(cursor_.pos(), "unexpected end of input");
  // A selector starts with a metric name or '{'; name anything else here
  // in this parser's terms.
  if (!IsMetricNameStart(cursor_.Peek()) && cursor_.Peek() != '{') {
    return cursor_.Unsupported(kOnlySupported);
  }
  return ParseSelectorAt(&cursor_, matchers);
}

Status QueryParser::ParseCall(QueryExpr::Kind kind, std::string_view name,
                              QueryExpr* expr) {
  const size_t name_pos = cursor_.pos();
  cursor_.Skip(name.size());
  cursor_.SkipSpace();
  cursor_.Skip();  // '('

  QueryExpr parsed;
  parsed.kind = kind;
  Status status = ParseSelectorHere(&parsed.matchers);
  if (!status.ok()) return status;
  cursor_.SkipSpace();
  if (cursor_.Peek() == ')') {
    return ErrorAt(name_pos,
                   "expected type range vector in call to function \"" +
                       std::string(name) + "\", got instant vector");
  }
  if (cursor_.Peek() != '[') return cursor_.Unsupported(kOnlySupported);
  status = ParseRange(&parsed.range_ms);
  if (!status.ok()) return status;
  cursor_.SkipSpace();
  if (cursor_.Peek() == ',') {
    return ErrorAt(cursor_.pos(), "wrong number of arguments for function \"" +
                                      std::string(name) +
                                      "\": only one is taken");
  }
  if (cursor_.Peek() != ')') return cursor_.Unsupported(kOnlySupported);
  cursor_.Skip();
  status = ExpectEnd();
  if (!status.ok()) return status;
  *expr = std::move(parsed);
  return Status::Ok();
}

Status QueryParser::ParseRange(int64_t* range_ms) {
  const size_t open_pos = cursor_.pos();
  cursor_.Skip();  // '['
  cursor_.SkipSpace();
  const size_t duration_pos = cursor_.pos();
  const std::string_view duration = cursor_.ReadLabelName();
  cursor_.SkipSpace();
  if (cursor_.Peek() == ':') {
    return ErrorAt(open_pos,
                   std::string("subqueries such as [5m:1m]") + kOnlySupported);
  }
  if (cursor_.Peek() != ']') {
    return ErrorAt(open_pos, cursor_.AtEnd()
                                 ? "unclosed '[': missing ']'"
                                 : "expected a duration such as 5m in '[...]'");
  }
  cursor_.Skip();
  int64_t parsed = 0;
  Status status = ParseDuration(duration, &parsed);
  if (!status.ok()) return ErrorAt(duration_pos, status.message());
  if (parsed <= 0) {
    return ErrorAt(duration_pos, "duration must be greater than 0");
  }
  *range_ms = parsed;
  return Status::Ok();
}

Status QueryParser::ExpectEnd() {
  cursor_.SkipSpace();
  if (cursor_.AtEnd()) return Status::Ok();
  return cursor_.Unsupported(kOnlySupported);
}

}  // namespace

Status ParseQuery(std::string_view text, QueryExpr* expr) {
  return QueryParser(text).Parse(expr);
}

}  // namespace ollama_exporter::http
