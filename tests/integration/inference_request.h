#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::integration {

// The inference endpoints the fake serves, all POST.
enum class InferenceRoute {
  kGenerate,           // /api/generate
  kChat,               // /api/chat
  kEmbed,              // /api/embed
  kEmbeddings,         // /api/embeddings (legacy)
  kV1ChatCompletions,  // /v1/chat/completions
  kV1Completions,      // /v1/completions
  kV1Embeddings,       // /v1/embeddings
  kV1Responses,        // /v1/responses
  kV1Messages,         // /v1/messages (Anthropic)
};

// The route of `path` (no query), nullopt for any other path.
std::optional<InferenceRoute> InferenceRouteOf(std::string_view path);

// True for the /v1/... routes.
bool IsOpenAiRoute(InferenceRoute route);

// What the fake reads from a request body.
struct InferenceRequest {
  InferenceRoute route = InferenceRoute::kGenerate;
  std::string model;  // As sent; "" when absent.
  // After Ollama's defaults: `stream` absent means true on /api/generate
  // and /api/chat, false on /v1; the embedding routes never stream.
  bool streamed = false;
  // The body has "stream_options":{"include_usage":true}.
  bool include_usage = false;
  // /api/generate with an empty or absent prompt, /api/chat with empty or
  // absent messages: a load request, or an unload one when keep_alive is
  // 0 (number, or a string "0", "0s", "0m", "0h").
  bool load = false;
  bool unload = false;
  bool raw = false;  // /api/generate "raw":true: no `context` in the reply.
  // /api/embed and /v1/embeddings: the number of inputs (1 for a string);
  // /api/embeddings: 0 when the prompt is empty, else 1.
  int inputs = 1;
  // /v1/chat/completions with "messages":[] (Ollama answers 400).
  bool empty_v1_messages = false;
  // /v1/embeddings with "encoding_format":"base64", ASCII case ignored as
  // Ollama does: each vector is written as a base64 string. Any other
  // value, or none, means floats.
  bool base64_embeddings = false;
};

// Reads `body` for `route`. kInvalidArgument when it is empty ("missing
// request body"), not JSON or not an object; every member has the type
// Ollama's request structs give it or is ignored. Never throws.
[[nodiscard]] Status ParseInferenceRequest(InferenceRoute route,
                                           std::string_view body,
                                           InferenceRequest* request);

// `name` as Ollama resolves it: the registry prefix
// "registry.ollama.ai/library/" dropped, ":latest" added when the last
// path part has no tag. "qwen3" -> "qwen3:latest".
std::string CanonicalModelName(std::string_view name);

// True when /api/tags JSON `tags_json` lists a model whose canonical name
// equals that of `model`. False for an empty model or unparsable tags.
bool ModelInstalled(std::string_view tags_json, std::string_view model);

}  // namespace ollama_exporter::integration
