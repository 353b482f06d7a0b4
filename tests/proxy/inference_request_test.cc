#include "proxy/inference_request.h"

#include <string>

#include <catch2/catch.hpp>

#include "allocation_count.h"
#include "proxy/include_usage_rewrite.h"

namespace ollama_exporter::proxy {
namespace {

constexpr InferenceEndpoint kGenerate = InferenceEndpoint::kGenerate;
constexpr InferenceEndpoint kV1Chat = InferenceEndpoint::kV1ChatCompletions;

TEST_CASE("ReadInferenceRequest applies Ollama's stream defaults",
          "[proxy][parse]") {
  CHECK(ReadInferenceRequest(kGenerate, R"({"model":"m"})").streamed);
  CHECK(ReadInferenceRequest(InferenceEndpoint::kChat, "{}").streamed);
  CHECK_FALSE(ReadInferenceRequest(kV1Chat, R"({"model":"m"})").streamed);
  CHECK_FALSE(
      ReadInferenceRequest(InferenceEndpoint::kV1Messages, "{}").streamed);
  // null leaves Go's field at its default.
  CHECK(ReadInferenceRequest(kGenerate, R"({"stream":null})").streamed);
  CHECK_FALSE(ReadInferenceRequest(kV1Chat, R"({"stream":null})").streamed);
}

TEST_CASE("ReadInferenceRequest takes an explicit stream boolean",
          "[proxy][parse]") {
  CHECK_FALSE(ReadInferenceRequest(kGenerate, R"({"stream":false})").streamed);
  CHECK(ReadInferenceRequest(kV1Chat, R"({"stream":true})").streamed);
  CHECK(ReadInferenceRequest(InferenceEndpoint::kV1Completions,
                             R"({"stream":true})")
            .streamed);
}

TEST_CASE("A stream that is not a boolean reads as not streamed",
          "[proxy][parse]") {
  // Ollama answers such bodies with 400, before any stream.
  CHECK_FALSE(ReadInferenceRequest(kGenerate, R"({"stream":"yes"})").streamed);
  CHECK_FALSE(ReadInferenceRequest(kGenerate, R"({"stream":1})").streamed);
  CHECK_FALSE(ReadInferenceRequest(kV1Chat, R"({"stream":[true]})").streamed);
}

TEST_CASE("Embedding requests never stream", "[proxy][parse]") {
  CHECK_FALSE(ReadInferenceRequest(InferenceEndpoint::kEmbed,
                                   R"({"model":"e","stream":true})")
                  .streamed);
  CHECK_FALSE(
      ReadInferenceRequest(InferenceEndpoint::kV1Embeddings, "{}").streamed);
}

TEST_CASE("ReadInferenceRequest reads the model as sent", "[proxy][parse]") {
  CHECK(ReadInferenceRequest(kGenerate, R"({"model":"Qwen3"})").model ==
        "Qwen3");
  CHECK(ReadInferenceRequest(kGenerate, R"({"model":42})").model.empty());
  CHECK(ReadInferenceRequest(kGenerate, R"({"prompt":"hi"})").model.empty());
}

TEST_CASE("ReadInferenceRequest matches keys as Go does", "[proxy][parse]") {
  const InferenceRequest request = ReadInferenceRequest(
      kGenerate, R"({"MODEL":"a","model":"b","Stream":true,"STREAM":false})");
  CHECK(request.model == "b");
  CHECK_FALSE(request.streamed);
}

TEST_CASE("A body that is not a JSON object yields the defaults",
          "[proxy][parse]") {
  for (const char* body :
       {"", "not json", "[1,2]", "\"text\"", "{\"model\":"}) {
    INFO(body);
    const InferenceRequest request = ReadInferenceRequest(kGenerate, body);
    CHECK(request.model.empty());
    CHECK(request.streamed);
    CHECK_FALSE(request.asked_for_usage);
  }
}

TEST_CASE("ReadInferenceRequest holds no document of the body",
          "[proxy][parse]") {
  // A body of deep nesting once cost 85 times its size while being read.
  const size_t depth = size_t{4} << 20;
  const std::string body = R"({"model":"m","stream":false,"prompt":)" +
                           std::string(depth, '[') + std::string(depth, ']') +
                           "}";
  const size_t before = testing::BytesAllocated();
  const InferenceRequest request = ReadInferenceRequest(kGenerate, body);
  const size_t allocated = testing::BytesAllocated() - before;
  CHECK(request.model == "m");
  CHECK_FALSE(request.streamed);
  CHECK(allocated < body.size() / 4);
}

TEST_CASE("ReadInferenceRequest sees a client's own include_usage",
          "[proxy][parse]") {
  CHECK(
      ReadInferenceRequest(
          kV1Chat, R"({"stream":true,"stream_options":{"include_usage":true}})")
          .asked_for_usage);
  CHECK_FALSE(ReadInferenceRequest(
                  kV1Chat,
                  R"({"stream":true,"stream_options":{"include_usage":false}})")
                  .asked_for_usage);
  CHECK_FALSE(
      ReadInferenceRequest(
          kV1Chat,
          R"({"stream":true,"stream_options":{"include_usage":"true"}})")
          .asked_for_usage);
  CHECK_FALSE(ReadInferenceRequest(kV1Chat, R"({"stream_options":true})")
                  .asked_for_usage);
}

TEST_CASE(
    "Usage is injected only into streamed /v1 chat and completions "
    "that did not ask",
    "[proxy][parse]") {
  InferenceRequest streamed;
  streamed.streamed = true;
  InferenceRequest asked = streamed;
  asked.asked_for_usage = true;
  const InferenceRequest not_streamed;

  CHECK(NeedsUsageInjection(kV1Chat, streamed));
  CHECK(NeedsUsageInjection(InferenceEndpoint::kV1Completions, streamed));
  CHECK_FALSE(NeedsUsageInjection(kV1Chat, asked));
  CHECK_FALSE(NeedsUsageInjection(kV1Chat, not_streamed));
  CHECK_FALSE(NeedsUsageInjection(InferenceEndpoint::kV1Responses, streamed));
  CHECK_FALSE(NeedsUsageInjection(InferenceEndpoint::kChat, streamed));
}

// The rewritten body, or "(untouched)" when InjectIncludeUsage declined.
std::string Injected(std::string body) {
  const std::string before = body;
  if (!InjectIncludeUsage(&body)) {
    CHECK(body == before);
    return "(untouched)";
  }
  CHECK(ReadInferenceRequest(kV1Chat, body).asked_for_usage);
  return body;
}

TEST_CASE("InjectIncludeUsage adds stream_options, keeping the body's bytes",
          "[proxy][parse]") {
  CHECK(Injected(R"({"model":"m","stream":true,"temperature":0.70})") ==
        R"({"stream_options":{"include_usage":true},"model":"m",)"
        R"("stream":true,"temperature":0.70})");
  CHECK(Injected("{}") == R"({"stream_options":{"include_usage":true}})");
  CHECK(Injected(" \n{ }") ==
        " \n{\"stream_options\":{\"include_usage\":true} }");
}

TEST_CASE("InjectIncludeUsage keeps the client's other stream_options",
          "[proxy][parse]") {
  CHECK(Injected(R"({"stream_options":{"x":1},"stream":true})") ==
        R"({"stream_options":{"include_usage":true,"x":1},"stream":true})");
  CHECK(Injected(R"({ "a" : [1,{"b":"}"}] , "stream_options" : { } })") ==
        R"({ "a" : [1,{"b":"}"}] , "stream_options" : )"
        R"({"include_usage":true } })");
}

TEST_CASE("InjectIncludeUsage overrides include_usage false and null options",
          "[proxy][parse]") {
  CHECK(Injected(R"({"stream_options":{"include_usage":false,"x":"y"}})") ==
        R"({"stream_options":{"include_usage":true,"x":"y"}})");
  CHECK(Injected(R"({"stream_options":null,"stream":true})") ==
        R"({"stream_options":{"include_usage":true},"stream":true})");
  // Go matches keys without case and keeps the last duplicate.
  CHECK(Injected(R"({"Stream_Options":{"Include_Usage":false}})") ==
        R"({"Stream_Options":{"Include_Usage":true}})");
  CHECK(
      Injected(R"({"stream_options":{},"stream_options":{"x":1}})") ==
      R"({"stream_options":{},"stream_options":{"include_usage":true,"x":1}})");
}

TEST_CASE("InjectIncludeUsage leaves bodies Ollama would reject untouched",
          "[proxy][parse]") {
  CHECK(Injected("") == "(untouched)");
  CHECK(Injected("not json") == "(untouched)");
  CHECK(Injected("[{}]") == "(untouched)");
  CHECK(Injected(R"({"model":"m")") == "(untouched)");
  CHECK(Injected(R"({"stream_options":"yes"})") == "(untouched)");
  CHECK(Injected(R"({"stream_options":[]})") == "(untouched)");
  CHECK(Injected(R"({"stream_options":{"include_usage":"yes"}})") ==
        "(untouched)");
  CHECK(Injected(R"({"stream_options":{"include_usage":1}})") == "(untouched)");
  CHECK(Injected(R"({"stream_options":{"include_usage":{}}})") ==
        "(untouched)");
  CHECK(Injected("{\"model\":\"\xff\"}") == "(untouched)");
}

}  // namespace
}  // namespace ollama_exporter::proxy
