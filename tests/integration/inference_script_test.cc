#include "inference_script.h"

#include <string>

#include <catch2/catch.hpp>

#include "inference_request.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

TEST_CASE("ParseInferenceScript reads every member and keeps defaults",
          "[integration][inference_script]") {
  InferenceScript script;
  REQUIRE_OK(ParseInferenceScript(
      R"({"chunks":20,"chunk_delay_ms":50,"hold_last_chunk":true,)"
      R"("error_after_chunks":2,"error_message":"boom","status":503,)"
      R"("stats":{"eval_count":7,"done_reason":"length"}})",
      &script));
  CHECK(script.chunks == 20);
  CHECK(script.chunk_delay_ms == 50);
  CHECK(script.hold_last_chunk);
  CHECK(script.error_after_chunks == 2);
  CHECK(script.error_message == "boom");
  CHECK(script.status == 503);
  CHECK(script.stats.eval_count == 7);
  CHECK(script.stats.done_reason == "length");
  CHECK(script.stats.prompt_eval_count == 14);  // Default kept.
  CHECK(script.close_after_chunks == -1);
}

TEST_CASE("InferenceScriptJson parses back to the same script",
          "[integration][inference_script]") {
  InferenceScript script;
  script.chunks = 9;
  script.thinking_chunks = 2;
  script.hang_before_first_byte = true;
  script.old_chat_sse = true;
  script.status_message = "x";
  script.stats = {1, 2, 3, 4, 5, 6, ""};
  InferenceScript parsed;
  parsed.chunks = 1;
  REQUIRE_OK(ParseInferenceScript(InferenceScriptJson(script), &parsed));
  CHECK(InferenceScriptJson(parsed) == InferenceScriptJson(script));
  CHECK(parsed.stats == script.stats);
}

TEST_CASE("ParseInferenceScript rejects bad scripts and changes nothing",
          "[integration][inference_script]") {
  const auto [json, wanted] = GENERATE(table<const char*, const char*>({
      {"", "not JSON"},
      {"[1]", "not a JSON object"},
      {R"({"chunk":3})", "unknown script member chunk"},
      {R"({"chunks":"3"})", "chunks"},
      {R"({"chunks":-1})", "chunks"},
      {R"({"error_after_chunks":-2})", "error_after_chunks"},
      {R"({"hold_last_chunk":1})", "hold_last_chunk"},
      {R"({"status":600})", "status"},
      {R"({"stats":{"eval_count":-1}})", "stats.eval_count"},
      {R"({"stats":{"tokens":1}})", "unknown stats member tokens"},
      {R"({"stats":[]})", "stats"},
  }));
  InferenceScript script;
  script.chunks = 5;
  const Status status = ParseInferenceScript(json, &script);
  INFO(json << " -> " << status.ToString());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().find(wanted) != std::string::npos);
  CHECK(script.chunks == 5);
}

TEST_CASE("Script chunk texts cycle through six words",
          "[integration][inference_script]") {
  CHECK(ScriptChunkText(0) == "Blue");
  CHECK(ScriptChunkText(2) == " scatters.");
  CHECK(ScriptChunkText(6) == "Blue");
  CHECK(ScriptThinkingText(1) == "Think 1. ");
}

TEST_CASE("ParseInferenceRequest applies Ollama's defaults",
          "[integration][inference_request]") {
  InferenceRequest request;
  REQUIRE_OK(ParseInferenceRequest(InferenceRoute::kGenerate,
                                   R"({"model":"m","prompt":"hi"})", &request));
  CHECK(request.model == "m");
  CHECK(request.streamed);
  CHECK_FALSE(request.load);

  REQUIRE_OK(ParseInferenceRequest(InferenceRoute::kV1ChatCompletions,
                                   R"({"model":"m","messages":[{}]})",
                                   &request));
  CHECK_FALSE(request.streamed);
  REQUIRE_OK(ParseInferenceRequest(
      InferenceRoute::kV1Completions,
      R"({"model":"m","stream":true,"stream_options":{"include_usage":true}})",
      &request));
  CHECK(request.streamed);
  CHECK(request.include_usage);
  REQUIRE_OK(ParseInferenceRequest(InferenceRoute::kEmbed,
                                   R"({"model":"m","input":["a","b"],)"
                                   R"("stream":true})",
                                   &request));
  CHECK_FALSE(request.streamed);
  CHECK(request.inputs == 2);
}

TEST_CASE("ParseInferenceRequest tells load and unload requests",
          "[integration][inference_request]") {
  InferenceRequest request;
  REQUIRE_OK(ParseInferenceRequest(InferenceRoute::kGenerate,
                                   R"({"model":"m"})", &request));
  CHECK(request.load);
  CHECK_FALSE(request.unload);
  REQUIRE_OK(ParseInferenceRequest(InferenceRoute::kChat,
                                   R"({"model":"m","messages":[],)"
                                   R"("keep_alive":0})",
                                   &request));
  CHECK(request.unload);
  CHECK_FALSE(request.load);
  REQUIRE_OK(ParseInferenceRequest(InferenceRoute::kGenerate,
                                   R"({"model":"m","keep_alive":"0s"})",
                                   &request));
  CHECK(request.unload);
  REQUIRE_OK(ParseInferenceRequest(InferenceRoute::kV1ChatCompletions,
                                   R"({"model":"m","messages":[]})", &request));
  CHECK_FALSE(request.load);
  CHECK(request.empty_v1_messages);
}

TEST_CASE("ParseInferenceRequest reads the embedding encoding",
          "[integration][inference_request]") {
  InferenceRequest request;
  REQUIRE_OK(ParseInferenceRequest(
      InferenceRoute::kV1Embeddings,
      R"({"model":"m","input":"a","encoding_format":"base64"})", &request));
  CHECK(request.base64_embeddings);
  REQUIRE_OK(ParseInferenceRequest(
      InferenceRoute::kV1Embeddings,
      R"({"model":"m","input":"a","encoding_format":"BASE64"})", &request));
  CHECK(request.base64_embeddings);
  for (const char* other :
       {R"({"model":"m","input":"a"})",
        R"({"model":"m","input":"a","encoding_format":"float"})",
        R"({"model":"m","input":"a","encoding_format":"base64url"})",
        R"({"model":"m","input":"a","encoding_format":64})"}) {
    INFO(other);
    REQUIRE_OK(
        ParseInferenceRequest(InferenceRoute::kV1Embeddings, other, &request));
    CHECK_FALSE(request.base64_embeddings);
  }
  // /api/embed has no such member.
  REQUIRE_OK(ParseInferenceRequest(
      InferenceRoute::kEmbed,
      R"({"model":"m","input":"a","encoding_format":"base64"})", &request));
  CHECK_FALSE(request.base64_embeddings);
}

TEST_CASE("ParseInferenceRequest rejects empty and non-object bodies",
          "[integration][inference_request]") {
  InferenceRequest request;
  request.model = "kept";
  Status status = ParseInferenceRequest(InferenceRoute::kChat, "", &request);
  CHECK(status.message() == "missing request body");
  status =
      ParseInferenceRequest(InferenceRoute::kChat, "{\"model\":", &request);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  status = ParseInferenceRequest(InferenceRoute::kChat, "[]", &request);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(request.model == "kept");
}

TEST_CASE("Installed models match by Ollama's canonical name",
          "[integration][inference_request]") {
  CHECK(CanonicalModelName("qwen3") == "qwen3:latest");
  CHECK(CanonicalModelName("registry.ollama.ai/library/qwen3:8b") ==
        "qwen3:8b");
  CHECK(CanonicalModelName("host:5000/ns/model") ==
        "host:5000/ns/model:latest");
  const std::string tags =
      R"({"models":[{"name":"qwen3:latest"},{"name":"a/b:c"}]})";
  CHECK(ModelInstalled(tags, "qwen3"));
  CHECK(ModelInstalled(tags, "registry.ollama.ai/library/qwen3"));
  CHECK(ModelInstalled(tags, "a/b:c"));
  CHECK_FALSE(ModelInstalled(tags, "qwen3:8b"));
  CHECK_FALSE(ModelInstalled(tags, ""));
  CHECK_FALSE(ModelInstalled("garbage", "qwen3"));
}

}  // namespace
}  // namespace ollama_exporter::integration
