#pragma once

#include <optional>
#include <string_view>

#include "proxy/inference_facts.h"

namespace ollama_exporter::proxy {

// Which requests the proxy measures, and how each endpoint streams.
// Pure functions; thread-safe.

// The endpoint of a POST to one of the exact inference paths; nullopt for
// any other method or path (the request is then relayed unmeasured).
// `path` is the request target and may carry a query string, which is
// ignored: "/api/chat?x=1" is /api/chat, "/api/chat/" is not.
std::optional<InferenceEndpoint> ClassifyInference(std::string_view method,
                                                   std::string_view path);

// Whether a request without a "stream" field streams: true on /api/generate
// and /api/chat, false everywhere else (OpenAI semantics on /v1).
bool StreamsByDefault(InferenceEndpoint endpoint);

// Whether the endpoint streams at all: false for the embedding endpoints,
// which ignore "stream".
bool CanStream(InferenceEndpoint endpoint);

// Whether the endpoint's SSE stream carries OpenAI usage only on request
// (stream_options.include_usage): /v1/chat/completions, /v1/completions.
bool HasOptionalStreamUsage(InferenceEndpoint endpoint);

// Whether the endpoint is one of Ollama's /v1 adapters (OpenAI, Responses,
// Anthropic shapes) rather than a native /api route.
bool IsOpenAiCompatible(InferenceEndpoint endpoint);

}  // namespace ollama_exporter::proxy
