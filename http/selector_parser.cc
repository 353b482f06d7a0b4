#include "http/selector_parser.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace ollama_exporter::http {
namespace {

using tsdb::Matcher;

constexpr char kOnlySelectors[] =
    " are not supported: only a series selector such as up or "
    "up{job=\"x\"} is";

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsLabelNameChar(char c) {
  return IsAsciiLetter(c) || IsDigit(c) || c == '_';
}

bool IsMetricNameChar(char c) { return IsLabelNameChar(c) || c == ':'; }

bool IsMetricNameStart(char c) {
  return IsAsciiLetter(c) || c == '_' || c == ':';
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// 'x' for printable ASCII, "byte 0xNN" for anything else.
std::string Describe(char c) {
  if (c >= 0x21 && c <= 0x7e) return std::string("'") + c + "'";
  char text[16];
  std::snprintf(text, sizeof(text), "byte 0x%02X",
                static_cast<unsigned>(static_cast<unsigned char>(c)));
  return text;
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    *out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    *out += static_cast<char>(0xC0 | (code_point >> 6));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    *out += static_cast<char>(0xE0 | (code_point >> 12));
    *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (code_point >> 18));
    *out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// A recursive-descent parser over one selector; positions are byte offsets.
class Parser {
 public:
  // With `check_ast`, a selector passes the checks Prometheus makes once
  // an expression has parsed (see ParseSelector); without, it need only
  // be well formed, as for Prometheus' ParseMetricSelector.
  Parser(std::string_view text, size_t pos, bool check_ast)
      : text_(text), pos_(pos), check_ast_(check_ast) {}

  // Parses the whole text as one selector.
  Status Parse(std::vector<Matcher>* matchers);

  // Parses the selector at pos_ and stops after it.
  Status ParseSelector(std::vector<Matcher>* matchers);

  size_t pos() const { return pos_; }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }

  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipSpace();
  std::string_view ReadMetricName();
  Status ParseBraces(std::vector<Matcher>* matchers);
  Status ParseMatcher(std::vector<Matcher>* matchers);
  Status ParseOp(std::string_view label, Matcher::Op* op);
  // Makes the matcher (a bad regex fails, reported at `pos`) and appends it.
  Status AddMatcher(size_t pos, Matcher::Op op, std::string label,
                    std::string value, std::vector<Matcher>* matchers);
  Status ParseString(std::string* value);
  Status ParseEscape(char quote, std::string* value);
  Status ParseDigits(size_t count, int base, uint32_t* value);
  // Names what stands at pos_ where the selector has to end or begin.
  Status Unsupported();
  Status Error(size_t pos, const std::string& message) const;

  std::string_view text_;
  size_t pos_ = 0;
  const bool check_ast_;
};

Status Parser::Parse(std::vector<Matcher>* matchers) {
  SkipSpace();
  if (AtEnd()) return Error(pos_, "no expression found in input");
  const size_t selector_pos = pos_;
  if (IsMetricNameStart(Peek())) {
    std::string name(ReadMetricName());
    SkipSpace();
    if (Peek() == '(') {
      return Error(selector_pos, "function calls and aggregations such as " +
                                     name + "(...)" + kOnlySelectors);
    }
    pos_ = selector_pos;
  }
  std::vector<Matcher> parsed;
  Status status = ParseSelector(&parsed);
  if (!status.ok()) return status;
  SkipSpace();
  if (!AtEnd()) return Unsupported();
  *matchers = std::move(parsed);
  return Status::Ok();
}

Status Parser::ParseSelector(std::vector<Matcher>* matchers) {
  SkipSpace();
  if (AtEnd()) return Error(pos_, "no expression found in input");
  const size_t selector_pos = pos_;

  std::string name;
  std::vector<Matcher> parsed;
  if (IsMetricNameStart(Peek())) {
    name = std::string(ReadMetricName());
    std::string lower = Lower(name);
    if (lower == "inf" || lower == "nan") {
      return Error(selector_pos,
                   std::string("number literals") + kOnlySelectors);
    }
    Status status = AddMatcher(selector_pos, Matcher::Op::kEqual,
                               tsdb::kMetricNameLabel, name, &parsed);
    if (!status.ok()) return status;
    SkipSpace();
  }
  if (Peek() == '{') {
    Status status = ParseBraces(&parsed);
    if (!status.ok()) return status;
  } else if (name.empty()) {
    return Unsupported();
  }
  if (!check_ast_) {
    *matchers = std::move(parsed);
    return Status::Ok();
  }

  // The checks Prometheus makes once the expression has parsed.
  if (!name.empty()) {
    for (size_t i = 1; i < parsed.size(); ++i) {
      if (parsed[i].name() == tsdb::kMetricNameLabel) {
        return Error(selector_pos, "metric name must not be set twice: \"" +
                                       name + "\" or \"" + parsed[i].value() +
                                       "\"");
      }
    }
  }
  bool selects = false;
  for (const Matcher& matcher : parsed) {
    if (!matcher.Matches(tsdb::Labels())) selects = true;
  }
  if (!selects) {
    return Error(selector_pos,
                 "vector selector must contain at least one non-empty "
                 "matcher");
  }
  *matchers = std::move(parsed);
  return Status::Ok();
}

void Parser::SkipSpace() {
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

std::string_view Parser::ReadMetricName() {
  size_t start = pos_;
  while (!AtEnd() && IsMetricNameChar(Peek())) ++pos_;
  return text_.substr(start, pos_ - start);
}

Status Parser::ParseBraces(std::vector<Matcher>* matchers) {
  const size_t open_pos = pos_;
  ++pos_;  // '{'
  while (true) {
    SkipSpace();
    if (AtEnd()) return Error(open_pos, "unclosed '{': missing '}'");
    if (Peek() == '}') break;
    Status status = ParseMatcher(matchers);
    if (!status.ok()) return status;
    SkipSpace();
    if (Peek() == ',') {
      ++pos_;
    } else if (Peek() != '}') {
      return AtEnd() ? Error(open_pos, "unclosed '{': missing '}'")
                     : Error(pos_,
                             "expected ',' or '}' after a label "
                             "matcher, found " +
                                 Describe(Peek()));
    }
  }
  ++pos_;  // '}'
  return Status::Ok();
}

Status Parser::ParseMatcher(std::vector<Matcher>* matchers) {
  const size_t label_pos = pos_;
  if (!IsAsciiLetter(Peek()) && Peek() != '_') {
    return Error(pos_, "expected a label name, found " + Describe(Peek()));
  }
  while (!AtEnd() && IsLabelNameChar(Peek())) ++pos_;
  std::string label(text_.substr(label_pos, pos_ - label_pos));

  SkipSpace();
  Matcher::Op op = Matcher::Op::kEqual;
  Status status = ParseOp(label, &op);
  if (!status.ok()) return status;

  SkipSpace();
  std::string value;
  status = ParseString(&value);
  if (!status.ok()) return status;

  return AddMatcher(label_pos, op, std::move(label), std::move(value),
                    matchers);
}

Status Parser::AddMatcher(size_t pos, Matcher::Op op, std::string label,
                          std::string value, std::vector<Matcher>* matchers) {
  Matcher matcher;
  Status status =
      Matcher::Make(op, std::move(label), std::move(value), &matcher);
  if (!status.ok()) return Error(pos, status.message());
  matchers->push_back(std::move(matcher));
  return Status::Ok();
}

Status Parser::ParseOp(std::string_view label, Matcher::Op* op) {
  std::string_view rest = text_.substr(pos_);
  if (rest.substr(0, 2) == "!=") {
    *op = Matcher::Op::kNotEqual;
  } else if (rest.substr(0, 2) == "=~") {
    *op = Matcher::Op::kRegexMatch;
  } else if (rest.substr(0, 2) == "!~") {
    *op = Matcher::Op::kRegexNoMatch;
  } else if (rest.substr(0, 1) == "=") {
    *op = Matcher::Op::kEqual;
    ++pos_;
    return Status::Ok();
  } else {
    return Error(pos_, "expected =, !=, =~ or !~ after label " +
                           std::string(label) + ", found " +
                           (AtEnd() ? "end of input" : Describe(Peek())));
  }
  pos_ += 2;
  return Status::Ok();
}

Status Parser::ParseString(std::string* value) {
  const size_t open_pos = pos_;
  const char quote = Peek();
  if (quote != '"' && quote != '\'' && quote != '`') {
    return Error(pos_,
                 "expected a quoted label value, found " +
                     (AtEnd() ? std::string("end of input") : Describe(quote)));
  }
  ++pos_;
  if (quote == '`') {
    size_t close = text_.find('`', pos_);
    if (close == std::string_view::npos) {
      return Error(open_pos, "unterminated raw string");
    }
    *value = std::string(text_.substr(pos_, close - pos_));
    pos_ = close + 1;
    return Status::Ok();
  }
  while (true) {
    if (AtEnd() || Peek() == '\n') {
      return Error(open_pos, "unterminated quoted string");
    }
    char c = text_[pos_++];
    if (c == quote) return Status::Ok();
    if (c != '\\') {
      *value += c;
      continue;
    }
    Status status = ParseEscape(quote, value);
    if (!status.ok()) return status;
  }
}

Status Parser::ParseEscape(char quote, std::string* value) {
  const size_t escape_pos = pos_ - 1;
  if (AtEnd()) return Error(escape_pos, "escape sequence not terminated");
  char c = text_[pos_++];
  uint32_t code = 0;
  Status status;
  switch (c) {
    case 'a':
      *value += '\a';
      return Status::Ok();
    case 'b':
      *value += '\b';
      return Status::Ok();
    case 'f':
      *value += '\f';
      return Status::Ok();
    case 'n':
      *value += '\n';
      return Status::Ok();
    case 'r':
      *value += '\r';
      return Status::Ok();
    case 't':
      *value += '\t';
      return Status::Ok();
    case 'v':
      *value += '\v';
      return Status::Ok();
    case '\\':
      *value += '\\';
      return Status::Ok();
    case 'x':
      status = ParseDigits(2, 16, &code);
      if (!status.ok()) return status;
      *value += static_cast<char>(code);
      return Status::Ok();
    case 'u':
    case 'U':
      status = ParseDigits(c == 'u' ? 4 : 8, 16, &code);
      if (!status.ok()) return status;
      if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return Error(escape_pos,
                     "escape sequence is an invalid Unicode code point");
      }
      AppendUtf8(code, value);
      return Status::Ok();
    default:
      break;
  }
  if (c == quote) {
    *value += quote;
    return Status::Ok();
  }
  if (c >= '0' && c <= '7') {
    --pos_;
    status = ParseDigits(3, 8, &code);
    if (!status.ok()) return status;
    if (code > 255) {
      return Error(escape_pos, "octal escape sequence above \\377");
    }
    *value += static_cast<char>(code);
    return Status::Ok();
  }
  return Error(escape_pos,
               "unknown escape sequence \\" +
                   (c >= 0x21 && c <= 0x7e ? std::string(1, c) : Describe(c)));
}

Status Parser::ParseDigits(size_t count, int base, uint32_t* value) {
  *value = 0;
  for (size_t i = 0; i < count; ++i) {
    if (AtEnd()) return Error(pos_, "escape sequence not terminated");
    int digit = HexValue(Peek());
    if (digit < 0 || digit >= base) {
      return Error(pos_, "illegal character " + Describe(Peek()) +
                             " in escape sequence");
    }
    *value = *value * base + static_cast<uint32_t>(digit);
    ++pos_;
  }
  return Status::Ok();
}

Status Parser::Unsupported() {
  return UnsupportedAt(text_, pos_, kOnlySelectors);
}

Status Parser::Error(size_t pos, const std::string& message) const {
  return ParseErrorAt(text_, pos, message);
}

}  // namespace

Status ParseSelector(std::string_view text,
                     std::vector<tsdb::Matcher>* matchers) {
  return Parser(text, 0, /*check_ast=*/true).Parse(matchers);
}

Status ParseMetricSelector(std::string_view text,
                           std::vector<tsdb::Matcher>* matchers) {
  return Parser(text, 0, /*check_ast=*/false).Parse(matchers);
}

Status ParseSelectorAt(std::string_view text, size_t* pos,
                       std::vector<tsdb::Matcher>* matchers) {
  Parser parser(text, *pos, /*check_ast=*/true);
  std::vector<tsdb::Matcher> parsed;
  Status status = parser.ParseSelector(&parsed);
  if (!status.ok()) return status;
  *matchers = std::move(parsed);
  *pos = parser.pos();
  return Status::Ok();
}

Status UnsupportedAt(std::string_view text, size_t pos, std::string_view only) {
  const char c = pos < text.size() ? text[pos] : '\0';
  if (IsMetricNameStart(c)) {
    size_t end = pos;
    while (end < text.size() && IsMetricNameChar(text[end])) ++end;
    std::string_view word = text.substr(pos, end - pos);
    std::string lower = Lower(word);
    if (lower == "and" || lower == "or" || lower == "unless" ||
        lower == "atan2") {
      return ParseErrorAt(text, pos, "binary operators" + std::string(only));
    }
    if (lower == "offset") {
      return ParseErrorAt(text, pos, "offset modifiers" + std::string(only));
    }
    if (lower == "by" || lower == "without") {
      return ParseErrorAt(text, pos, "aggregations" + std::string(only));
    }
    return ParseErrorAt(text, pos,
                        "unexpected identifier \"" + std::string(word) + "\"");
  }
  std::string what;
  if (c == '[') {
    what = "range selectors such as [5m]";
  } else if (c == '@') {
    what = "@ modifiers";
  } else if (c == '(' || c == ')') {
    what = "parentheses";
  } else if (IsDigit(c) || c == '.') {
    what = "number literals";
  } else if (c == '"' || c == '\'' || c == '`') {
    what = "string literals";
  } else if (std::string_view("+-*/%^=!<>").find(c) != std::string_view::npos) {
    what = "operators";
  } else if (pos >= text.size()) {
    return ParseErrorAt(text, pos, "unexpected end of input");
  } else {
    return ParseErrorAt(text, pos, "unexpected character " + Describe(c));
  }
  return ParseErrorAt(text, pos, what + std::string(only));
}

Status ParseErrorAt(std::string_view text, size_t pos,
                    const std::string& message) {
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return Status::InvalidArgument(std::to_string(line) + ":" +
                                 std::to_string(pos - line_start + 1) +
                                 ": parse error: " + message);
}

}  // namespace ollama_exporter::http
