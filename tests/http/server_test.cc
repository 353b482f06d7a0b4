#include "http/server.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_server.h"

namespace ollama_exporter::http {
namespace {

ServerDeps Deps(const FakeSeriesReader* store) {
  ServerDeps deps;
  deps.collect_metrics = [] { return std::vector<prometheus::MetricFamily>(); };
  deps.ready = [] { return true; };
  deps.store = store;
  deps.now_ms = [] { return kTestNowMs; };
  return deps;
}

Status StartOn(const std::string& address, std::unique_ptr<Server>* server) {
  static const FakeSeriesReader store;
  ServerOptions options;
  options.listen_address = address;
  return Server::Start(options, Deps(&store), server);
}

TEST_CASE("Server binds an ephemeral loopback port and reports it", "[http]") {
  TestServer& server = FreshServer();
  const std::string address = server.server().bound_address();
  CHECK(address.rfind("127.0.0.1:", 0) == 0);
  CHECK(address != "127.0.0.1:0");

  HttpReply reply = server.client().Get("/-/healthy");
  INFO(reply.error);
  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.body == "Healthy\n");
  CHECK(reply.Header("content-type") == "text/plain; charset=utf-8");
  CHECK(reply.Header("content-length") == "8");
}

TEST_CASE("Server refuses a port that is already taken with kUnavailable",
          "[http]") {
  const std::string taken = FreshServer().server().bound_address();
  std::unique_ptr<Server> second;
  Status status = StartOn(taken, &second);
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK_THAT(status.message(), Catch::Contains(taken));
  CHECK(second == nullptr);
}

TEST_CASE("Server refuses IPv6 and malformed addresses with kInvalidArgument",
          "[http]") {
  std::unique_ptr<Server> server;
  Status status = StartOn("[::1]:1", &server);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(status.message(), Catch::Contains("IPv6"));
  CHECK_THAT(status.message(), Catch::Contains("[::1]:1"));

  for (const char* bad :
       {"", ":", "127.0.0.1:", "127.0.0.1:99999", ":8080s", "a,b:80", "::1"}) {
    INFO(bad);
    CHECK(StartOn(bad, &server).code() == StatusCode::kInvalidArgument);
  }
  CHECK(server == nullptr);
}

TEST_CASE("Server refuses a bad telemetry path or missing dependencies",
          "[http]") {
  const FakeSeriesReader store;
  std::unique_ptr<Server> server;
  for (const char* path :
       {"", "/", "metrics", "/-/ready", "/api/ollama/history", "/api/v1/query",
        "/api/v1/query_range", "/api/v1/labels", "/api/v1/label",
        "/api/v1/label/x/values", "/api/v1/series", "/api/v1/metadata",
        "/api/v1/query_exemplars", "/api/v1/status/buildinfo", "/me*trics",
        "/a?b", "/a b", "/a$"}) {
    INFO(path);
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.telemetry_path = path;
    CHECK(Server::Start(options, Deps(&store), &server).code() ==
          StatusCode::kInvalidArgument);
  }

  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  ServerDeps deps = Deps(&store);
  deps.store = nullptr;
  Status status = Server::Start(options, deps, &server);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(status.message(), Catch::Contains("store"));
  options.num_threads = 0;
  CHECK(Server::Start(options, Deps(&store), &server).code() ==
        StatusCode::kInvalidArgument);
  CHECK(server == nullptr);
}

TEST_CASE("Server answers 404 for every path it does not serve", "[http]") {
  TestServer& server = FreshServer();
  for (const char* path :
       {"/nope", "/metricsfoo", "/metrics/x", "/metrics/", "/-/healthy/x",
        "/-/", "/api", "/api/v1/query_range/x", "/api/v1/query/x",
        "/api/v1/labels/x", "/api/v1/series/", "/api/v1/status",
        "/api/v1/status/buildinfo/x", "/api/v1/targets", "/api/ollama/history/",
        "/index.html", "/%2e%2e/etc/passwd"}) {
    INFO(path);
    HttpReply reply = server.client().Get(path);
    REQUIRE(reply.transferred);
    CHECK(reply.status == 404);
    CHECK(reply.body == "404 page not found\n");
    CHECK(reply.Header("content-type") == "text/plain; charset=utf-8");
  }
}

TEST_CASE("Server answers 405 with Allow for methods a route lacks", "[http]") {
  TestServer& server = FreshServer();
  HttpReply reply = server.client().Send("DELETE", "/-/healthy");
  CHECK(reply.status == 405);
  CHECK(reply.body == "method not allowed\n");
  CHECK(reply.Header("allow") == "GET, HEAD");

  reply = server.client().Send("POST", "/api/ollama/history", "hours=1");
  CHECK(reply.status == 405);
  CHECK(reply.Header("allow") == "GET, HEAD");

  reply = server.client().Send("PUT", "/api/v1/query_range");
  CHECK(reply.status == 405);
  CHECK(reply.Header("allow") == "GET, HEAD, POST");
}

TEST_CASE("Server answers HEAD with GET's headers and no body", "[http]") {
  TestServer& server = FreshServer();
  HttpReply reply = server.client().Send("HEAD", "/-/healthy");
  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.Header("content-length") == "8");
  CHECK(reply.body.empty());
}

TEST_CASE("Server keeps connections alive between requests", "[http]") {
  HttpClient client("http://" + FreshServer().server().bound_address());
  REQUIRE(client.Get("/-/healthy").status == 200);
  CHECK(client.last_new_connections() == 1);
  for (const char* path : {"/-/ready", "/nope", "/", "/-/healthy"}) {
    INFO(path);
    REQUIRE(client.Get(path).transferred);
    CHECK(client.last_new_connections() == 0);
  }
}

TEST_CASE("Server's probes answer healthy always and ready when ready",
          "[http]") {
  TestServer& server = FreshServer();
  HttpReply reply = server.client().Get("/-/ready");
  CHECK(reply.status == 503);
  CHECK(reply.body == "Not ready\n");

  server.SetReady(true);
  reply = server.client().Get("/-/ready");
  CHECK(reply.status == 200);
  CHECK(reply.body == "Ready\n");
  CHECK(server.client().Get("/-/healthy").body == "Healthy\n");

  server.SetReady(false);
  CHECK(server.client().Get("/-/ready").status == 503);
}

TEST_CASE("Server's landing page links every route", "[http]") {
  TestServer& server = FreshServer();
  HttpReply reply = server.client().Get("/");
  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.Header("content-type") == "text/html; charset=utf-8");
  CHECK(reply.Header("content-length") == std::to_string(reply.body.size()));
  for (const char* text :
       {"<title>Ollama Exporter</title>", "Version 1.2.3-test",
        "<a href=\"/metrics\">", "<a href=\"/api/ollama/history\">",
        "<a href=\"/api/v1/query_range?query=ollama_up&amp;start=1796400000"
        "&amp;end=1796403600&amp;step=60\">",
        "<a href=\"/-/healthy\">", "<a href=\"/-/ready\">"}) {
    CHECK_THAT(reply.body, Catch::Contains(text));
  }

  // The example link works.
  reply = server.client().Get(
      "/api/v1/query_range?query=ollama_up&start=1796400000&end=1796403600"
      "&step=60");
  CHECK(reply.status == 200);
  CHECK(reply.body ==
        R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
}

TEST_CASE("Server refuses oversized request lines and bodies", "[http]") {
  TestServer& server = FreshServer();
  HttpReply reply = server.client().Get("/api/v1/query_range?query=" +
                                        std::string(20000, 'a'));
  REQUIRE(reply.transferred);
  CHECK(reply.status == 400);

  reply = server.client().Send("POST", "/api/v1/query_range",
                               "query=" + std::string(2 << 20, 'a'),
                               {"Content-Type: "
                                "application/x-www-form-urlencoded"});
  REQUIRE(reply.transferred);
  CHECK(reply.status == 400);
  CHECK(reply.body ==
        R"({"status":"error","errorType":"bad_data","error":"error parsing )"
        R"(form values: request body larger than 1048576 bytes"})");

  // The server is still fine afterwards.
  CHECK(server.client().Get("/-/healthy").body == "Healthy\n");
}

TEST_CASE("Server turns a handler's exception into a 500 and keeps serving",
          "[http]") {
  TestServer& server = FreshServer();
  server.store().SetThrows(true);
  for (const char* target : {"/api/ollama/history",
                             "/api/v1/query_range?query=up&start=1&end=2"
                             "&step=1",
                             "/api/v1/query?query=up"}) {
    INFO(target);
    HttpReply reply = server.client().Get(target);
    REQUIRE(reply.transferred);
    CHECK(reply.status == 500);
    CHECK(reply.body == "internal error\n");
    CHECK(reply.Header("content-type") == "text/plain; charset=utf-8");
  }
  HttpReply reply = server.client().Send("HEAD", "/api/ollama/history");
  CHECK(reply.status == 500);
  CHECK(reply.Header("content-length") == "15");
  CHECK(reply.body.empty());

  server.store().SetThrows(false);
  CHECK(server.client().Get("/api/ollama/history").status == 200);
}

}  // namespace
}  // namespace ollama_exporter::http
