// Every measured endpoint through the real proxy, streamed or not, in
// every outcome: the client gets exactly what the fake sent, and /metrics
// and the history hold exactly what it carried.

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "proxy_calls.h"
#include "proxy_checks.h"
#include "proxy_exchange.h"
#include "proxy_rig.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

constexpr char kUnknownModel[] = "nope:1b";

// Each call in a section of its own, so one failing does not hide the
// others.
void CheckEach(const std::vector<ProxyCall>& calls,
               const std::string& model_label) {
  ProxyRig& rig = SharedProxyRig();
  for (const ProxyCall& call : calls) {
    DYNAMIC_SECTION(call.Name()) {
      ProxyExchange exchange;
      CheckMeasuredExchange(rig, call, model_label, &exchange);
      CHECK(exchange.served.streamed == StreamedByOllama(call));
    }
  }
}

TEST_CASE("The proxy relays and counts a complete reply of every endpoint",
          "[proxy][e2e]") {
  InferenceScript script;
  SECTION("at once") { CheckEach(EveryEndpointCall(kQwen, script), kQwen); }
  SECTION("a chunk every 50 ms after a slow first byte") {
    script.first_byte_delay_ms = 100;
    script.chunk_delay_ms = 50;
    CheckEach(EveryEndpointCall(kQwen, script), kQwen);
  }
  SECTION("cut by the length limit") {
    script.stats.done_reason = "length";
    CheckEach(EveryEndpointCall(kQwen, script), kQwen);
  }
  SECTION("with thinking first") {
    script.thinking_chunks = 2;
    CheckEach(StreamedCalls(kQwen, script), kQwen);
  }
  SECTION("in the /v1/chat/completions stream shape before Ollama 0.32.6") {
    script.old_chat_sse = true;
    std::vector<ProxyCall> calls;
    for (bool ask_usage : {false, true}) {
      ProxyCall call;
      call.path = "/v1/chat/completions";
      call.model = kQwen;
      call.stream = StreamField::kTrue;
      call.ask_usage = ask_usage;
      call.script = script;
      calls.push_back(call);
    }
    CheckEach(calls, kQwen);
  }
}

TEST_CASE(
    "The proxy relays and counts load and unload requests and requests "
    "Ollama refuses",
    "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  auto call = [](const std::string& path, const std::string& body) {
    ProxyCall made;
    made.path = path;
    made.body = body;
    return made;
  };
  SECTION("a load request: done_reason load") {
    CheckMeasuredExchange(rig, call("/api/generate", R"({"model":"qwen3:8b"})"),
                          kQwen);
    CheckMeasuredExchange(
        rig, call("/api/chat", R"({"model":"qwen3:8b","messages":[]})"), kQwen);
  }
  SECTION("an unload request: done_reason unload") {
    CheckMeasuredExchange(
        rig, call("/api/generate", R"({"model":"qwen3:8b","keep_alive":0})"),
        kQwen);
    CheckMeasuredExchange(
        rig, call("/api/chat", R"({"model":"qwen3:8b","keep_alive":"0s"})"),
        kQwen);
  }
  SECTION("no model, no messages, no JSON: 400 under other") {
    CheckMeasuredExchange(
        rig, call("/api/chat", R"({"messages":[{"role":"user"}]})"), "other");
    CheckMeasuredExchange(rig,
                          call("/v1/chat/completions", R"({"model":"qwen3:8b",)"
                                                       R"("messages":[]})"),
                          kQwen);
    CheckMeasuredExchange(rig, call("/api/generate", "not json"), "other");
    CheckMeasuredExchange(rig, call("/v1/embeddings", "[1,2]"), "other");
  }
}

TEST_CASE(
    "The proxy counts the tokens of an embedding batch whose reply is over "
    "1 MiB",
    "[proxy][e2e]") {
  // 50,000 inputs: a reply of 1.2 MB (/api/embed) or 3.5 MB
  // (/v1/embeddings) with the counts at its end; a real 768-dimension
  // model gets there with about 70 inputs.
  nlohmann::json body = {{"model", kQwen},
                         {"input", std::vector<std::string>(50000, "sky")}};
  const std::string path =
      GENERATE(std::string("/api/embed"), std::string("/v1/embeddings"));
  ProxyCall call;
  call.path = path;
  call.model = kQwen;
  call.body = body.dump();
  ProxyExchange exchange;
  CheckMeasuredExchange(SharedProxyRig(), call, kQwen, &exchange);
  CHECK(exchange.reply.body.size() > (size_t{1} << 20));
}

TEST_CASE("The proxy relays and counts client errors of every endpoint",
          "[proxy][e2e]") {
  SECTION("a model Ollama does not have: 404 under other") {
    CheckEach(EveryEndpointCall(kUnknownModel, InferenceScript()), "other");
  }
  SECTION("a bad request: 400") {
    InferenceScript script;
    script.status = 400;
    CheckEach(EveryEndpointCall(kQwen, script), kQwen);
  }
}

TEST_CASE("The proxy relays and counts server errors of every endpoint",
          "[proxy][e2e]") {
  InferenceScript script;
  SECTION("500") {
    script.status = 500;
    CheckEach(EveryEndpointCall(kQwen, script), kQwen);
  }
  SECTION("503") {
    script.status = 503;
    script.status_message = "server busy, please try again.";
    CheckEach(EveryEndpointCall(kQwen, script), kQwen);
  }
  SECTION("an error during a reply that is not streamed") {
    script.error_after_chunks = 1;
    CheckEach(UnstreamedCalls(kQwen, script), kQwen);
  }
  SECTION("no reply: a cut connection gets 502 from the proxy") {
    script.close_after_chunks = 1;
    CheckEach(UnstreamedCalls(kQwen, script), kQwen);
  }
  SECTION("no reply: a hang before the first byte, then a close") {
    script.hang_before_first_byte = true;
    script.hold_timeout_ms = 200;
    CheckEach(EveryEndpointCall(kQwen, script), kQwen);
  }
}

TEST_CASE("The proxy relays and counts streams that break off",
          "[proxy][e2e]") {
  InferenceScript script;
  SECTION("an error line or event mid-stream") {
    script.error_after_chunks = 1;
    CheckEach(StreamedCalls(kQwen, script), kQwen);
  }
  SECTION("a connection cut mid-stream") {
    script.close_after_chunks = 2;
    CheckEach(StreamedCalls(kQwen, script), kQwen);
  }
}

TEST_CASE("The proxy counts a client that hangs up mid-stream as canceled",
          "[proxy][e2e]") {
  InferenceScript script;
  script.chunks = 8;
  script.chunk_delay_ms = 100;
  std::vector<ProxyCall> calls = StreamedCalls(kQwen, script);
  for (ProxyCall& call : calls) call.on_piece = HangUp;
  CheckEach(calls, kQwen);
}

TEST_CASE(
    "The proxy cancels and counts requests whose client gives up while "
    "Ollama has not answered",
    "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  InferenceScript script;
  script.hang_before_first_byte = true;
  script.hold_timeout_ms = 20000;
  const std::vector<ProxyCall> calls = EveryEndpointCall(kQwen, script);
  ProxySnapshot before;
  REQUIRE_OK(TakeProxySnapshot(rig, &before));
  RangeReply history_before;
  REQUIRE_OK(QueryInferenceHistory(rig.exporter(), &history_before));
  rig.ollama().ResetInference();
  rig.ollama().SetInferenceScript(script);

  // All at once: the proxy takes up to 1.5 s to notice each.
  std::vector<StreamReply> replies(calls.size());
  std::vector<Status> statuses(calls.size());
  std::vector<std::thread> clients;
  for (size_t i = 0; i < calls.size(); ++i) {
    clients.emplace_back([&, i] {
      StreamRequest request;
      request.url = rig.ProxyUrl(calls[i].path);
      request.body = InferenceBody(calls[i]);
      request.timeout_ms = 300;
      statuses[i] = PostStreaming(request, &replies[i]);
    });
  }
  for (std::thread& client : clients) client.join();
  REQUIRE_OK(rig.ollama().WaitForRequests(calls.size(), 5000));

  for (size_t i = 0; i < calls.size(); ++i) {
    INFO(calls[i].Name());
    CHECK(statuses[i].code() == StatusCode::kDeadlineExceeded);
    CHECK(replies[i].body.empty());
  }
  for (const ServedRequest& served : rig.ollama().served()) {
    INFO(served.path);
    CHECK(served.client_went_away);
    CHECK(!served.hold_timed_out);
    CHECK(served.body_sent.empty());
  }

  MetricsText after;
  const LabelSet model = {{"model", kQwen}};
  REQUIRE_OK(rig.exporter().WaitForMetrics(
      [&](const MetricsText& metrics) {
        return DeltaOfAll(before.metrics, metrics, "ollama_requests_total") >=
                   calls.size() &&
               metrics.Value("ollama_requests_in_flight", model).value_or(0) ==
                   0;
      },
      5000, &after));
  for (const ProxyCall& call : calls) {
    INFO(call.Name());
    const LabelSet canceled = {{"model", kQwen},
                               {"endpoint", call.path},
                               {"outcome", "client_canceled"}};
    const LabelSet none = {
        {"model", kQwen}, {"endpoint", call.path}, {"done_reason", "none"}};
    const size_t same_path = static_cast<size_t>(std::count_if(
        calls.begin(), calls.end(),
        [&](const ProxyCall& other) { return other.path == call.path; }));
    CHECK(Delta(before.metrics, after, "ollama_requests_total", canceled) ==
          same_path);
    CHECK(Delta(before.metrics, after, "ollama_done_reasons_total", none) ==
          same_path);
  }
  CHECK(DeltaOfAll(before.metrics, after, "ollama_requests_total") ==
        calls.size());
  CHECK(DeltaOfAll(before.metrics, after, "ollama_generated_tokens_total") ==
        0);
  CHECK(Delta(before.metrics, after, "ollama_request_duration_seconds_count",
              model) == calls.size());
  CHECK(Delta(before.metrics, after, "ollama_time_to_first_token_seconds_count",
              model) == 0);

  RangeReply history;
  REQUIRE(Eventually(
      [&] {
        return QueryInferenceHistory(rig.exporter(), &history).ok() &&
               StoredRequests(history) >=
                   before.history_requests + calls.size();
      },
      5000));
  CHECK(StoredRequests(history) == before.history_requests + calls.size());
  CHECK(StoredRequests(history, "client_canceled") ==
        StoredRequests(history_before, "client_canceled") + calls.size());
}

}  // namespace
}  // namespace ollama_exporter::integration
