#pragma once

// One inference request sent through the proxy to the fake, and the
// Catch2 checks of what its client received and what the exporter
// recorded.

#include <functional>
#include <string>

#include "common/status.h"

#include "inference_script.h"
#include "proxy_rig.h"
#include "served_request.h"
#include "stream_client.h"

namespace ollama_exporter::integration {

// The request body's `stream` member.
enum class StreamField { kAbsent, kTrue, kFalse };

// One request to make through the proxy.
struct ProxyCall {
  std::string path;  // "/api/chat", ...
  std::string model;
  StreamField stream = StreamField::kAbsent;
  // Adds "stream_options":{"include_usage":true}.
  bool ask_usage = false;
  // Sent instead of InferenceBody(*this) when not empty.
  std::string body;
  InferenceScript script;  // How the fake answers it.
  int client_timeout_ms = 10000;
  // Called with the reply so far as each piece of body arrives; false
  // hangs up at once (StreamRequest::on_piece). Null: reads to the end.
  std::function<bool(const StreamReply&)> on_piece;

  // "/api/chat stream=absent", for test output.
  std::string Name() const;
};

// call.body, else a small, valid request body for `call.path` (a prompt,
// messages or input as that route takes it), with the stream and usage members
// the call asks for.
std::string InferenceBody(const ProxyCall& call);

// One exchange as the client and the fake saw it.
struct ProxyExchange {
  std::string request_body;
  Status client_status;  // PostStreaming's.
  StreamReply reply;
  ServedRequest served;
};

// Forgets the fake's earlier requests, scripts it with call.script, sends
// the call through the proxy and waits (5 s at most) until the fake has
// recorded the request's end. Errors only for that wait; the client's own
// result is in exchange->client_status.
[[nodiscard]] Status SendThroughProxy(ProxyRig& rig, const ProxyCall& call,
                                      ProxyExchange* exchange);

// Checks what the client got against what the fake sent: the fake's
// status, Content-Type and exact body (the usage events stripped where
// the proxy asked for usage on the client's behalf; a prefix when the
// client hung up), or the proxy's 502 when the fake sent no status; and
// that the fake received the client's body unchanged (or with only
// include_usage added).
void CheckRelayed(ProxyRig& rig, const ProxyCall& call,
                  const ProxyExchange& exchange);

// ProxyCall::on_piece that hangs up at the first piece.
bool HangUp(const StreamReply& reply);

// Sends `call`, checks the relay (CheckRelayed) and that the exporter
// recorded exactly that request under `model_label`
// (CheckOneRequestRecorded). The exchange goes to *exchange when not
// null.
void CheckMeasuredExchange(ProxyRig& rig, const ProxyCall& call,
                           const std::string& model_label,
                           ProxyExchange* exchange = nullptr);

}  // namespace ollama_exporter::integration
