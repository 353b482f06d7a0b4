#pragma once

#include <cstdint>
#include <string_view>

namespace ollama_exporter::proxy {

// JSON's white space: space, tab, line feed, carriage return.
inline bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// What ScanJson reports of a JSON text, in document order. Each call
// returns false to stop the scan (ScanJson then returns false).
class JsonEvents {
 public:
  virtual ~JsonEvents() = default;

  virtual bool Null() = 0;
  virtual bool Boolean(bool value) = 0;
  // A number without fraction or exponent: Unsigned when it has no minus
  // sign and fits uint64, Integer when it has one and fits int64; any
  // other number is a Float.
  virtual bool Integer(int64_t value) = 0;
  virtual bool Unsigned(uint64_t value) = 0;
  virtual bool Float(double value) = 0;
  // Strings and keys with their escapes decoded; the view is valid only
  // during the call.
  virtual bool String(std::string_view value) = 0;
  virtual bool StartObject() = 0;
  virtual bool Key(std::string_view name) = 0;
  virtual bool EndObject() = 0;
  virtual bool StartArray() = 0;
  virtual bool EndArray() = 0;
};

// Scans `text` as one JSON value and reports it to *events, accepting
// exactly what nlohmann::json::sax_parse (3.11, strict, no comments)
// accepts and reporting the same events: RFC 8259 grammar, strings checked
// as UTF-8 with escapes and surrogate pairs checked, a number that
// overflows a double refused, a leading UTF-8 byte order mark skipped, and
// a NUL byte outside a string read as the end of the text. Returns true
// when the whole text is one value and no event stopped the scan; on
// false, the events so far have been reported.
//
// Why not nlohmann: its lexer copies every string byte by byte, which cost
// the proxy a third of its CPU; this reads strings without escapes in
// place. Nesting depth is limited only by memory. Pure; no exceptions.
bool ScanJson(std::string_view text, JsonEvents* events);

}  // namespace ollama_exporter::proxy
