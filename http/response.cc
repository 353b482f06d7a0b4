#include "http/response.h"

namespace ollama_exporter::http {

Response TextResponse(int status, std::string line) {
  line += '\n';
  return BodyResponse(status, kTextPlain, std::move(line));
}

Response BodyResponse(int status, std::string content_type, std::string body) {
  Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

}  // namespace ollama_exporter::http
