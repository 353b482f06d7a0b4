// The npm `ollama` and `openai` client libraries, unchanged, talking to the
// fake Ollama through the exporter's proxy (issue #3): each library call
// works as against Ollama itself, streams arrive chunk by chunk, and the
// exporter counts exactly what the fake sent.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "client_case.h"
#include "inference_script.h"
#include "proxy_rig.h"
#include "require_ok.h"
#include "served_request.h"

namespace ollama_exporter::clients {
namespace {

using integration::InferenceScript;
using integration::LabelSet;
using integration::MetricsText;
using integration::ProxyRig;
using integration::ServedRequest;
using nlohmann::json;

constexpr char kModel[] = "qwen3:8b";
constexpr int kStreamedChunks = 4;
constexpr int kServedTimeoutMs = 5000;
constexpr int kMetricsTimeoutMs = 5000;

// A stream whose last write (the done line, or the SSE finish group) the
// fake holds until the client releases it: the client can only see the
// content chunks before that if the proxy relays them as they come.
InferenceScript HeldStreamScript() {
  InferenceScript script;
  script.chunks = kStreamedChunks;
  script.chunk_delay_ms = 5;
  script.hold_last_chunk = true;
  script.hold_timeout_ms = 10000;
  return script;
}

// The text of a reply of `chunks` content chunks, as the fake writes it.
std::string ScriptText(int chunks) {
  std::string text;
  for (int i = 0; i < chunks; ++i) text += integration::ScriptChunkText(i);
  return text;
}

// One library call through the proxy and what the fake did with it.
struct Exchange {
  std::unique_ptr<ProxyRig> rig;
  json client;  // What run_case.mjs printed.
  ServedRequest served;
};

// Starts a fresh fake and exporter (so counters start at zero), runs
// `case_name` under `script` and waits for the fake to record the
// request.
Status Run(const std::string& case_name, const InferenceScript& script,
           Exchange* exchange) {
  Status status = ProxyRig::Create({}, &exchange->rig);
  if (!status.ok()) return status;
  integration::FakeOllama& fake = exchange->rig->ollama();
  fake.SetInferenceScript(script);

  ClientCase client_case;
  client_case.name = case_name;
  client_case.proxy_url = exchange->rig->ProxyUrl("");
  client_case.fake_url = fake.url();
  client_case.model = kModel;
  client_case.release_after = script.chunks;
  status = RunClientCase(client_case, &exchange->client);
  if (status.ok()) status = fake.WaitForRequests(1, kServedTimeoutMs);
  if (!status.ok()) return status;
  const std::vector<ServedRequest> served = fake.served();
  if (served.size() != 1) {
    return Status::Internal("the fake served " + std::to_string(served.size()) +
                            " requests");
  }
  exchange->served = served.front();
  return Status::Ok();
}

// Every content chunk reached the library while the fake still held its
// last write, and the client, not the gate's timer, released it.
void CheckChunkByChunk(const Exchange& exchange) {
  INFO("client: " << exchange.client.dump());
  CHECK(exchange.client["first_content_before_release"] == true);
  CHECK(exchange.client["content_before_release"] == kStreamedChunks);
  CHECK(exchange.client["released_by"] == "client");
  CHECK_FALSE(exchange.served.hold_timed_out);
  CHECK(exchange.served.content_chunks_sent == kStreamedChunks);
}

// The exporter counted exactly the one request the fake served: one ok
// request on `endpoint` and the token counts the fake sent.
void CheckCounters(const Exchange& exchange, const std::string& endpoint) {
  const LabelSet series = {{"model", kModel}, {"endpoint", endpoint}};
  LabelSet ok = series;
  ok["outcome"] = "ok";
  MetricsText metrics;
  CHECK_OK(exchange.rig->exporter().WaitForMetrics(
      [&ok](const MetricsText& now) {
        return now.Value("ollama_requests_total", ok).has_value();
      },
      kMetricsTimeoutMs, &metrics));

  double requests = 0;
  for (const auto& sample : metrics.Named("ollama_requests_total")) {
    requests += sample.value;
  }
  CHECK(requests == 1);
  CHECK(metrics.Value("ollama_requests_total", ok) == 1);
  const integration::FinalStats& sent = exchange.served.stats_sent;
  CHECK(metrics.Value("ollama_prompt_tokens_total", series).value_or(0) ==
        sent.prompt_eval_count);
  CHECK(metrics.Value("ollama_generated_tokens_total", series).value_or(0) ==
        sent.eval_count);
}

// The OpenAI usage object of the stats the fake sent.
json UsageSent(const ServedRequest& served) {
  const integration::FinalStats& sent = served.stats_sent;
  return {{"prompt_tokens", sent.prompt_eval_count},
          {"completion_tokens", sent.eval_count},
          {"total_tokens", sent.prompt_eval_count + sent.eval_count}};
}

// The float32 values of standard base64 `text` holding them in
// little-endian order (OpenAI's "encoding_format":"base64"), each widened
// to double exactly; null when `text` is not that.
json Float32sOfBase64(const std::string& text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Padding: at most two '=', and only at the end.
  const size_t end = std::min(text.find('='), text.size());
  if (text.size() % 4 != 0 || text.size() - end > 2 ||
      text.find_first_not_of('=', end) != std::string::npos) {
    return json();
  }
  std::string bytes;
  uint32_t pending = 0;
  int pending_bits = 0;
  for (char c : text.substr(0, end)) {
    const size_t sextet = kAlphabet.find(c);
    if (sextet == std::string_view::npos) return json();
    pending = (pending << 6) | static_cast<uint32_t>(sextet);
    pending_bits += 6;
    if (pending_bits >= 8) {
      pending_bits -= 8;
      bytes.push_back(static_cast<char>((pending >> pending_bits) & 0xFF));
    }
  }
  if (bytes.size() % 4 != 0) return json();

  json values = json::array();
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t bits = 0;
    for (int k = 3; k >= 0; --k) {
      bits = (bits << 8) | static_cast<uint8_t>(bytes[i + k]);
    }
    float value = 0;
    std::memcpy(&value, &bits, sizeof(value));
    values.push_back(static_cast<double>(value));
  }
  return values;
}

// The vectors of an embedding reply the fake sent: /api/embed's
// "embeddings", or /v1/embeddings' data[].embedding with base64 strings
// decoded to their float32 values.
json EmbeddingsSent(const ServedRequest& served) {
  const json body = json::parse(served.body_sent, nullptr, false);
  if (body.contains("embeddings")) return body["embeddings"];
  json vectors = json::array();
  for (const json& item : body.value("data", json::array())) {
    const json vector = item.value("embedding", json());
    vectors.push_back(vector.is_string()
                          ? Float32sOfBase64(vector.get<std::string>())
                          : vector);
  }
  return vectors;
}

// Whether the fake wrote /v1/embeddings vectors as base64 strings.
bool SentBase64(const ServedRequest& served) {
  const json body = json::parse(served.body_sent, nullptr, false);
  const json::json_pointer first("/data/0/embedding");
  return body.contains(first) && body.at(first).is_string();
}

// The final chunk's numbers as the ollama library exposes them.
void CheckNativeFinal(const Exchange& exchange) {
  const json& final = exchange.client["final"];
  const integration::FinalStats& sent = exchange.served.stats_sent;
  INFO("final: " << final.dump());
  CHECK(final["done"] == true);
  CHECK(final["done_reason"] == sent.done_reason);
  CHECK(final["prompt_eval_count"] == sent.prompt_eval_count);
  CHECK(final["eval_count"] == sent.eval_count);
  CHECK(final["eval_duration"] == sent.eval_duration);
}

TEST_CASE("The ollama library streams a chat through the proxy chunk by chunk",
          "[clients][ollama]") {
  Exchange exchange;
  REQUIRE_OK(Run("ollama_chat_stream", HeldStreamScript(), &exchange));

  CHECK(exchange.client["text"] == ScriptText(kStreamedChunks));
  CheckNativeFinal(exchange);
  CheckChunkByChunk(exchange);
  CheckCounters(exchange, "/api/chat");
}

TEST_CASE("The ollama library streams a generation through the proxy",
          "[clients][ollama]") {
  Exchange exchange;
  REQUIRE_OK(Run("ollama_generate_stream", HeldStreamScript(), &exchange));

  CHECK(exchange.client["text"] == ScriptText(kStreamedChunks));
  CheckNativeFinal(exchange);
  CheckChunkByChunk(exchange);
  CheckCounters(exchange, "/api/generate");
}

TEST_CASE("The ollama library gets a whole chat reply through the proxy",
          "[clients][ollama]") {
  Exchange exchange;
  const InferenceScript script;
  REQUIRE_OK(Run("ollama_chat", script, &exchange));

  CHECK_FALSE(exchange.served.streamed);
  CHECK(exchange.client["text"] == ScriptText(script.chunks));
  CheckNativeFinal(exchange);
  CheckCounters(exchange, "/api/chat");
}

TEST_CASE("The ollama library embeds through the proxy", "[clients][ollama]") {
  Exchange exchange;
  REQUIRE_OK(Run("ollama_embed", InferenceScript(), &exchange));

  CHECK(exchange.client["embeddings"].size() == 2);
  CHECK(exchange.client["embeddings"] == EmbeddingsSent(exchange.served));
  CHECK(exchange.client["final"]["prompt_eval_count"] ==
        exchange.served.stats_sent.prompt_eval_count);
  CheckCounters(exchange, "/api/embed");
}

TEST_CASE(
    "The openai library streams a chat without usage it did not ask for, "
    "while the exporter counts the tokens",
    "[clients][openai]") {
  Exchange exchange;
  REQUIRE_OK(Run("openai_chat_stream", HeldStreamScript(), &exchange));

  // The proxy asked upstream for the usage and kept it from the client.
  CHECK(exchange.served.include_usage);
  CHECK(exchange.client["usage_only_chunks"] == 0);
  CHECK(exchange.client["usage"].is_null());
  for (const json& usage : exchange.client["choice_chunk_usages"]) {
    CHECK(usage.is_null());
  }
  CHECK(exchange.client["text"] == ScriptText(kStreamedChunks));
  CHECK(exchange.client["finish_reasons"] == json::array({"stop"}));
  CheckChunkByChunk(exchange);
  CheckCounters(exchange, "/v1/chat/completions");
}

TEST_CASE("The openai library streams a chat with the usage it asked for",
          "[clients][openai]") {
  Exchange exchange;
  REQUIRE_OK(Run("openai_chat_stream_usage", HeldStreamScript(), &exchange));

  CHECK(exchange.client["usage_only_chunks"] == 1);
  CHECK(exchange.client["usage"] == UsageSent(exchange.served));
  CHECK(exchange.client["text"] == ScriptText(kStreamedChunks));
  CHECK(exchange.client["finish_reasons"] == json::array({"stop"}));
  CheckChunkByChunk(exchange);
  CheckCounters(exchange, "/v1/chat/completions");
}

TEST_CASE("The openai library gets a whole chat completion through the proxy",
          "[clients][openai]") {
  Exchange exchange;
  const InferenceScript script;
  REQUIRE_OK(Run("openai_chat", script, &exchange));

  CHECK_FALSE(exchange.served.streamed);
  CHECK(exchange.client["text"] == ScriptText(script.chunks));
  CHECK(exchange.client["finish_reasons"] == json::array({"stop"}));
  CHECK(exchange.client["usage"] == UsageSent(exchange.served));
  CheckCounters(exchange, "/v1/chat/completions");
}

TEST_CASE("The openai library streams a completion through the proxy",
          "[clients][openai]") {
  Exchange exchange;
  REQUIRE_OK(Run("openai_completions_stream", HeldStreamScript(), &exchange));

  // As documented: with the injected include_usage, the text chunks carry
  // zero-valued usage, as they would had the client asked; the usage-only
  // chunk is kept from the client.
  CHECK(exchange.served.include_usage);
  CHECK(exchange.client["usage_only_chunks"] == 0);
  const json zero = {
      {"prompt_tokens", 0}, {"completion_tokens", 0}, {"total_tokens", 0}};
  for (const json& usage : exchange.client["choice_chunk_usages"]) {
    CHECK((usage.is_null() || usage == zero));
  }
  CHECK(exchange.client["text"] == ScriptText(kStreamedChunks));
  CHECK(exchange.client["finish_reasons"] == json::array({"stop"}));
  CheckChunkByChunk(exchange);
  CheckCounters(exchange, "/v1/completions");
}

// The library asks for base64 unless told otherwise and hands over the
// float32 values; with "float" it hands over the numbers as sent.
TEST_CASE("The openai library embeds through the proxy", "[clients][openai]") {
  const auto [case_name, base64] =
      GENERATE(std::make_pair("openai_embeddings", true),
               std::make_pair("openai_embeddings_float", false));
  INFO(case_name);
  Exchange exchange;
  REQUIRE_OK(Run(case_name, InferenceScript(), &exchange));

  CHECK(SentBase64(exchange.served) == base64);
  const json sent = EmbeddingsSent(exchange.served);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].size() == 3);
  CHECK(exchange.client["embeddings"] == sent);
  const json usage = {
      {"prompt_tokens", exchange.served.stats_sent.prompt_eval_count},
      {"total_tokens", exchange.served.stats_sent.prompt_eval_count}};
  CHECK(exchange.client["usage"] == usage);
  CheckCounters(exchange, "/v1/embeddings");
}

}  // namespace
}  // namespace ollama_exporter::clients
