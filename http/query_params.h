#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::http {

// The parameters of a URL query string or of an
// application/x-www-form-urlencoded body: "hours=24&limit=10".
//
// Keys and values are percent-decoded and '+' means a space. A piece
// without '=' is a key with an empty value; empty pieces ("a=1&&b=2") are
// skipped. When a key repeats, its first value wins. Any byte sequence is
// safe to parse; bytes are kept as they are (no UTF-8 check).
//
// Thread safety: immutable after Parse(); const methods from any thread.
class QueryParams {
 public:
  // Parses `text`, replacing *params. kInvalidArgument (quoting the escape)
  // for a '%' not followed by two hex digits; *params is then unchanged.
  static Status Parse(std::string_view text, QueryParams* params);

  // The value of `key`, or nullptr when it is absent.
  const std::string* Find(std::string_view key) const;

  // Adds every key of `other` that is not here yet.
  void MergeMissing(const QueryParams& other);

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// Decodes one form-encoded component ("a%20b+c" -> "a b c").
// kInvalidArgument for a malformed escape; *decoded is then unspecified.
Status DecodeFormComponent(std::string_view text, std::string* decoded);

}  // namespace ollama_exporter::http
