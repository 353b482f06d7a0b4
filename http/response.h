#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ollama_exporter::http {

// One HTTP reply, written by the server with a Content-Length (keep-alive
// needs it) and, for HEAD, without the body.
struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  // Any headers besides Content-Type and Content-Length.
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr char kTextPlain[] = "text/plain; charset=utf-8";
inline constexpr char kApplicationJson[] = "application/json";

// A text/plain reply whose body is `line` plus a newline.
Response TextResponse(int status, std::string line);

// A reply with the given body and Content-Type.
Response BodyResponse(int status, std::string content_type, std::string body);

}  // namespace ollama_exporter::http
