#include "proxy_exchange.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "proxy_checks.h"
#include "proxy_expected.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kServedTimeoutMs = 5000;
constexpr char kQuestion[] = "Why is the sky blue?";

Json Messages() {
  return Json::array({{{"role", "user"}, {"content", kQuestion}}});
}

const char* StreamName(StreamField stream) {
  switch (stream) {
    case StreamField::kAbsent:
      return "absent";
    case StreamField::kTrue:
      return "true";
    case StreamField::kFalse:
      return "false";
  }
  return "?";
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The start of a body for a failure message; a batch reply is megabytes.
std::string Excerpt(const std::string& body) {
  constexpr size_t kMaxBytes = 4096;
  if (body.size() <= kMaxBytes) return body;
  return body.substr(0, kMaxBytes) + "... (" + std::to_string(body.size()) +
         " bytes)";
}

}  // namespace

std::string ProxyCall::Name() const {
  return path + " model=" + model + " stream=" + StreamName(stream) +
         (ask_usage ? " include_usage" : "");
}

std::string InferenceBody(const ProxyCall& call) {
  if (!call.body.empty()) return call.body;
  Json body = {{"model", call.model}};
  const std::string& path = call.path;
  if (path == "/api/chat" || path == "/v1/chat/completions") {
    body["messages"] = Messages();
  } else if (path == "/v1/messages") {
    body["max_tokens"] = 256;
    body["messages"] = Messages();
  } else if (path == "/api/embed" || path == "/v1/embeddings" ||
             path == "/v1/responses") {
    body["input"] = kQuestion;
  } else {
    body["prompt"] = kQuestion;
  }
  if (call.stream != StreamField::kAbsent) {
    body["stream"] = call.stream == StreamField::kTrue;
  }
  if (call.ask_usage) body["stream_options"] = {{"include_usage", true}};
  return body.dump();
}

Status SendThroughProxy(ProxyRig& rig, const ProxyCall& call,
                        ProxyExchange* exchange) {
  rig.ollama().ResetInference();
  rig.ollama().SetInferenceScript(call.script);
  exchange->request_body = InferenceBody(call);

  StreamRequest request;
  request.url = rig.ProxyUrl(call.path);
  request.body = exchange->request_body;
  request.timeout_ms = call.client_timeout_ms;
  request.on_piece = call.on_piece;
  exchange->client_status = PostStreaming(request, &exchange->reply);

  Status status = rig.ollama().WaitForRequests(1, kServedTimeoutMs);
  if (!status.ok()) return status.WithContext(call.Name());
  exchange->served = rig.ollama().served().front();
  return Status::Ok();
}

void CheckRelayed(ProxyRig& rig, const ProxyCall& call,
                  const ProxyExchange& exchange) {
  INFO(call.Name());
  const ServedRequest& served = exchange.served;
  const StreamReply& reply = exchange.reply;
  INFO("client: " << exchange.client_status.ToString() << " status "
                  << reply.status << " body:\n"
                  << Excerpt(reply.body));
  INFO("fake: status " << served.status << " body:\n"
                       << Excerpt(served.body_sent));

  // Upstream: the client's body, or with include_usage added to a /v1
  // stream that did not ask for it.
  const bool usage_injectable =
      served.streamed &&
      (call.path == "/v1/chat/completions" || call.path == "/v1/completions");
  CHECK(served.include_usage == (call.ask_usage || usage_injectable));
  if (served.include_usage && !call.ask_usage) {
    Json sent = Json::parse(served.request_body, nullptr, false);
    REQUIRE(sent.is_object());
    CHECK(sent["stream_options"] == Json({{"include_usage", true}}));
    sent.erase("stream_options");
    CHECK(sent == Json::parse(exchange.request_body, nullptr, false));
  } else {
    CHECK(served.request_body == exchange.request_body);
  }

  // Upstream gets its own Host.
  int hosts = 0;
  for (const auto& [name, value] : served.request_headers) {
    if (EqualsIgnoringCase(name, "Host")) {
      ++hosts;
      CHECK(value == "127.0.0.1:" + std::to_string(rig.ollama().port()));
    }
  }
  CHECK(hosts == 1);

  if (served.client_went_away && !reply.hung_up) {
    // The client gave up while the fake held the request.
    CHECK(exchange.client_status.code() == StatusCode::kDeadlineExceeded);
    CHECK(reply.body.empty());
    CHECK(served.body_sent.empty());
  } else if (served.status == 0) {
    CHECK(exchange.client_status.ok());
    CHECK(reply.status == 502);
    CHECK(reply.body.rfind(
              R"({"error":"no reply from ollama at )" + rig.ollama().url(),
              0) == 0);
  } else if (reply.hung_up) {
    CHECK(served.client_went_away);
    REQUIRE(!reply.body.empty());
    CHECK(served.body_sent.compare(0, reply.body.size(), reply.body) == 0);
  } else {
    CHECK(exchange.client_status.ok() == !served.cut);
    CHECK(reply.status == served.status);
    CHECK(reply.content_type == served.content_type);
    CHECK(reply.body == ExpectedClientBody(served, call.ask_usage));
  }
}

bool HangUp(const StreamReply&) { return false; }

void CheckMeasuredExchange(ProxyRig& rig, const ProxyCall& call,
                           const std::string& model_label,
                           ProxyExchange* exchange) {
  ProxySnapshot before;
  REQUIRE_OK(TakeProxySnapshot(rig, &before));
  ProxyExchange own;
  ProxyExchange& made = exchange != nullptr ? *exchange : own;
  REQUIRE_OK(SendThroughProxy(rig, call, &made));
  CheckRelayed(rig, call, made);

  // A client that left stops its clock before the proxy notices.
  std::optional<double> client_seconds;
  if (!made.served.client_went_away) client_seconds = made.reply.seconds;
  INFO(call.Name());
  CheckOneRequestRecorded(rig, before,
                          ExpectRecord(model_label, made.served, call.script),
                          client_seconds);
}

}  // namespace ollama_exporter::integration
