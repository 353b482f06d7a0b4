#include "proxy/inference_endpoint.h"

namespace ollama_exporter::proxy {
namespace {

struct EndpointPath {
  std::string_view path;
  InferenceEndpoint endpoint;
};

constexpr EndpointPath kInferencePaths[] = {
    {"/api/generate", InferenceEndpoint::kGenerate},
    {"/api/chat", InferenceEndpoint::kChat},
    {"/api/embed", InferenceEndpoint::kEmbed},
    {"/api/embeddings", InferenceEndpoint::kEmbeddings},
    {"/v1/chat/completions", InferenceEndpoint::kV1ChatCompletions},
    {"/v1/completions", InferenceEndpoint::kV1Completions},
    {"/v1/embeddings", InferenceEndpoint::kV1Embeddings},
    {"/v1/responses", InferenceEndpoint::kV1Responses},
    {"/v1/messages", InferenceEndpoint::kV1Messages},
};

}  // namespace

std::optional<InferenceEndpoint> ClassifyInference(std::string_view method,
                                                   std::string_view path) {
  // HTTP methods are case-sensitive; Ollama's router answers 405 to "post".
  if (method != "POST") return std::nullopt;
  path = path.substr(0, path.find('?'));
  for (const EndpointPath& known : kInferencePaths) {
    if (path == known.path) return known.endpoint;
  }
  return std::nullopt;
}

bool StreamsByDefault(InferenceEndpoint endpoint) {
  return endpoint == InferenceEndpoint::kGenerate ||
         endpoint == InferenceEndpoint::kChat;
}

bool CanStream(InferenceEndpoint endpoint) {
  switch (endpoint) {
    case InferenceEndpoint::kEmbed:
    case InferenceEndpoint::kEmbeddings:
    case InferenceEndpoint::kV1Embeddings:
      return false;
    default:
      return true;
  }
}

bool HasOptionalStreamUsage(InferenceEndpoint endpoint) {
  return endpoint == InferenceEndpoint::kV1ChatCompletions ||
         endpoint == InferenceEndpoint::kV1Completions;
}

bool IsOpenAiCompatible(InferenceEndpoint endpoint) {
  switch (endpoint) {
    case InferenceEndpoint::kGenerate:
    case InferenceEndpoint::kChat:
    case InferenceEndpoint::kEmbed:
    case InferenceEndpoint::kEmbeddings:
      return false;
    default:
      return true;
  }
}

}  // namespace ollama_exporter::proxy
