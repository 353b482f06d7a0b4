// The real proxy beyond single measured requests: paths it only relays,
// Ollama down, requests in flight, and the metrics page it adds to.

#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "http_get.h"
#include "proxy_checks.h"
#include "proxy_exchange.h"
#include "proxy_rig.h"
#include "require_ok.h"
#include "rig_checks.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kWaitMs = 5000;

// The newest poll's activeInferences, -1 when none could be read.
int64_t NewestActiveInferences(ProxyRig& rig) {
  HistoryReply history;
  if (!rig.History("?hours=1&limit=1", &history).ok() || history.data.empty()) {
    return -1;
  }
  return history.data[0].active_inferences;
}

TEST_CASE("The proxy relays other paths untouched and measures none of them",
          "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  ProxySnapshot before;
  REQUIRE_OK(TakeProxySnapshot(rig, &before));
  const std::string direct = rig.ollama().url();

  SECTION("GET: the same status, type and body as from Ollama") {
    const std::string path =
        GENERATE(std::string("/"), std::string("/api/tags"),
                 std::string("/api/version"), std::string("/api/ps"),
                 std::string("/api/generate"), std::string("/api/nothing"));
    CAPTURE(path);
    HttpReply proxied;
    HttpReply straight;
    REQUIRE_OK(HttpGet(rig.ProxyUrl(path), kWaitMs, &proxied));
    REQUIRE_OK(HttpGet(direct + path, kWaitMs, &straight));
    CHECK(proxied.status == straight.status);
    CHECK(proxied.content_type == straight.content_type);
    CHECK(proxied.body == straight.body);
    CHECK(!proxied.body.empty());
  }
  SECTION("HEAD: the same head as from Ollama") {
    const std::string path =
        GENERATE(std::string("/"), std::string("/api/tags"));
    CAPTURE(path);
    HttpReply proxied;
    HttpReply straight;
    REQUIRE_OK(
        HttpRequest(HttpMethod::kHead, rig.ProxyUrl(path), kWaitMs, &proxied));
    REQUIRE_OK(
        HttpRequest(HttpMethod::kHead, direct + path, kWaitMs, &straight));
    CHECK(proxied.status == 200);
    CHECK(proxied.status == straight.status);
    CHECK(proxied.content_type == straight.content_type);
    CHECK(proxied.body.empty());
  }
  SECTION("a client's connection kept open between requests") {
    HttpClient client;
    HttpReply first;
    HttpReply second;
    REQUIRE_OK(client.Get(rig.ProxyUrl("/api/tags"), kWaitMs, &first));
    REQUIRE_OK(client.Get(rig.ProxyUrl("/api/version"), kWaitMs, &second));
    CHECK(first.status == 200);
    CHECK(second.body == R"({"version":"0.32.15"})");
    CHECK(client.connections_opened() == 1);
  }
  SECTION("POST to a path Ollama does not serve: its 404") {
    const std::string path =
        GENERATE(std::string("/api/show"), std::string("/api/pull"),
                 std::string("/v1/models/qwen3:8b"));
    CAPTURE(path);
    StreamRequest request;
    request.url = rig.ProxyUrl(path);
    request.body = R"({"model":"qwen3:8b"})";
    StreamReply reply;
    REQUIRE_OK(PostStreaming(request, &reply));
    CHECK(reply.status == 404);
    CHECK(reply.content_type == "text/plain; charset=utf-8");
    CHECK(reply.body == "404 page not found");
  }

  // Nothing measured: no request series, nothing in the history.
  ProxySnapshot after;
  REQUIRE_OK(TakeProxySnapshot(rig, &after));
  CHECK(after.metrics.Named("ollama_requests_total").size() ==
        before.metrics.Named("ollama_requests_total").size());
  CHECK(DeltaOfAll(before.metrics, after.metrics, "ollama_requests_total") ==
        0);
  CHECK(after.history_requests == before.history_requests);
}

TEST_CASE("With Ollama down the proxy answers 502 and counts a server error",
          "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  const std::string path =
      GENERATE(std::string("/api/chat"), std::string("/v1/chat/completions"));
  ProxyCall call;
  call.path = path;
  call.model = kQwen;
  ProxySnapshot before;
  REQUIRE_OK(TakeProxySnapshot(rig, &before));

  rig.ollama().Down();
  StreamRequest request;
  request.url = rig.ProxyUrl(path);
  request.body = InferenceBody(call);
  StreamReply reply;
  const Status sent = PostStreaming(request, &reply);
  const Status up = rig.ollama().Up();
  REQUIRE_OK(up);
  REQUIRE_OK(sent);
  CHECK(reply.status == 502);
  CHECK(reply.content_type.rfind("application/json", 0) == 0);
  CHECK(reply.body.rfind(
            R"({"error":"no reply from ollama at )" + rig.ollama().url(), 0) ==
        0);

  // The model keeps its label while Ollama is away.
  ExpectedRecord expected;
  expected.model = kQwen;
  expected.endpoint = path;
  expected.outcome = "server_error";
  expected.done_reason = "none";
  CheckOneRequestRecorded(rig, before, expected, reply.seconds);

  // Back up: requests get through again.
  REQUIRE_OK(rig.exporter().WaitForMetrics(
      [](const MetricsText& metrics) {
        return metrics.Value("ollama_up") == 1.0;
      },
      kWaitMs));
  CheckMeasuredExchange(rig, call, kQwen);
}

TEST_CASE(
    "A request waiting for Ollama counts as in flight on /metrics and in "
    "the history's activeInferences",
    "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  const LabelSet model = {{"model", kQwen}};
  // With the proxy on, activeInferences counts requests, not loaded models.
  REQUIRE(
      Eventually([&] { return NewestActiveInferences(rig) == 0; }, kWaitMs));
  ProxySnapshot before;
  REQUIRE_OK(TakeProxySnapshot(rig, &before));

  ProxyCall call;
  call.path = "/api/chat";
  call.model = kQwen;
  call.script.hang_before_first_byte = true;
  call.script.hold_timeout_ms = 10000;
  ProxyExchange exchange;
  Status sent;
  std::thread client([&] { sent = SendThroughProxy(rig, call, &exchange); });

  const bool held =
      Eventually([&] { return rig.ollama().HeldRequests() == 1; }, kWaitMs);
  CHECK(held);
  if (held) {
    CHECK_OK(rig.exporter().WaitForMetrics(
        [&](const MetricsText& metrics) {
          return metrics.Value("ollama_requests_in_flight", model) == 1.0;
        },
        kWaitMs));
    CHECK(
        Eventually([&] { return NewestActiveInferences(rig) == 1; }, kWaitMs));
  }
  rig.ollama().Release();
  client.join();
  REQUIRE_OK(sent);

  CheckRelayed(rig, call, exchange);
  CheckOneRequestRecorded(rig, before,
                          ExpectRecord(kQwen, exchange.served, call.script),
                          exchange.reply.seconds);
  CHECK(Eventually([&] { return NewestActiveInferences(rig) == 0; }, kWaitMs));
}

TEST_CASE("Concurrent streams are each relayed whole and counted once",
          "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  constexpr size_t kStreams = 24;
  InferenceScript script;
  script.chunks = 6;
  script.chunk_delay_ms = 20;
  ProxySnapshot before;
  REQUIRE_OK(TakeProxySnapshot(rig, &before));
  rig.ollama().ResetInference();
  rig.ollama().SetInferenceScript(script);

  // Half native, half /v1 with the usage the proxy asks for itself.
  std::vector<ProxyCall> calls(kStreams);
  std::vector<StreamReply> replies(kStreams);
  std::vector<Status> statuses(kStreams);
  std::vector<std::thread> clients;
  for (size_t i = 0; i < kStreams; ++i) {
    calls[i].path = i % 2 == 0 ? "/api/chat" : "/v1/chat/completions";
    calls[i].model = kQwen;
    calls[i].stream = StreamField::kTrue;
    clients.emplace_back([&, i] {
      StreamRequest request;
      request.url = rig.ProxyUrl(calls[i].path);
      request.body = InferenceBody(calls[i]);
      statuses[i] = PostStreaming(request, &replies[i]);
    });
  }
  for (std::thread& client : clients) client.join();
  REQUIRE_OK(rig.ollama().WaitForRequests(kStreams, kWaitMs));

  // Every client got the one stream the fake sent it (bodies differ by
  // their ids and times), whole.
  std::multiset<std::string> expected_bodies;
  for (const ServedRequest& served : rig.ollama().served()) {
    expected_bodies.insert(ExpectedClientBody(served, false));
  }
  std::multiset<std::string> bodies;
  for (size_t i = 0; i < kStreams; ++i) {
    CHECK_OK(statuses[i]);
    bodies.insert(replies[i].body);
  }
  CHECK(bodies == expected_bodies);

  MetricsText after;
  const LabelSet model = {{"model", kQwen}};
  REQUIRE_OK(rig.exporter().WaitForMetrics(
      [&](const MetricsText& metrics) {
        return DeltaOfAll(before.metrics, metrics, "ollama_requests_total") >=
                   kStreams &&
               metrics.Value("ollama_requests_in_flight", model).value_or(1) ==
                   0;
      },
      kWaitMs, &after));
  for (const std::string path : {"/api/chat", "/v1/chat/completions"}) {
    INFO(path);
    const LabelSet series = {{"model", kQwen}, {"endpoint", path}};
    LabelSet ok = series;
    ok["outcome"] = "ok";
    CHECK(Delta(before.metrics, after, "ollama_requests_total", ok) ==
          kStreams / 2);
    CHECK(Delta(before.metrics, after, "ollama_generated_tokens_total",
                series) == kStreams / 2 * script.stats.eval_count);
    CHECK(Delta(before.metrics, after, "ollama_prompt_tokens_total", series) ==
          kStreams / 2 * script.stats.prompt_eval_count);
  }
  CHECK(DeltaOfAll(before.metrics, after, "ollama_requests_total") == kStreams);
  CHECK(Delta(before.metrics, after, "ollama_time_to_first_token_seconds_count",
              model) == kStreams);
  CHECK(Delta(before.metrics, after, "ollama_eval_duration_seconds_total",
              {{"model", kQwen}, {"endpoint", "/api/chat"}}) ==
        Approx(kStreams / 2 * script.stats.eval_duration / 1e9));

  RangeReply history;
  REQUIRE(Eventually(
      [&] {
        return QueryInferenceHistory(rig.exporter(), &history).ok() &&
               StoredRequests(history) >= before.history_requests + kStreams;
      },
      kWaitMs));
  CHECK(StoredRequests(history) == before.history_requests + kStreams);
}

TEST_CASE("promtool accepts /metrics with the proxy's metrics on it",
          "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  InferenceScript script;
  script.chunk_delay_ms = 5;
  ProxyCall call;
  call.path = "/api/generate";
  call.model = kQwen;
  call.script = script;
  CheckMeasuredExchange(rig, call, kQwen);

  MetricsText metrics;
  std::string body;
  REQUIRE_OK(rig.exporter().Metrics(&metrics, &body));
  CHECK(metrics.TypeOf("ollama_requests_total") == "counter");
  CHECK(metrics.TypeOf("ollama_generated_tokens_total") == "counter");
  CHECK(metrics.TypeOf("ollama_eval_duration_seconds_total") == "counter");
  CHECK(metrics.TypeOf("ollama_request_duration_seconds") == "histogram");
  CHECK(metrics.TypeOf("ollama_eval_tokens_per_second") == "histogram");
  CHECK(metrics.TypeOf("ollama_requests_in_flight") == "gauge");
  CHECK(metrics.TypeOf("ollama_exporter_proxy_model_overflows_total") ==
        "counter");
  RequirePromtoolClean(body);
}

}  // namespace
}  // namespace ollama_exporter::integration
