#include "exporter/ollama_client.h"

#include <stdlib.h>

#include <atomic>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "canned_server.h"

namespace ollama_exporter {
namespace {

std::unique_ptr<OllamaClient> ClientFor(const std::string& url,
                                        OllamaClientOptions options = {}) {
  options.base_url = url;
  std::unique_ptr<OllamaClient> client;
  REQUIRE(OllamaClient::Create(options, &client).ok());
  return client;
}

TEST_CASE("OllamaClient returns the body of a 200 reply", "[client]") {
  testing::CannedServer& server = testing::CannedServer::Shared();
  server.Answer("/api/version", 200, "{\"version\":\"0.32.15\"}");
  std::string body;
  Status status = ClientFor(server.url())->Get("/api/version", &body);
  INFO(status.ToString());
  REQUIRE(status.ok());
  CHECK(body == "{\"version\":\"0.32.15\"}");
}

TEST_CASE("OllamaClient maps statuses to what the poller should do",
          "[client]") {
  testing::CannedServer& server = testing::CannedServer::Shared();
  auto client = ClientFor(server.url());
  std::string body = "stale";

  server.Answer("/api/ps", 500, "{\"error\":\"runner crashed\"}");
  Status status = client->Get("/api/ps", &body);
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message() ==
        "GET /api/ps: HTTP 500: {\"error\":\"runner crashed\"}");
  CHECK(body.empty());

  server.Answer("/api/ps", 404, "404 page not found");
  status = client->Get("/api/ps", &body);
  CHECK(status.code() == StatusCode::kFailedPrecondition);
  CHECK(status.message() == "GET /api/ps: HTTP 404: 404 page not found");
}

TEST_CASE("OllamaClient refuses replies over its size limit", "[client]") {
  testing::CannedServer& server = testing::CannedServer::Shared();
  OllamaClientOptions options;
  options.max_body_bytes = 100;
  auto client = ClientFor(server.url(), options);
  server.Answer("/api/tags", 200, std::string(1000, 'x'));
  std::string body;
  Status status = client->Get("/api/tags", &body);
  CHECK(status.code() == StatusCode::kFailedPrecondition);
  CHECK(status.message() == "GET /api/tags: reply larger than 100 bytes");
  CHECK(body.empty());
}

TEST_CASE("OllamaClient reports a refused connection as unavailable",
          "[client]") {
  // Port 1 on loopback: nothing listens there on a test machine.
  std::string body;
  Status status = ClientFor("http://127.0.0.1:1")->Get("/api/version", &body);
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message().rfind("GET /api/version: ", 0) == 0);
}

TEST_CASE("OllamaClient ends at once when canceled", "[client]") {
  testing::CannedServer& server = testing::CannedServer::Shared();
  server.Answer("/api/version", 200, "{\"version\":\"0.32.15\"}");
  std::atomic<bool> cancel{true};
  OllamaClientOptions options;
  options.cancel = &cancel;
  std::string body;
  Status status = ClientFor(server.url(), options)->Get("/api/version", &body);
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message() == "GET /api/version: canceled");
}

TEST_CASE("OllamaClient never sends loopback traffic through a proxy",
          "[client]") {
  testing::CannedServer& server = testing::CannedServer::Shared();
  server.Answer("/api/version", 200, "{\"version\":\"0.32.15\"}");
  // A proxy that refuses every connection: going through it would fail.
  setenv("http_proxy", "http://127.0.0.1:1", 1);
  setenv("HTTP_PROXY", "http://127.0.0.1:1", 1);
  std::string body;
  Status status = ClientFor(server.url())->Get("/api/version", &body);
  unsetenv("http_proxy");
  unsetenv("HTTP_PROXY");
  INFO(status.ToString());
  CHECK(status.ok());
}

}  // namespace
}  // namespace ollama_exporter
