// Failures, cancellation, shutdown and start-up errors of the proxy.

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "relay_rig.h"
#include "relay_test_client.h"
#include "testing/loopback_port.h"

namespace ollama_exporter::proxy::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWaitMs = 5000;

RelayRequest Post(const std::string& url) {
  RelayRequest request;
  request.url = url;
  request.method = "POST";
  request.sends_body = true;
  request.body = "{\"model\":\"m\"}";
  return request;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST_CASE("An unreachable upstream gets a 502 JSON error", "[proxy][failure]") {
  RecordingObserverFactory observers;
  ProxyServerOptions options;
  options.listen_address = "127.0.0.1:0";
  int closed_port = 0;
  REQUIRE(ollama_exporter::testing::PickFreeLoopbackPort(&closed_port).ok());
  options.upstream_url = "http://127.0.0.1:" + std::to_string(closed_port);
  std::unique_ptr<ProxyServer> proxy;
  REQUIRE(ProxyServer::Start(options, &observers, &proxy).ok());
  RelayTestClient client;

  RelayReply reply =
      client.Send(Post("http://" + proxy->bound_address() + "/api/chat"));

  REQUIRE(reply.transferred);
  CHECK(reply.status == 502);
  CHECK(reply.Header("Content-Type") == "application/json; charset=utf-8");
  nlohmann::json body = nlohmann::json::parse(reply.body);
  std::string error = body.at("error");
  CHECK(error.find("no reply from ollama at " + options.upstream_url) == 0);
  CHECK(error.find("Failed to connect") != std::string::npos);
  REQUIRE(observers.WaitEnded(1, kWaitMs));
  CHECK(observers.Logs()[0] ==
        ObserverLog{"body:{\"model\":\"m\"}", "end:upstream_failed"});

  SECTION("and the connection stays usable") {
    RelayReply again =
        client.Send(Post("http://" + proxy->bound_address() + "/api/chat"));
    CHECK(again.status == 502);
    CHECK(client.connections_opened() == 1);
  }
}

TEST_CASE("An upstream closing before its status gets a 502",
          "[proxy][failure]") {
  RelayRig rig;
  RelayTestClient client;
  RelayReply reply = client.Send(Post(rig.Url("/api/close")));

  REQUIRE(reply.transferred);
  CHECK(reply.status == 502);
  CHECK(nlohmann::json::parse(reply.body)
            .at("error")
            .get<std::string>()
            .find("Empty reply from server") != std::string::npos);
  REQUIRE(rig.observers().WaitEnded(1, kWaitMs));
  CHECK(rig.observers().Logs()[0].back() == "end:upstream_failed");
}

TEST_CASE("An upstream breaking off mid-body cuts the client's stream",
          "[proxy][failure]") {
  RelayRig rig;
  RelayTestClient client;
  RelayReply reply = client.Send(Post(rig.Url("/api/cut")));

  // No terminating chunk: libcurl reports the truncation.
  CHECK_FALSE(reply.transferred);
  CHECK(reply.status == 200);
  CHECK(reply.body == ScriptedUpstream::StreamLine(0));
  REQUIRE(rig.observers().WaitEnded(1, kWaitMs));
  CHECK(rig.observers().JoinedLogs()[0] ==
        ObserverLog{"body:{\"model\":\"m\"}", "start:200:application/x-ndjson",
                    "bytes:" + ScriptedUpstream::StreamLine(0),
                    "end:upstream_failed"});
}

TEST_CASE("A client leaving mid-stream cancels the upstream request",
          "[proxy][failure]") {
  RelayRig rig;
  RelayTestClient client;
  RelayRequest request = Post(rig.Url("/api/drip"));
  request.on_piece = [](const std::string&) { return false; };
  RelayReply reply = client.Send(request);
  CHECK_FALSE(reply.transferred);

  CHECK(rig.upstream().WaitPeerClosed(kWaitMs));
  REQUIRE(rig.observers().WaitEnded(1, kWaitMs));
  ObserverLog log = rig.observers().Logs()[0];
  CHECK(log[1] == "start:200:application/x-ndjson");
  CHECK(log.back() == "end:client_gone");
}

TEST_CASE(
    "A client leaving before the first byte cancels the upstream "
    "request",
    "[proxy][failure]") {
  RelayRig rig;
  RelayTestClient client;
  const std::string path = GENERATE("/api/hang", "/hang");
  RelayRequest request = Post(rig.Url(path));
  request.timeout_ms = 300;  // Then libcurl closes the connection.
  RelayReply reply = client.Send(request);
  REQUIRE_FALSE(reply.transferred);
  const Clock::time_point left = Clock::now();

  REQUIRE(rig.upstream().WaitPeerClosed(kWaitMs));
  const double seconds = SecondsSince(left);
  CHECK(seconds < 2.5);
  WARN("upstream saw the close " << seconds << " s after the client left");
  if (path == "/api/hang") {
    REQUIRE(rig.observers().WaitEnded(1, kWaitMs));
    CHECK(rig.observers().Logs()[0] ==
          ObserverLog{"body:{\"model\":\"m\"}", "end:client_gone"});
  }
}

TEST_CASE("An observed body over the cap gets 413 and never goes upstream",
          "[proxy][failure]") {
  ProxyServerOptions options;
  options.max_observed_body_bytes = 1000;
  RelayRig rig(options);
  RelayTestClient client;
  RelayRequest request = Post(rig.Url("/api/echo"));
  request.body = std::string(1001, 'x');
  RelayReply reply = client.Send(request);

  REQUIRE(reply.transferred);
  CHECK(reply.status == 413);
  CHECK(reply.body == "{\"error\":\"request body larger than 1000 bytes\"}");
  CHECK(rig.upstream().Requests().empty());
  CHECK(rig.observers().Logs() == std::vector<ObserverLog>{{}});

  SECTION("a body at the cap goes through") {
    request.body = std::string(1000, 'x');
    RelayReply fits = client.Send(request);
    CHECK(fits.status == 200);
    CHECK(fits.body == request.body);
  }
}

TEST_CASE("Destroying the proxy ends a hanging relay promptly",
          "[proxy][failure]") {
  RelayRig rig;
  std::string url = rig.Url("/api/hang");
  auto pending = std::async(std::launch::async, [url] {
    RelayTestClient client;
    RelayRequest request = Post(url);
    request.timeout_ms = 20000;
    return client.Send(request);
  });
  REQUIRE(rig.upstream().WaitRequests(1, kWaitMs));

  const Clock::time_point start = Clock::now();
  rig.StopProxy();
  const double seconds = SecondsSince(start);
  CHECK(seconds < 4.0);
  WARN("the proxy stopped in " << seconds << " s");

  REQUIRE(pending.wait_for(std::chrono::seconds(5)) ==
          std::future_status::ready);
  // CivetWeb writes nothing once it is stopping: the connection closes.
  CHECK_FALSE(pending.get().transferred);
  CHECK(rig.upstream().WaitPeerClosed(kWaitMs));
  REQUIRE(rig.observers().WaitEnded(1, kWaitMs));
  CHECK(rig.observers().Logs()[0].back() == "end:upstream_failed");
}

TEST_CASE("Destroying the proxy ends streams in flight as upstream failures",
          "[proxy][failure]") {
  // CivetWeb refuses every write once it is stopping, so a streaming relay
  // sees its next client write fail; that must not pass for the client
  // having left.
  constexpr int kStreams = 4;
  constexpr int kWaitingForFirstByte = 2;
  RelayRig rig;
  std::vector<std::promise<void>> first_pieces(kStreams);
  std::vector<std::future<RelayReply>> replies;
  for (int i = 0; i < kStreams; ++i) {
    std::promise<void>* first_piece = &first_pieces[i];
    std::string url = rig.Url("/api/drip");
    replies.push_back(std::async(std::launch::async, [url, first_piece] {
      RelayTestClient client;
      RelayRequest request = Post(url);
      request.timeout_ms = 20000;
      bool signalled = false;
      request.on_piece = [&](const std::string&) {
        if (!signalled) first_piece->set_value();
        signalled = true;
        return true;
      };
      return client.Send(request);
    }));
  }
  for (int i = 0; i < kWaitingForFirstByte; ++i) {
    std::string url = rig.Url("/api/hang");
    replies.push_back(std::async(std::launch::async, [url] {
      RelayTestClient client;
      RelayRequest request = Post(url);
      request.timeout_ms = 20000;
      return client.Send(request);
    }));
  }
  for (std::promise<void>& first_piece : first_pieces) {
    REQUIRE(first_piece.get_future().wait_for(std::chrono::milliseconds(
                kWaitMs)) == std::future_status::ready);
  }
  REQUIRE(
      rig.upstream().WaitRequests(kStreams + kWaitingForFirstByte, kWaitMs));

  rig.StopProxy();

  for (std::future<RelayReply>& reply : replies) {
    REQUIRE(reply.wait_for(std::chrono::seconds(5)) ==
            std::future_status::ready);
    CHECK_FALSE(reply.get().transferred);
  }
  REQUIRE(rig.observers().WaitEnded(kStreams + kWaitingForFirstByte, kWaitMs));
  int streamed = 0;
  for (const ObserverLog& log : rig.observers().Logs()) {
    REQUIRE(log.size() >= 2);
    if (log[1] == "start:200:application/x-ndjson") ++streamed;
    CHECK(log.back() == "end:upstream_failed");
  }
  CHECK(streamed == kStreams);
}

TEST_CASE("ProxyServer::Start refuses bad options with a clear error",
          "[proxy][failure]") {
  std::unique_ptr<ProxyServer> proxy;
  ProxyServerOptions options;
  options.listen_address = "127.0.0.1:0";

  SECTION("IPv6 listen address") {
    options.listen_address = "[::1]:0";
    Status status = ProxyServer::Start(options, nullptr, &proxy);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find("[::1]:0") != std::string::npos);
  }
  SECTION("malformed listen address") {
    options.listen_address = "http://x:1";
    CHECK(ProxyServer::Start(options, nullptr, &proxy).code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("upstream URL without a usable scheme") {
    options.upstream_url = "ftp://127.0.0.1:11434";
    Status status = ProxyServer::Start(options, nullptr, &proxy);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find("ftp://127.0.0.1:11434") != std::string::npos);
  }
  SECTION("no worker threads") {
    options.num_threads = 0;
    CHECK(ProxyServer::Start(options, nullptr, &proxy).code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("address in use") {
    std::unique_ptr<ProxyServer> first;
    REQUIRE(ProxyServer::Start(options, nullptr, &first).ok());
    options.listen_address = first->bound_address();
    Status status = ProxyServer::Start(options, nullptr, &proxy);
    CHECK(status.code() == StatusCode::kUnavailable);
    CHECK(status.message().find("cannot listen on \"" + options.listen_address +
                                "\"") == 0);
    CHECK(status.message().find("in use") != std::string::npos);
  }
  CHECK(proxy == nullptr);
}

}  // namespace
}  // namespace ollama_exporter::proxy::testing
