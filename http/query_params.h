#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::http {

// The parameters of a URL query string or of an
// application/x-www-form-urlencoded body: "hours=24&limit=10".
//
// Keys and values are percent-decoded and '+' means a space. A piece
// without '=' is a key with an empty value; empty pieces ("a=1&&b=2") are
// skipped. A key may repeat ("match[]=a&match[]=b"): every value is kept
// in order, and Find() gives the first, as Go's url.Values does. Any byte
// sequence is safe to parse; bytes are kept as they are (no UTF-8 check).
//
// Thread safety: immutable after Parse(); const methods from any thread.
class QueryParams {
 public:
  // Parses `text`, replacing *params. kInvalidArgument (quoting the escape)
  // for a '%' not followed by two hex digits; *params is then unchanged.
  static Status Parse(std::string_view text, QueryParams* params);

  // The first value of `key`, or nullptr when it is absent.
  const std::string* Find(std::string_view key) const;

  // Every value of `key` in order; empty when it is absent.
  std::vector<std::string> FindAll(std::string_view key) const;

  // Appends the values of `other` after this one's, key by key, so Find()
  // still gives this one's value where both have the key (Go's
  // Request.Form puts a POST body's values before the URL's this way).
  void Append(const QueryParams& other);

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

// Decodes one form-encoded component ("a%20b+c" -> "a b c").
// kInvalidArgument for a malformed escape; *decoded is then unspecified.
Status DecodeFormComponent(std::string_view text, std::string* decoded);

}  // namespace ollama_exporter::http
