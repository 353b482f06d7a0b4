#include "http/promql_cursor.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace ollama_exporter::http {
namespace {

// The escapes that stand for one byte, \a to \\, and those bytes.
constexpr std::string_view kEscapeLetters = "abfnrtv\\";
constexpr std::string_view kEscapedBytes = "\a\b\f\n\r\t\v\\";

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

}  // namespace

bool IsMetricNameStart(char c) {
  return IsAsciiLetter(c) || c == '_' || c == ':';
}

bool IsMetricNameChar(char c) { return IsLabelNameChar(c) || c == ':'; }

bool IsLabelNameStart(char c) { return IsAsciiLetter(c) || c == '_'; }

bool IsLabelNameChar(char c) {
  return IsAsciiLetter(c) || IsDigit(c) || c == '_';
}

bool IsNumberWord(std::string_view word) {
  const std::string lower = Lower(word);
  return lower == "inf" || lower == "nan";
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

void PromqlCursor::SkipSpace() {
  while (!AtEnd()) {
    const char c = Peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '#') {
      while (!AtEnd() && Peek() != '\n') ++pos_;
    } else {
      return;
    }
  }
}

std::string_view PromqlCursor::ReadMetricName() {
  const size_t start = pos_;
  while (!AtEnd() && IsMetricNameChar(Peek())) ++pos_;
  return text_.substr(start, pos_ - start);
}

std::string_view PromqlCursor::ReadLabelName() {
  const size_t start = pos_;
  while (!AtEnd() && IsLabelNameChar(Peek())) ++pos_;
  return text_.substr(start, pos_ - start);
}

std::string_view PromqlCursor::PeekCallName() const {
  if (!IsMetricNameStart(Peek())) return std::string_view();
  PromqlCursor ahead = *this;
  const std::string_view name = ahead.ReadMetricName();
  ahead.SkipSpace();
  return ahead.Peek() == '(' ? name : std::string_view();
}

Status PromqlCursor::ReadString(std::string* value) {
  const size_t open_pos = pos_;
  const char quote = Peek();
  if (quote != '"' && quote != '\'' && quote != '`') {
    return ErrorAt(pos_,
                   "expected a quoted label value, found " + DescribeNext());
  }
  ++pos_;
  if (quote == '`') {
    const size_t close = text_.find('`', pos_);
    if (close == std::string_view::npos) {
      return ErrorAt(open_pos, "unterminated raw string");
    }
    *value = std::string(text_.substr(pos_, close - pos_));
    pos_ = close + 1;
    return Status::Ok();
  }
  while (true) {
    if (AtEnd() || Peek() == '\n') {
      return ErrorAt(open_pos, "unterminated quoted string");
    }
    const char c = text_[pos_++];
    if (c == quote) return Status::Ok();
    if (c != '\\') {
      *value += c;
      continue;
    }
    Status status = ReadEscape(quote, value);
    if (!status.ok()) return status;
  }
}

Status PromqlCursor::ReadEscape(char quote, std::string* value) {
  const size_t escape_pos = pos_ - 1;
  if (AtEnd()) return ErrorAt(escape_pos, "escape sequence not terminated");
  const char c = text_[pos_++];
  uint32_t code = 0;
  const size_t simple = kEscapeLetters.find(c);
  if (simple != std::string_view::npos) {
    *value += kEscapedBytes[simple];
    return Status::Ok();
  }
  if (c == 'x') {
    Status status = ReadDigits(2, 16, &code);
    if (!status.ok()) return status;
    *value += static_cast<char>(code);
    return Status::Ok();
  }
  if (c == 'u' || c == 'U') {
    Status status = ReadDigits(c == 'u' ? 4 : 8, 16, &code);
    if (!status.ok()) return status;
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return ErrorAt(escape_pos,
                     "escape sequence is an invalid Unicode code point");
    }
    AppendUtf8(code, value);
    return Status::Ok();
  }
  if (c == quote) {
    *value += quote;
    return Status::Ok();
  }
  if (c >= '0' && c <= '7') {
    --pos_;
    Status status = ReadDigits(3, 8, &code);
    if (!status.ok()) return status;
    if (code > 255) {
      return ErrorAt(escape_pos, "octal escape sequence above \\377");
    }
    *value += static_cast<char>(code);
    return Status::Ok();
  }
  return ErrorAt(escape_pos, "unknown escape sequence \\" +
                                 (c >= 0x21 && c <= 0x7e ? std::string(1, c)
                                                         : Describe(c)));
}

Status PromqlCursor::ReadDigits(size_t count, int base, uint32_t* value) {
  *value = 0;
  for (size_t i = 0; i < count; ++i) {
    if (AtEnd()) return ErrorAt(pos_, "escape sequence not terminated");
    const int digit = HexValue(Peek());
    if (digit < 0 || digit >= base) {
      return ErrorAt(pos_, "illegal character " + Describe(Peek()) +
                               " in escape sequence");
    }
    *value = *value * base + static_cast<uint32_t>(digit);
    ++pos_;
  }
  return Status::Ok();
}

std::string PromqlCursor::DescribeNext() const {
  return AtEnd() ? "end of input" : Describe(Peek());
}

Status PromqlCursor::Unsupported(std::string_view only) const {
  const char c = Peek();
  if (IsMetricNameStart(c)) {
    PromqlCursor word_end = *this;
    const std::string_view word = word_end.ReadMetricName();
    const std::string lower = Lower(word);
    if (lower == "and" || lower == "or" || lower == "unless" ||
        lower == "atan2") {
      return ErrorAt(pos_, "binary operators" + std::string(only));
    }
    if (lower == "offset") {
      return ErrorAt(pos_, "offset modifiers" + std::string(only));
    }
    if (lower == "by" || lower == "without") {
      return ErrorAt(pos_, "aggregations" + std::string(only));
    }
    return ErrorAt(pos_, "unexpected identifier \"" + std::string(word) + "\"");
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
  } else if (AtEnd()) {
    return ErrorAt(pos_, "unexpected end of input");
  } else {
    return ErrorAt(pos_, "unexpected character " + Describe(c));
  }
  return ErrorAt(pos_, what + std::string(only));
}

}  // namespace ollama_exporter::http
