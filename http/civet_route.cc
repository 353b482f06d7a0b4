#include "http/civet_route.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <utility>

#include "common/log.h"
#include "common/or_empty.h"

namespace ollama_exporter::http {
namespace {

// Reads the whole request body, or false once it passes kMaxBodyBytes.
bool ReadBody(mg_connection* conn, std::string* body) {
  char buffer[8192];
  while (true) {
    // 0 ends the body; below 0 the client went away and will not see the
    // reply either.
    int read = mg_read(conn, buffer, sizeof(buffer));
    if (read <= 0) return true;
    if (body->size() + static_cast<size_t>(read) > kMaxBodyBytes) return false;
    body->append(buffer, static_cast<size_t>(read));
  }
}

// Allocates nothing, so it cannot throw. A failed write means the client
// went away; there is no one to tell.
void Write(mg_connection* conn, const Response& response, bool head) {
  char length[32];
  std::snprintf(length, sizeof(length), "%zu", response.body.size());
  mg_response_header_start(conn, response.status);
  mg_response_header_add(conn, "Content-Type", response.content_type.c_str(),
                         -1);
  mg_response_header_add(conn, "Content-Length", length, -1);
  for (const auto& [name, value] : response.headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
  mg_response_header_send(conn);
  if (!head) mg_write(conn, response.body.data(), response.body.size());
}

// The reply when building the real one threw: fixed text, so it cannot
// throw in turn.
void WriteInternalError(mg_connection* conn, bool head) {
  static constexpr char kBody[] = "internal error\n";
  static_assert(sizeof(kBody) - 1 == 15, "Content-Length below");
  mg_response_header_start(conn, 500);
  mg_response_header_add(conn, "Content-Type", kTextPlain, -1);
  mg_response_header_add(conn, "Content-Length", "15", -1);
  mg_response_header_send(conn);
  if (!head) mg_write(conn, kBody, sizeof(kBody) - 1);
}

void LogFailure(const mg_request_info* info, const char* what) {
  // Logging allocates; if even that fails, the 500 alone has to do.
  try {
    LOG_ERROR("request failed", {log::Field("path", OrEmpty(info->local_uri)),
                                 log::Field("err", what)});
  } catch (...) {
  }
}

}  // namespace

Response BodyTooLargeText() {
  return TextResponse(413, "request body larger than " +
                               std::to_string(kMaxBodyBytes) + " bytes");
}

CivetRoute::CivetRoute(std::string path, std::vector<std::string> methods,
                       Handler handler, RouteOptions options)
    : path_(std::move(path)),
      methods_(std::move(methods)),
      handler_(std::move(handler)),
      options_(std::move(options)) {}

bool CivetRoute::handleGet(CivetServer*, mg_connection* conn) {
  return Serve(conn);
}

bool CivetRoute::handleHead(CivetServer*, mg_connection* conn) {
  return Serve(conn);
}

bool CivetRoute::handlePost(CivetServer*, mg_connection* conn) {
  return Serve(conn);
}

bool CivetRoute::handlePut(CivetServer*, mg_connection* conn) {
  return Serve(conn);
}

bool CivetRoute::handleDelete(CivetServer*, mg_connection* conn) {
  return Serve(conn);
}

bool CivetRoute::handleOptions(CivetServer*, mg_connection* conn) {
  return Serve(conn);
}

bool CivetRoute::handlePatch(CivetServer*, mg_connection* conn) {
  return Serve(conn);
}

bool CivetRoute::Serve(mg_connection* conn) const {
  const mg_request_info* info = mg_get_request_info(conn);
  const bool head = std::strcmp(OrEmpty(info->request_method), "HEAD") == 0;
  try {
    Write(conn, Respond(conn), head);
    return true;
  } catch (const std::exception& e) {
    LogFailure(info, e.what());
  } catch (...) {
    LogFailure(info, "unknown exception");
  }
  WriteInternalError(conn, head);
  return true;
}

Response CivetRoute::Respond(mg_connection* conn) const {
  const mg_request_info* info = mg_get_request_info(conn);
  Request request;
  request.method = OrEmpty(info->request_method);
  request.path = OrEmpty(info->local_uri);
  if (!Serves(request.path)) return TextResponse(404, "404 page not found");
  if (!Allows(request.method)) {
    Response response = TextResponse(405, "method not allowed");
    std::string allow;
    for (const std::string& method : methods_) {
      allow += allow.empty() ? method : ", " + method;
    }
    response.headers.emplace_back("Allow", std::move(allow));
    return response;
  }

  request.query_string = OrEmpty(info->query_string);
  request.content_type = OrEmpty(mg_get_header(conn, "Content-Type"));
  request.accept_encoding = OrEmpty(mg_get_header(conn, "Accept-Encoding"));
  if (request.method == "POST" && !ReadBody(conn, &request.body)) {
    // The unread rest of the body would be taken for the next request.
    Response response = options_.body_too_large;
    response.headers.emplace_back("Connection", "close");
    return response;
  }
  return handler_(request);
}

bool CivetRoute::Serves(const std::string& path) const {
  if (path == path_) return true;
  return options_.serve_subtree && path.size() > path_.size() &&
         path.compare(0, path_.size(), path_) == 0 && path[path_.size()] == '/';
}

bool CivetRoute::Allows(const std::string& method) const {
  for (const std::string& allowed : methods_) {
    if (method == allowed) return true;
  }
  return false;
}

}  // namespace ollama_exporter::http
