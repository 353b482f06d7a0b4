#include "canned_server.h"

#include "civetweb.h"
#include <catch2/catch.hpp>

#include "testing/loopback_port.h"

namespace ollama_exporter::testing {

CannedServer& CannedServer::Shared() {
  static CannedServer* server = new CannedServer();  // See the class comment.
  return *server;
}

CannedServer::CannedServer() {
  const char* options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "2",
                           nullptr};
  mg_callbacks callbacks{};
  context_ = mg_start(&callbacks, nullptr, options);
  REQUIRE(context_ != nullptr);
  for (const char* path : {"/api/version", "/api/tags", "/api/ps"}) {
    mg_set_request_handler(context_, path, &CannedServer::Handle, this);
  }
  mg_server_port port{};
  REQUIRE(mg_get_server_ports(context_, 1, &port) == 1);
  url_ = "http://127.0.0.1:" + std::to_string(port.port);
}

void CannedServer::Answer(const std::string& path, int status,
                          std::string body) {
  std::lock_guard<std::mutex> lock(mu_);
  replies_[path] = Reply{status, std::move(body)};
}

int CannedServer::Handle(mg_connection* connection, void* self) {
  auto* server = static_cast<CannedServer*>(self);
  const mg_request_info* request = mg_get_request_info(connection);
  Reply reply{404, "404 page not found"};
  {
    std::lock_guard<std::mutex> lock(server->mu_);
    auto it = server->replies_.find(request->local_uri);
    if (it != server->replies_.end()) reply = it->second;
  }
  mg_printf(connection,
            "HTTP/1.1 %d Canned\r\nContent-Type: application/json; "
            "charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
            reply.status, reply.body.size());
  mg_write(connection, reply.body.data(), reply.body.size());
  return reply.status;
}

std::string RefusingUrl() {
  int port = 0;
  REQUIRE(PickFreeLoopbackPort(&port).ok());
  return "http://127.0.0.1:" + std::to_string(port);
}

}  // namespace ollama_exporter::testing
