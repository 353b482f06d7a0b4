#pragma once

#include <string>
#include <string_view>

#include "proxy/inference_facts.h"

namespace ollama_exporter::proxy {

// What the proxy needs from an inference request body.
struct InferenceRequest {
  // "model" when it is a string, else empty.
  std::string model;
  // Whether Ollama will stream the reply: the "stream" boolean, or the
  // endpoint's default when it is absent or null. Any other type makes
  // Ollama answer 400, so it reads as false; always false on endpoints
  // that cannot stream.
  bool streamed = false;
  // "stream_options": {"include_usage": true} is in the body.
  bool asked_for_usage = false;
};

// Reads `body` as Ollama would: JSON keys match case-insensitively (ASCII)
// and the last duplicate wins, as in Go's encoding/json. A body that is not
// a JSON object yields the defaults (model empty, streamed per endpoint).
// Never fails; pure and thread-safe.
InferenceRequest ReadInferenceRequest(InferenceEndpoint endpoint,
                                      std::string_view body);

// Whether the proxy must inject stream_options.include_usage (the /v1
// usage policy): a streamed /v1/chat/completions or /v1/completions
// request that did not ask for usage itself.
bool NeedsUsageInjection(InferenceEndpoint endpoint,
                         const InferenceRequest& request);

}  // namespace ollama_exporter::proxy
