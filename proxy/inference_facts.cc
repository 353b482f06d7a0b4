#include "proxy/inference_facts.h"

namespace ollama_exporter::proxy {

std::string_view EndpointLabel(InferenceEndpoint endpoint) {
  switch (endpoint) {
    case InferenceEndpoint::kGenerate:
      return "/api/generate";
    case InferenceEndpoint::kChat:
      return "/api/chat";
    case InferenceEndpoint::kEmbed:
      return "/api/embed";
    case InferenceEndpoint::kEmbeddings:
      return "/api/embeddings";
    case InferenceEndpoint::kV1ChatCompletions:
      return "/v1/chat/completions";
    case InferenceEndpoint::kV1Completions:
      return "/v1/completions";
    case InferenceEndpoint::kV1Embeddings:
      return "/v1/embeddings";
    case InferenceEndpoint::kV1Responses:
      return "/v1/responses";
    case InferenceEndpoint::kV1Messages:
      return "/v1/messages";
  }
  return "other";
}

std::string_view OutcomeLabel(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kClientError:
      return "client_error";
    case Outcome::kServerError:
      return "server_error";
    case Outcome::kStreamError:
      return "stream_error";
    case Outcome::kClientCanceled:
      return "client_canceled";
  }
  return "server_error";
}

std::string_view DoneReasonLabel(DoneReason reason) {
  switch (reason) {
    case DoneReason::kStop:
      return "stop";
    case DoneReason::kLength:
      return "length";
    case DoneReason::kLoad:
      return "load";
    case DoneReason::kUnload:
      return "unload";
    case DoneReason::kOther:
      return "other";
    case DoneReason::kNone:
      return "none";
  }
  return "none";
}

}  // namespace ollama_exporter::proxy
