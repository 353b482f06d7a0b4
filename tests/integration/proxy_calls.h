#pragma once

#include <string>
#include <vector>

#include "proxy_exchange.h"

namespace ollama_exporter::integration {

// A call to every measured endpoint in each way its `stream` member can
// be left out or set that matters: absent (Ollama's default) and the
// opposite explicitly, both for /api/generate; the embedding routes,
// which never stream, without it. All name `model` and use `script`.
std::vector<ProxyCall> EveryEndpointCall(const std::string& model,
                                         const InferenceScript& script);

// Whether Ollama streams the reply to `call`: a missing `stream` means
// streaming on /api/generate and /api/chat, not on /v1/*; the embedding
// routes never stream.
bool StreamedByOllama(const ProxyCall& call);

// The calls of EveryEndpointCall that Ollama streams, or does not.
std::vector<ProxyCall> StreamedCalls(const std::string& model,
                                     const InferenceScript& script);
std::vector<ProxyCall> UnstreamedCalls(const std::string& model,
                                       const InferenceScript& script);

}  // namespace ollama_exporter::integration
