#pragma once

#include <string>

namespace ollama_exporter::http {

// One HTTP request as the route handlers see it, copied out of CivetWeb so
// handlers are plain functions of their input.
struct Request {
  std::string method;           // "GET", "HEAD", "POST", ...
  std::string path;             // Percent-decoded path, without the query.
  std::string query_string;     // Raw text after '?', not decoded; may be "".
  std::string content_type;     // The Content-Type header, or "".
  std::string accept_encoding;  // The Accept-Encoding header, or "".
  std::string body;             // Read only for routes that accept POST.
};

}  // namespace ollama_exporter::http
