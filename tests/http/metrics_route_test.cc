#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "gunzip.h"
#include "test_server.h"

namespace ollama_exporter::http {
namespace {

constexpr char kExpectedText[] =
    "# HELP ollama_up Whether the last poll of Ollama succeeded.\n"
    "# TYPE ollama_up gauge\n"
    "ollama_up 1\n"
    "# HELP ollama_models_installed Models in the local library.\n"
    "# TYPE ollama_models_installed gauge\n"
    "ollama_models_installed 3\n";

void ServeTwoGauges(TestServer* server) {
  server->SetFamilies(
      {Gauge("ollama_up", "Whether the last poll of Ollama succeeded.", 1),
       Gauge("ollama_models_installed", "Models in the local library.", 3)});
}

TEST_CASE("The telemetry path serves the collected families as text",
          "[http]") {
  TestServer& server = FreshServer();
  ServeTwoGauges(&server);
  HttpReply reply = server.client().Get("/metrics");
  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.body == kExpectedText);
  CHECK(reply.Header("content-type") ==
        "text/plain; version=0.0.4; charset=utf-8");
  CHECK(reply.Header("content-length") ==
        std::to_string(std::string(kExpectedText).size()));
  CHECK(reply.Header("content-encoding") == "");
}

TEST_CASE("The telemetry path gzips when the client accepts it", "[http]") {
  TestServer& server = FreshServer();
  ServeTwoGauges(&server);
  HttpReply reply =
      server.client().Get("/metrics", {"Accept-Encoding: deflate, gzip"});
  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.Header("content-encoding") == "gzip");
  CHECK(reply.Header("vary") == "Accept-Encoding");
  CHECK(reply.Header("content-length") == std::to_string(reply.body.size()));
  std::string text;
  CHECK(Gunzip(reply.body, &text));
  CHECK(text == kExpectedText);

  reply = server.client().Get("/metrics", {"Accept-Encoding: gzip;q=0"});
  CHECK(reply.Header("content-encoding") == "");
  CHECK(reply.body == kExpectedText);
}

TEST_CASE("The telemetry path answers HEAD with the length and no body",
          "[http]") {
  TestServer& server = FreshServer();
  ServeTwoGauges(&server);
  HttpReply reply = server.client().Send("HEAD", "/metrics");
  CHECK(reply.status == 200);
  CHECK(reply.Header("content-length") ==
        std::to_string(std::string(kExpectedText).size()));
  CHECK(reply.body.empty());
}

TEST_CASE("The telemetry path is exact: near misses are 404", "[http]") {
  TestServer& server = FreshServer();
  ServeTwoGauges(&server);
  for (const char* path :
       {"/metrics/x", "/metricsfoo", "/metrics/", "/metric", "/METRICS"}) {
    INFO(path);
    HttpReply reply = server.client().Get(path);
    CHECK(reply.status == 404);
    CHECK(reply.body == "404 page not found\n");
  }
}

TEST_CASE("The telemetry path can be moved", "[http]") {
  TestServer server("/x/telemetry");
  ServeTwoGauges(&server);
  CHECK(server.client().Get("/x/telemetry").body == kExpectedText);
  CHECK(server.client().Get("/metrics").status == 404);
  CHECK_THAT(server.client().Get("/").body,
             Catch::Contains("<a href=\"/x/telemetry\">"));
}

TEST_CASE("The telemetry path answers 500 only when collecting fails",
          "[http]") {
  TestServer& server = FreshServer();
  server.SetFamilies({});
  HttpReply reply = server.client().Get("/metrics");
  CHECK(reply.status == 200);
  CHECK(reply.body == "");

  server.SetCollectThrows("registry exploded");
  reply = server.client().Get("/metrics");
  CHECK(reply.status == 500);
  CHECK(reply.body == "cannot render metrics: registry exploded\n");
  // The server survives it.
  CHECK(server.client().Get("/-/healthy").status == 200);
}

}  // namespace
}  // namespace ollama_exporter::http
