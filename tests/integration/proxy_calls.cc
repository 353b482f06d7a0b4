#include "proxy_calls.h"

namespace ollama_exporter::integration {
namespace {

struct Route {
  const char* path;
  std::vector<StreamField> streams;
};

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = {
      {"/api/generate",
       {StreamField::kAbsent, StreamField::kTrue, StreamField::kFalse}},
      {"/api/chat", {StreamField::kAbsent, StreamField::kFalse}},
      {"/api/embed", {StreamField::kAbsent}},
      {"/api/embeddings", {StreamField::kAbsent}},
      {"/v1/chat/completions", {StreamField::kAbsent, StreamField::kTrue}},
      {"/v1/completions", {StreamField::kAbsent, StreamField::kTrue}},
      {"/v1/embeddings", {StreamField::kAbsent}},
      {"/v1/responses", {StreamField::kAbsent, StreamField::kTrue}},
      {"/v1/messages", {StreamField::kAbsent, StreamField::kTrue}},
  };
  return routes;
}

std::vector<ProxyCall> CallsStreamed(const std::string& model,
                                     const InferenceScript& script,
                                     bool streamed) {
  std::vector<ProxyCall> calls;
  for (const ProxyCall& call : EveryEndpointCall(model, script)) {
    if (StreamedByOllama(call) == streamed) calls.push_back(call);
  }
  return calls;
}

}  // namespace

std::vector<ProxyCall> EveryEndpointCall(const std::string& model,
                                         const InferenceScript& script) {
  std::vector<ProxyCall> calls;
  for (const Route& route : Routes()) {
    for (StreamField stream : route.streams) {
      ProxyCall call;
      call.path = route.path;
      call.model = model;
      call.stream = stream;
      call.script = script;
      calls.push_back(call);
    }
  }
  return calls;
}

bool StreamedByOllama(const ProxyCall& call) {
  if (call.path == "/api/generate" || call.path == "/api/chat") {
    return call.stream != StreamField::kFalse;
  }
  return call.stream == StreamField::kTrue && call.path != "/api/embed" &&
         call.path != "/api/embeddings" && call.path != "/v1/embeddings";
}

std::vector<ProxyCall> StreamedCalls(const std::string& model,
                                     const InferenceScript& script) {
  return CallsStreamed(model, script, true);
}

std::vector<ProxyCall> UnstreamedCalls(const std::string& model,
                                       const InferenceScript& script) {
  return CallsStreamed(model, script, false);
}

}  // namespace ollama_exporter::integration
