#include "proxy/json_scan.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace ollama_exporter::proxy {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF) that starts a multi-byte
// character at `p`, or 0 when there is none.
size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const auto byte_in = [&](size_t i, unsigned low, unsigned high) {
    return static_cast<size_t>(end - p) > i && p[i] >= low && p[i] <= high;
  };
  const unsigned lead = p[0];
  if (lead >= 0xC2 && lead <= 0xDF) return byte_in(1, 0x80, 0xBF) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned high = lead == 0xED ? 0x9F : 0xBF;
    return byte_in(1, low, high) && byte_in(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;
    return byte_in(1, low, high) && byte_in(2, 0x80, 0xBF) &&
                   byte_in(3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
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

class Scanner {
 public:
  Scanner(std::string_view text, JsonEvents* events)
      : p_(text.data()), end_(text.data() + text.size()), events_(events) {}

  bool Run();

 private:
  // The next byte, or '\0' at the end: like nlohmann, a NUL outside a
  // string ends the text.
  char Peek() const { return p_ < end_ ? *p_ : '\0'; }

  void SkipSpace() {
    while (p_ < end_ && IsJsonSpace(*p_)) ++p_;
  }

  bool SkipByteOrderMark();
  // One scalar value, or the opening of a container; *opened tells which.
  bool ReadValue(bool* opened);
  // `"name"` and `:`, after optional white space.
  bool ReadKey();
  bool ReadString(std::string_view* value);
  bool ReadEscape();
  int ReadHex4();
  bool ReadLiteral(std::string_view literal);
  bool ReadNumber();

  const char* p_;
  const char* const end_;
  JsonEvents* const events_;
  std::vector<bool> in_object_;  // Open containers: object or array.
  std::string decoded_;          // A string with escapes, decoded.
  std::string number_;           // A number's text, for strtod.
};

bool Scanner::Run() {
  if (!SkipByteOrderMark()) return false;
  for (;;) {
    bool opened = false;
    SkipSpace();
    if (!ReadValue(&opened)) return false;
    if (opened) continue;

    // A value is complete: close what ends here, then find the next one.
    for (;;) {
      SkipSpace();
      if (in_object_.empty()) return Peek() == '\0';
      const char c = Peek();
      if (c == ',') {
        ++p_;
        if (in_object_.back() && !ReadKey()) return false;
        break;
      }
      if (c != (in_object_.back() ? '}' : ']')) return false;
      ++p_;
      const bool object = in_object_.back();
      in_object_.pop_back();
      if (!(object ? events_->EndObject() : events_->EndArray())) {
        return false;
      }
    }
  }
}

bool Scanner::SkipByteOrderMark() {
  if (Peek() != '\xEF') return true;
  if (end_ - p_ < 3 || p_[1] != '\xBB' || p_[2] != '\xBF') return false;
  p_ += 3;
  return true;
}

bool Scanner::ReadValue(bool* opened) {
  switch (Peek()) {
    case '{':
      ++p_;
      if (!events_->StartObject()) return false;
      SkipSpace();
      if (Peek() == '}') {
        ++p_;
        return events_->EndObject();
      }
      in_object_.push_back(true);
      *opened = true;
      return ReadKey();
    case '[':
      ++p_;
      if (!events_->StartArray()) return false;
      SkipSpace();
      if (Peek() == ']') {
        ++p_;
        return events_->EndArray();
      }
      in_object_.push_back(false);
      *opened = true;
      return true;
    case '"': {
      std::string_view value;
      return ReadString(&value) && events_->String(value);
    }
    case 't':
      return ReadLiteral("true") && events_->Boolean(true);
    case 'f':
      return ReadLiteral("false") && events_->Boolean(false);
    case 'n':
      return ReadLiteral("null") && events_->Null();
    default:
      return ReadNumber();
  }
}

bool Scanner::ReadKey() {
  SkipSpace();
  if (Peek() != '"') return false;
  std::string_view name;
  if (!ReadString(&name) || !events_->Key(name)) return false;
  SkipSpace();
  if (Peek() != ':') return false;
  ++p_;
  return true;
}

bool Scanner::ReadString(std::string_view* value) {
  ++p_;  // The opening quote.

  // Most strings have no escape: they are checked and reported in place.
  const char* const begin = p_;
  while (p_ < end_) {
    const auto byte = static_cast<unsigned char>(*p_);
    if (byte == '"') {
      *value = std::string_view(begin, p_ - begin);
      ++p_;
      return true;
    }
    if (byte == '\\' || byte < 0x20) break;
    if (byte < 0x80) {
      ++p_;
      continue;
    }
    const size_t length =
        Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p_),
                           reinterpret_cast<const unsigned char*>(end_));
    if (length == 0) return false;
    p_ += length;
  }
  if (p_ == end_ || *p_ != '\\') return false;  // Unterminated, or control.

  // From the first escape on, the string is decoded into decoded_.
  decoded_.assign(begin, p_ - begin);
  while (p_ < end_) {
    const auto byte = static_cast<unsigned char>(*p_);
    if (byte == '"') {
      *value = decoded_;
      ++p_;
      return true;
    }
    if (byte < 0x20) return false;
    if (byte == '\\') {
      if (!ReadEscape()) return false;
    } else if (byte < 0x80) {
      decoded_ += *p_++;
    } else {
      const size_t length =
          Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p_),
                             reinterpret_cast<const unsigned char*>(end_));
      if (length == 0) return false;
      decoded_.append(p_, length);
      p_ += length;
    }
  }
  return false;
}

bool Scanner::ReadEscape() {
  ++p_;  // The backslash.
  if (p_ == end_) return false;
  const char kind = *p_++;
  switch (kind) {
    case '"':
    case '\\':
    case '/':
      decoded_ += kind;
      return true;
    case 'b':
      decoded_ += '\b';
      return true;
    case 'f':
      decoded_ += '\f';
      return true;
    case 'n':
      decoded_ += '\n';
      return true;
    case 'r':
      decoded_ += '\r';
      return true;
    case 't':
      decoded_ += '\t';
      return true;
    case 'u':
      break;
    default:
      return false;
  }

  const int unit = ReadHex4();
  if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
  if (unit < 0xD800 || unit > 0xDBFF) {
    AppendUtf8(static_cast<uint32_t>(unit), &decoded_);
    return true;
  }

  // A high surrogate must be followed by an escaped low one.
  if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
  p_ += 2;
  const int low = ReadHex4();
  if (low < 0xDC00 || low > 0xDFFF) return false;
  AppendUtf8(0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) +
                 (static_cast<uint32_t>(low) - 0xDC00),
             &decoded_);
  return true;
}

int Scanner::ReadHex4() {
  if (end_ - p_ < 4) return -1;
  int value = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = *p_++;
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

bool Scanner::ReadLiteral(std::string_view literal) {
  if (static_cast<size_t>(end_ - p_) < literal.size() ||
      std::memcmp(p_, literal.data(), literal.size()) != 0) {
    return false;
  }
  p_ += literal.size();
  return true;
}

bool Scanner::ReadNumber() {
  // The grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  const char* const begin = p_;
  const bool negative = Peek() == '-';
  if (negative) ++p_;
  const char* const digits = p_;
  if (Peek() == '0') {
    ++p_;
  } else if (IsDigit(Peek())) {
    while (IsDigit(Peek())) ++p_;
  } else {
    return false;
  }
  const size_t integer_digits = p_ - digits;
  bool integral = true;
  if (Peek() == '.') {
    integral = false;
    ++p_;
    if (!IsDigit(Peek())) return false;
    while (IsDigit(Peek())) ++p_;
  }
  if (Peek() == 'e' || Peek() == 'E') {
    integral = false;
    ++p_;
    if (Peek() == '+' || Peek() == '-') ++p_;
    if (!IsDigit(Peek())) return false;
    while (IsDigit(Peek())) ++p_;
  }

  // Up to 18 digits always fit; longer integers go through the C library
  // and become doubles when they overflow, as in nlohmann.
  if (integral && integer_digits <= 18) {
    uint64_t value = 0;
    for (const char* d = digits; d < p_; ++d) value = value * 10 + (*d - '0');
    return negative ? events_->Integer(-static_cast<int64_t>(value))
                    : events_->Unsigned(value);
  }
  number_.assign(begin, p_ - begin);
  if (integral) {
    errno = 0;
    if (negative) {
      const long long value = std::strtoll(number_.c_str(), nullptr, 10);
      if (errno == 0) return events_->Integer(value);
    } else {
      const unsigned long long value =
          std::strtoull(number_.c_str(), nullptr, 10);
      if (errno == 0) return events_->Unsigned(value);
    }
  }
  const double value = std::strtod(number_.c_str(), nullptr);
  return std::isfinite(value) && events_->Float(value);
}

}  // namespace

bool ScanJson(std::string_view text, JsonEvents* events) {
  return Scanner(text, events).Run();
}

}  // namespace ollama_exporter::proxy
