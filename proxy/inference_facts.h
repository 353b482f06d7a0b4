#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ollama_exporter::proxy {

// The inference endpoints the proxy measures. Every other path is relayed
// without measurement.
enum class InferenceEndpoint {
  kGenerate,           // POST /api/generate
  kChat,               // POST /api/chat
  kEmbed,              // POST /api/embed
  kEmbeddings,         // POST /api/embeddings (legacy)
  kV1ChatCompletions,  // POST /v1/chat/completions
  kV1Completions,      // POST /v1/completions
  kV1Embeddings,       // POST /v1/embeddings
  kV1Responses,        // POST /v1/responses
  kV1Messages,         // POST /v1/messages
};

// How a measured request ended, from the client's point of view.
enum class Outcome {
  kOk,              // 2xx and, for a stream, its normal end.
  kClientError,     // 4xx before any body (499 included).
  kServerError,     // 5xx, or Ollama unreachable / failing before a status.
  kStreamError,     // 2xx, then an error line/event or a cut-off stream.
  kClientCanceled,  // The client went away before the end.
};

// Ollama's done_reason (OpenAI finish_reason), folded into a bounded set.
enum class DoneReason {
  kStop,    // "stop" (and OpenAI "tool_calls", which replaces it)
  kLength,  // "length": num_predict or the context limit cut the answer.
  kLoad,    // "load": a load-only request.
  kUnload,  // "unload": an unload request.
  kOther,   // Any other string.
  kNone,    // No final chunk, or a final chunk without a reason.
};

// What one measured request told us. Counts and durations are those Ollama
// reported (absent fields stay unset); timings the proxy took itself are
// always set when the event happened.
struct InferenceFacts {
  InferenceEndpoint endpoint = InferenceEndpoint::kGenerate;
  // The model as the client named it in the request body, unmodified;
  // empty when the body named none or could not be read.
  std::string requested_model;
  bool streamed = false;  // After Ollama's per-endpoint default.
  int http_status = 0;    // 0 when no status arrived from Ollama.
  Outcome outcome = Outcome::kOk;
  DoneReason done_reason = DoneReason::kNone;

  std::optional<uint64_t> prompt_tokens;      // prompt_eval_count
  std::optional<uint64_t> generated_tokens;   // eval_count
  std::optional<double> load_seconds;         // load_duration
  std::optional<double> prompt_eval_seconds;  // prompt_eval_duration
  std::optional<double> eval_seconds;         // eval_duration
  std::optional<double> total_seconds;        // total_duration

  // Proxy-measured, from the moment the request was sent upstream.
  double request_seconds = 0;
  // First chunk carrying text, thinking or a tool call; unset when none
  // arrived (errors, embeddings, non-streamed replies).
  std::optional<double> time_to_first_token_seconds;
  // Decode speed: eval_count / eval_duration for native replies; unset
  // when eval_count < 2 or eval_duration < 1 ms (edge case 22).
  std::optional<double> tokens_per_second;
};

// "/api/generate", "/v1/chat/completions", ...: the endpoint label.
std::string_view EndpointLabel(InferenceEndpoint endpoint);
std::string_view OutcomeLabel(Outcome outcome);  // "ok", "client_error", ...
std::string_view DoneReasonLabel(DoneReason reason);  // "stop", ..., "none"

}  // namespace ollama_exporter::proxy
