// The relay over real HTTP: what the client and the upstream each see.
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../http/gunzip.h"
#include "relay_rig.h"
#include "relay_test_client.h"

namespace ollama_exporter::proxy::testing {
namespace {

constexpr int kWaitMs = 5000;

std::string AllStreamLines() {
  std::string all;
  for (int i = 0; i < ScriptedUpstream::kStreamLines; ++i) {
    all += ScriptedUpstream::StreamLine(i);
  }
  return all;
}

TEST_CASE("The proxy relays method, raw path, query, headers and body",
          "[proxy][relay]") {
  RelayRig rig({}, "/prefix");
  RelayTestClient client;
  const std::string body("binary\0body\xff\n", 13);
  const std::string method = GENERATE("POST", "PUT", "PATCH", "DELETE");

  RelayRequest request;
  request.method = method;
  request.url = rig.Url("/a%20b/../x/echo?q=%2F&r=1+2");
  request.body = body;
  request.sends_body = true;
  request.headers = {"X-Custom: kept", "Origin: http://browser.example",
                     "Authorization: Bearer key", "Keep-Alive: timeout=9"};
  RelayReply reply = client.Send(request);

  INFO(reply.error);
  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.body == body);
  CHECK(reply.Header("Content-Length") == "13");
  REQUIRE(rig.upstream().WaitRequests(1, kWaitMs));
  UpstreamRequest seen = rig.upstream().Requests().back();
  CHECK(seen.method == method);
  CHECK(seen.target == "/prefix/a%20b/../x/echo?q=%2F&r=1+2");
  CHECK(seen.body == body);
  CHECK(seen.Header("Content-Length") == "13");
  CHECK(seen.Header("Host") ==
        "127.0.0.1:" + std::to_string(rig.upstream().port()));
  CHECK(seen.Header("X-Custom") == "kept");
  CHECK(seen.Header("Authorization") == "Bearer key");
  CHECK_FALSE(seen.HasHeader("Origin"));
  CHECK_FALSE(seen.HasHeader("Keep-Alive"));
  CHECK_FALSE(seen.HasHeader("Expect"));
}

TEST_CASE("The proxy adds no headers of its own upstream", "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  RelayRequest request;
  request.url = rig.Url("/echo");
  request.headers = {"Accept:"};  // The test client sends none either.
  REQUIRE(client.Send(request).status == 200);

  REQUIRE(rig.upstream().WaitRequests(1, kWaitMs));
  UpstreamRequest seen = rig.upstream().Requests().back();
  CHECK(seen.method == "GET");
  CHECK(seen.target == "/echo");
  std::vector<std::string> names;
  for (const auto& header : seen.headers) names.push_back(header.first);
  CHECK(names == std::vector<std::string>{"Host"});
}

TEST_CASE("Content-Length replies keep their length and end-to-end headers",
          "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  RelayRequest request;
  request.url = rig.Url("/length");
  RelayReply reply = client.Send(request);

  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.body == "hello length\n");
  CHECK(reply.Header("Content-Length") == "13");
  CHECK(reply.Header("Content-Type") == "text/plain; charset=utf-8");
  CHECK(reply.Header("X-Upstream") == "yes");
  CHECK(reply.CountHeader("Set-Cookie") == 2);
  CHECK(reply.Header("Transfer-Encoding").empty());
  CHECK(reply.Header("Keep-Alive").empty());

  SECTION("HEAD states the length without a body") {
    request.method = "HEAD";
    RelayReply head = client.Send(request);
    REQUIRE(head.transferred);
    CHECK(head.status == 200);
    CHECK(head.Header("Content-Length") == "13");
    CHECK(head.body.empty());
    REQUIRE(rig.upstream().WaitRequests(2, kWaitMs));
    CHECK(rig.upstream().Requests().back().method == "HEAD");
  }
}

TEST_CASE("Compressed replies pass through undecoded", "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  RelayRequest request;
  request.url = rig.Url("/gzip");
  request.headers = {"Accept-Encoding: gzip"};
  RelayReply reply = client.Send(request);

  REQUIRE(reply.transferred);
  CHECK(reply.Header("Content-Encoding") == "gzip");
  CHECK(reply.Header("Content-Length") == std::to_string(reply.body.size()));
  std::string text;
  REQUIRE(http::Gunzip(reply.body, &text));
  CHECK(text == "{\"compressed\":true}");
  REQUIRE(rig.upstream().WaitRequests(1, kWaitMs));
  CHECK(rig.upstream().Requests().back().Header("Accept-Encoding") == "gzip");
}

TEST_CASE("Upstream error statuses reach the client as sent",
          "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  const int code = GENERATE(400, 404, 500, 503);
  RelayRequest request;
  request.url = rig.Url("/api/status-" + std::to_string(code));
  request.method = "POST";
  request.sends_body = true;
  request.body = "{}";
  RelayReply reply = client.Send(request);

  REQUIRE(reply.transferred);
  CHECK(reply.status == code);
  CHECK(reply.Header("Content-Type") == "application/json; charset=utf-8");
  CHECK(reply.body == "{\"error\":\"scripted " + std::to_string(code) + "\"}");
  REQUIRE(rig.observers().WaitEnded(1, kWaitMs));
  CHECK(rig.observers().JoinedLogs()[0] ==
        ObserverLog{"body:{}",
                    "start:" + std::to_string(code) +
                        ":application/json; charset=utf-8",
                    "bytes:" + reply.body, "end:complete"});
}

TEST_CASE("A stream reaches the client line by line, unbuffered",
          "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  const std::string path = GENERATE("/stream", "/api/stream");
  RelayRequest request;
  request.url = rig.Url(path);
  request.method = "POST";
  request.sends_body = true;
  request.body = "{\"model\":\"m\"}";
  // Upstream sends line i only after the client has seen line i - 1.
  std::string seen;
  int lines_seen = 0;
  request.on_piece = [&](const std::string& piece) {
    seen += piece;
    while (lines_seen < ScriptedUpstream::kStreamLines &&
           seen.find(ScriptedUpstream::StreamLine(lines_seen)) !=
               std::string::npos) {
      if (++lines_seen < ScriptedUpstream::kStreamLines) {
        rig.upstream().Release();
      }
    }
    return true;
  };
  RelayReply reply = client.Send(request);

  INFO(reply.error);
  REQUIRE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(rig.upstream().gate_timeouts() == 0);
  CHECK(reply.body == AllStreamLines());
  REQUIRE_FALSE(reply.pieces.empty());
  CHECK(reply.pieces[0] == ScriptedUpstream::StreamLine(0));
  CHECK(reply.Header("Transfer-Encoding") == "chunked");
  CHECK(reply.Header("Content-Type") == "application/x-ndjson");

  if (path == "/api/stream") {
    REQUIRE(rig.observers().WaitEnded(1, kWaitMs));
    CHECK(rig.observers().JoinedLogs()[0] ==
          ObserverLog{"body:{\"model\":\"m\"}",
                      "start:200:application/x-ndjson",
                      "bytes:" + AllStreamLines(), "end:complete"});
  }
}

TEST_CASE("The observer's rewrites reach upstream and the client",
          "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  rig.observers().rewrite_body = [](std::string* body) {
    *body = "{\"rewritten\":true,\"longer\":\"than before\"}";
  };

  SECTION("a rewritten request body goes with its new length") {
    RelayRequest request;
    request.url = rig.Url("/api/echo");
    request.method = "POST";
    request.sends_body = true;
    request.body = "{}";
    RelayReply reply = client.Send(request);

    REQUIRE(reply.transferred);
    const std::string rewritten =
        "{\"rewritten\":true,\"longer\":\"than before\"}";
    CHECK(reply.body == rewritten);
    REQUIRE(rig.upstream().WaitRequests(1, kWaitMs));
    UpstreamRequest seen = rig.upstream().Requests().back();
    CHECK(seen.body == rewritten);
    CHECK(seen.Header("Content-Length") == std::to_string(rewritten.size()));
  }

  SECTION("forwarded pieces and bytes held to the end reach the client") {
    rig.observers().rewrite_piece = [](std::string_view piece) {
      return "[" + std::string(piece) + "]";
    };
    rig.observers().at_end = "tail\n";
    rig.upstream().Release(ScriptedUpstream::kStreamLines - 1);
    RelayRequest request;
    request.url = rig.Url("/api/stream");
    request.method = "POST";
    request.sends_body = true;
    RelayReply reply = client.Send(request);

    REQUIRE(reply.transferred);
    std::string expected;
    for (const ObserverLog& log : rig.observers().Logs()) {
      for (const std::string& entry : log) {
        if (entry.rfind("bytes:", 0) == 0)
          expected += "[" + entry.substr(6) + "]";
      }
    }
    CHECK(reply.body == expected + "tail\n");
    CHECK(reply.body.find(ScriptedUpstream::StreamLine(3)) !=
          std::string::npos);
  }
}

TEST_CASE(
    "The client's connection is kept alive across replies of every "
    "framing, and so is the upstream one",
    "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  // Two streams below.
  rig.upstream().Release(2 * (ScriptedUpstream::kStreamLines - 1));
  for (const char* target : {"/length", "/stream", "/api/status-404",
                             "/nocontent", "/gzip", "/api/stream", "/length"}) {
    RelayRequest request;
    request.url = rig.Url(target);
    RelayReply reply = client.Send(request);
    INFO(target << ": " << reply.error);
    REQUIRE(reply.transferred);
  }
  CHECK(client.connections_opened() == 1);
  CHECK(rig.upstream().connections_accepted() == 1);
}

TEST_CASE("A large upload on an unobserved path streams through intact",
          "[proxy][relay]") {
  RelayRig rig;
  RelayTestClient client;
  constexpr uint64_t kSize = 50ull << 20;
  const bool chunked = GENERATE(false, true);

  uint64_t produced = 0;
  uint64_t hash = 1469598103934665603ull;
  RelayRequest request;
  request.url = rig.Url("/blobs/sha256-abc/nocontent");
  request.upload_length = chunked ? -1 : static_cast<long long>(kSize);
  request.upload = [&](char* buffer, size_t size) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(size, kSize - produced));
    for (size_t i = 0; i < n; ++i) {
      buffer[i] = static_cast<char>((produced + i) * 2654435761u >> 13);
      hash = (hash ^ static_cast<unsigned char>(buffer[i])) * 1099511628211ull;
    }
    produced += n;
    return n;
  };
  request.timeout_ms = 60000;
  const auto start = std::chrono::steady_clock::now();
  RelayReply reply = client.Send(request);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  INFO(reply.error);
  REQUIRE(reply.transferred);
  CHECK(reply.status == 204);
  // Well under the client's 10 s wait for "100 Continue": it was answered.
  CHECK(seconds < 5.0);
  REQUIRE(rig.upstream().WaitRequests(1, kWaitMs));
  UpstreamRequest seen = rig.upstream().Requests().back();
  CHECK(seen.body_size == kSize);
  CHECK(seen.body_hash == hash);
  CHECK(seen.chunked == chunked);
}

}  // namespace
}  // namespace ollama_exporter::proxy::testing
