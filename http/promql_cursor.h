#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::http {

// PromQL's character classes, as its lexer has them.
bool IsMetricNameStart(char c);  // [a-zA-Z_:]
bool IsMetricNameChar(char c);   // [a-zA-Z0-9_:]
bool IsLabelNameStart(char c);   // [a-zA-Z_]
bool IsLabelNameChar(char c);    // [a-zA-Z0-9_]

// Whether `word` is "inf" or "nan" in any case: PromQL numbers, not names.
bool IsNumberWord(std::string_view word);

// kInvalidArgument "<line>:<column>: parse error: <message>" for byte
// offset `pos` of `text`, as Prometheus words parse errors.
Status ParseErrorAt(std::string_view text, size_t pos,
                    const std::string& message);

// A reading position in the text of a PromQL query, with the token-level
// reading that the query parsers (selector_parser.h, query_parser.h)
// share: whitespace and comments, names, quoted strings, and errors that
// point into the text as the user wrote it.
//
// Positions are byte offsets into the whole text. Any byte sequence is
// safe to read: nothing reads past the end, and each reading method
// leaves pos() <= text().size().
//
// Thread safety: a cursor belongs to one parse; copies are independent.
// Ownership: borrows `text`, which must outlive the cursor.
class PromqlCursor {
 public:
  // Requires pos <= text.size().
  explicit PromqlCursor(std::string_view text, size_t pos = 0)
      : text_(text), pos_(pos) {}

  std::string_view text() const { return text_; }

  size_t pos() const { return pos_; }

  // Moves back to a position this cursor has been at.
  void set_pos(size_t pos) { pos_ = pos; }

  bool AtEnd() const { return pos_ >= text_.size(); }

  // The byte at pos(), or '\0' at the end.
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  // Whether the text at pos() starts with `token`.
  bool LookingAt(std::string_view token) const {
    return text_.substr(pos_, token.size()) == token;
  }

  // Steps over `count` bytes the caller has seen with Peek or LookingAt.
  void Skip(size_t count = 1) { pos_ += count; }

  // Skips whitespace (space, tab, CR, LF) and # comments, which run to the
  // end of their line.
  void SkipSpace();

  // Reads the longest run of IsMetricNameChar (of IsLabelNameChar) bytes
  // at pos(), possibly empty.
  std::string_view ReadMetricName();
  std::string_view ReadLabelName();

  // The name at pos() when '(' follows it after any whitespace and
  // comments, as in a function call or aggregation; "" otherwise. The
  // cursor stays where it is.
  std::string_view PeekCallName() const;

  // Reads the string literal at pos(): in double or single quotes with
  // PromQL's escapes (\n, \\, the quote itself, \x41, \101, \u00e9,
  // \U0001F600) and no newline, or in back quotes taken as they are. On
  // success *value holds the decoded bytes and the cursor is past the
  // closing quote. kInvalidArgument parse error otherwise (no quote here,
  // unterminated, bad escape); *value and pos() are then unspecified.
  Status ReadString(std::string* value);

  // "end of input", 'x' for printable ASCII, or "byte 0xNN": what stands
  // at pos(), for messages.
  std::string DescribeNext() const;

  // ParseErrorAt for `pos` of this text.
  Status ErrorAt(size_t pos, const std::string& message) const {
    return ParseErrorAt(text_, pos, message);
  }

  // The parse error for what stands at pos() where a parser can read no
  // further: a feature it does not support, named by its first token
  // ("offset modifiers" + `only`, such as "offset modifiers are not
  // supported: ..."), or an unexpected word, character or end of input.
  Status Unsupported(std::string_view only) const;

 private:
  Status ReadEscape(char quote, std::string* value);
  Status ReadDigits(size_t count, int base, uint32_t* value);

  std::string_view text_;
  size_t pos_;
};

}  // namespace ollama_exporter::http
