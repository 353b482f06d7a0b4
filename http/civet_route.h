#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "CivetServer.h"

#include "http/request.h"
#include "http/response.h"

namespace ollama_exporter::http {

using Handler = std::function<Response(const Request&)>;

// POST bodies past this are refused with 413; a form-encoded selector query
// is a few hundred bytes.
inline constexpr size_t kMaxBodyBytes = 1 << 20;

// 413 "request body larger than 1048576 bytes", the default reply to an
// oversized body.
Response BodyTooLargeText();

// How a route treats what its handler does not see.
struct RouteOptions {
  // False: only exactly `path` reaches the handler. True: so do paths
  // under it ("<path>/..."), and the handler judges them.
  bool serve_subtree = false;
  // The reply to a POST body over kMaxBodyBytes; Connection: close is
  // added to it.
  Response body_too_large = BodyTooLargeText();
};

// Binds one route to CivetWeb.
//
// CivetWeb matches handler URIs by prefix ("/metrics" also gets
// "/metrics/x", "/" gets everything unmatched), so the route checks the
// path itself (see RouteOptions): any other path gets 404 "404 page not
// found". A method not in `methods` gets 405 with an Allow header; HEAD,
// when listed, is answered as the handler answers it, minus the body.
// Only routes listing POST read request bodies.
//
// Every reply carries a Content-Length, which keep-alive needs. Whatever
// the handler throws is logged and becomes a 500 "internal error"; nothing
// escapes into CivetWeb.
//
// Thread safety: called on CivetWeb worker threads; `handler` must be
// thread-safe.
class CivetRoute final : public CivetHandler {
 public:
  CivetRoute(std::string path, std::vector<std::string> methods,
             Handler handler, RouteOptions options = RouteOptions());

  bool handleGet(CivetServer* server, mg_connection* conn) override;
  bool handleHead(CivetServer* server, mg_connection* conn) override;
  bool handlePost(CivetServer* server, mg_connection* conn) override;
  bool handlePut(CivetServer* server, mg_connection* conn) override;
  bool handleDelete(CivetServer* server, mg_connection* conn) override;
  bool handleOptions(CivetServer* server, mg_connection* conn) override;
  bool handlePatch(CivetServer* server, mg_connection* conn) override;

 private:
  // Answers the request on `conn`; true, as CivetWeb expects of a handler
  // that replied.
  bool Serve(mg_connection* conn) const;
  // The reply to the request on `conn`; may throw whatever the handler
  // throws.
  Response Respond(mg_connection* conn) const;
  bool Allows(const std::string& method) const;
  bool Serves(const std::string& path) const;

  const std::string path_;
  const std::vector<std::string> methods_;
  const Handler handler_;
  const RouteOptions options_;
};

}  // namespace ollama_exporter::http
