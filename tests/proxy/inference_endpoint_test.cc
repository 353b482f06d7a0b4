#include "proxy/inference_endpoint.h"

#include <catch2/catch.hpp>

namespace ollama_exporter::proxy {
namespace {

TEST_CASE("ClassifyInference knows the exact inference paths",
          "[proxy][parse]") {
  const std::pair<const char*, InferenceEndpoint> known[] = {
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
  for (const auto& [path, endpoint] : known) {
    INFO(path);
    CHECK(ClassifyInference("POST", path) == endpoint);
    CHECK(EndpointLabel(endpoint) == path);
  }
}

TEST_CASE("ClassifyInference ignores the query string", "[proxy][parse]") {
  CHECK(ClassifyInference("POST", "/api/chat?trace=1") ==
        InferenceEndpoint::kChat);
  CHECK(ClassifyInference("POST", "/v1/completions?") ==
        InferenceEndpoint::kV1Completions);
}

TEST_CASE("ClassifyInference leaves other methods and paths unmeasured",
          "[proxy][parse]") {
  CHECK_FALSE(ClassifyInference("GET", "/api/chat"));
  CHECK_FALSE(ClassifyInference("post", "/api/chat"));
  CHECK_FALSE(ClassifyInference("HEAD", "/api/generate"));
  CHECK_FALSE(ClassifyInference("POST", "/api/chat/"));
  CHECK_FALSE(ClassifyInference("POST", "//api/chat"));
  CHECK_FALSE(ClassifyInference("POST", "/api/generatex"));
  CHECK_FALSE(ClassifyInference("POST", "/api/pull"));
  CHECK_FALSE(ClassifyInference("POST", "/v1/models"));
  CHECK_FALSE(ClassifyInference("POST", ""));
}

TEST_CASE("Only native generate and chat stream by default", "[proxy][parse]") {
  CHECK(StreamsByDefault(InferenceEndpoint::kGenerate));
  CHECK(StreamsByDefault(InferenceEndpoint::kChat));
  CHECK_FALSE(StreamsByDefault(InferenceEndpoint::kV1ChatCompletions));
  CHECK_FALSE(StreamsByDefault(InferenceEndpoint::kV1Messages));
  CHECK_FALSE(StreamsByDefault(InferenceEndpoint::kEmbed));
}

TEST_CASE("Embedding endpoints never stream", "[proxy][parse]") {
  CHECK_FALSE(CanStream(InferenceEndpoint::kEmbed));
  CHECK_FALSE(CanStream(InferenceEndpoint::kEmbeddings));
  CHECK_FALSE(CanStream(InferenceEndpoint::kV1Embeddings));
  CHECK(CanStream(InferenceEndpoint::kV1Responses));
  CHECK(CanStream(InferenceEndpoint::kGenerate));
}

TEST_CASE("Stream usage is optional only on /v1 chat and completions",
          "[proxy][parse]") {
  CHECK(HasOptionalStreamUsage(InferenceEndpoint::kV1ChatCompletions));
  CHECK(HasOptionalStreamUsage(InferenceEndpoint::kV1Completions));
  CHECK_FALSE(HasOptionalStreamUsage(InferenceEndpoint::kV1Responses));
  CHECK_FALSE(HasOptionalStreamUsage(InferenceEndpoint::kChat));
}

TEST_CASE("Outcome and done_reason labels are the metric values",
          "[proxy][parse]") {
  CHECK(OutcomeLabel(Outcome::kOk) == "ok");
  CHECK(OutcomeLabel(Outcome::kClientError) == "client_error");
  CHECK(OutcomeLabel(Outcome::kServerError) == "server_error");
  CHECK(OutcomeLabel(Outcome::kStreamError) == "stream_error");
  CHECK(OutcomeLabel(Outcome::kClientCanceled) == "client_canceled");
  CHECK(DoneReasonLabel(DoneReason::kStop) == "stop");
  CHECK(DoneReasonLabel(DoneReason::kLength) == "length");
  CHECK(DoneReasonLabel(DoneReason::kLoad) == "load");
  CHECK(DoneReasonLabel(DoneReason::kUnload) == "unload");
  CHECK(DoneReasonLabel(DoneReason::kOther) == "other");
  CHECK(DoneReasonLabel(DoneReason::kNone) == "none");
}

}  // namespace
}  // namespace ollama_exporter::proxy
