#include "inference_payloads.h"

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "payload_parts.h"
#include "require_ok.h"
#include "stream_client.h"

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::json;

// 2026-08-21T12:30:01.104222Z
const std::chrono::system_clock::time_point kFirstWrite(
    std::chrono::microseconds(1787315401104222));

ReplyPlan Plan(InferenceRoute route, const std::string& body,
               const InferenceScript& script = InferenceScript(),
               bool installed = true) {
  InferenceRequest request;
  const Status status = ParseInferenceRequest(route, body, &request);
  request.route = route;
  PlanContext context;
  context.first_write = kFirstWrite;
  context.sequence = 88;
  context.model_installed = installed;
  return PlanInferenceReply(status, request, script, context);
}

std::string Bytes(const ReplyPlan& plan, size_t index) {
  REQUIRE(index < plan.writes.size());
  return plan.writes[index].bytes;
}

std::string AllBytes(const ReplyPlan& plan) {
  std::string all;
  for (const ReplyWrite& write : plan.writes) all += write.bytes;
  return all;
}

TEST_CASE("Rfc3339Nanos trims the fraction as Go does",
          "[integration][inference_payloads]") {
  CHECK(Rfc3339Nanos(kFirstWrite) == "2026-08-21T12:30:01.104222Z");
  CHECK(Rfc3339Nanos(std::chrono::system_clock::time_point(
            std::chrono::seconds(1787315401))) == "2026-08-21T12:30:01Z");
  CHECK(Rfc3339Nanos(std::chrono::system_clock::time_point(
            std::chrono::nanoseconds(1787315401000000001))) ==
        "2026-08-21T12:30:01.000000001Z");
}

TEST_CASE("A streamed /api/generate is NDJSON chunks and a final chunk",
          "[integration][inference_payloads]") {
  InferenceScript script;
  script.chunk_delay_ms = 50;
  const ReplyPlan plan = Plan(InferenceRoute::kGenerate,
                              R"({"model":"qwen3","prompt":"hi"})", script);
  CHECK(plan.status == 200);
  CHECK(plan.content_type == "application/x-ndjson");
  CHECK(plan.streamed);
  REQUIRE(plan.writes.size() == 4);
  CHECK(Bytes(plan, 0) ==
        R"({"model":"qwen3","created_at":"2026-08-21T12:30:01.104222Z",)"
        R"("response":"Blue","done":false})"
        "\n");
  CHECK(Bytes(plan, 1) ==
        R"({"model":"qwen3","created_at":"2026-08-21T12:30:01.154222Z",)"
        R"("response":" light","done":false})"
        "\n");
  CHECK(Bytes(plan, 3) ==
        R"({"model":"qwen3","created_at":"2026-08-21T12:30:01.254222Z",)"
        R"("response":"","done":true,"done_reason":"stop",)"
        R"("context":[151644,872,198,3838],"total_duration":912440118,)"
        R"("load_duration":61210334,"prompt_eval_count":14,)"
        R"("prompt_eval_duration":88410000,"eval_count":3,)"
        R"("eval_duration":58802917})"
        "\n");
  CHECK(plan.writes[0].content);
  CHECK_FALSE(plan.writes[3].content);
  REQUIRE(plan.writes[3].stats);
  CHECK(*plan.writes[3].stats == script.stats);
  CHECK_FALSE(plan.stream_error);
}

TEST_CASE("A streamed /api/chat carries thinking and omits zero stats",
          "[integration][inference_payloads]") {
  InferenceScript script;
  script.chunks = 2;
  script.thinking_chunks = 1;
  script.stats = {402881560, 0, 22, 41008512, 11, 187652204, ""};
  const ReplyPlan plan =
      Plan(InferenceRoute::kChat,
           R"({"model":"qwen3:8b","messages":[{"role":"user","content":"x"}]})",
           script);
  REQUIRE(plan.writes.size() == 3);
  const Json first = Json::parse(Bytes(plan, 0));
  CHECK(first["message"] ==
        Json::parse(
            R"({"role":"assistant","content":"","thinking":"Think 0. "})"));
  CHECK(Bytes(plan, 1).find(
            R"("message":{"role":"assistant","content":" light"},)"
            R"("done":false})") != std::string::npos);
  CHECK(Bytes(plan, 2).find(
            R"("message":{"role":"assistant","content":""},"done":true,)"
            R"("total_duration":402881560,"prompt_eval_count":22,)"
            R"("prompt_eval_duration":41008512,"eval_count":11,)"
            R"("eval_duration":187652204})") != std::string::npos);
}

TEST_CASE("Non-streamed native replies accumulate the text",
          "[integration][inference_payloads]") {
  InferenceScript script;
  script.chunk_delay_ms = 10;
  const ReplyPlan plan =
      Plan(InferenceRoute::kGenerate,
           R"({"model":"qwen3:8b","prompt":"hi","stream":false,"raw":true})",
           script);
  CHECK(plan.content_type == "application/json; charset=utf-8");
  CHECK_FALSE(plan.streamed);
  CHECK(plan.generation_delay_ms == 30);
  REQUIRE(plan.writes.size() == 1);
  const Json reply = Json::parse(Bytes(plan, 0));
  CHECK(reply["response"] == "Blue light scatters.");
  CHECK(reply["done"] == true);
  CHECK_FALSE(reply.contains("context"));  // raw
  CHECK(reply["eval_count"] == 3);
}

TEST_CASE("Load and unload requests get one object without metrics",
          "[integration][inference_payloads]") {
  const ReplyPlan load =
      Plan(InferenceRoute::kGenerate, R"({"model":"qwen3:8b"})");
  CHECK(load.content_type == "application/json; charset=utf-8");
  CHECK(Bytes(load, 0) ==
        R"({"model":"qwen3:8b","created_at":"2026-08-21T12:30:01.104222Z",)"
        R"("response":"","done":true,"done_reason":"load"})");
  REQUIRE(load.writes[0].stats);
  CHECK(load.writes[0].stats->done_reason == "load");
  CHECK(load.writes[0].stats->eval_count == 0);

  const ReplyPlan unload = Plan(
      InferenceRoute::kChat,
      R"({"model":"qwen3:8b","messages":[],"keep_alive":0,"stream":true})");
  CHECK_FALSE(unload.streamed);
  CHECK(Bytes(unload, 0) ==
        R"({"model":"qwen3:8b","created_at":"2026-08-21T12:30:01.104222Z",)"
        R"("message":{"role":"assistant","content":""},"done":true,)"
        R"("done_reason":"unload"})");
}

TEST_CASE("Embedding routes answer with vectors and prompt counts",
          "[integration][inference_payloads]") {
  CHECK(Bytes(Plan(InferenceRoute::kEmbed,
                   R"({"model":"nomic-embed-text","input":"a"})"),
              0) == R"({"model":"nomic-embed-text",)"
                    R"("embeddings":[[0.0131,-0.0442,0.0907]],)"
                    R"("total_duration":912440118,"load_duration":61210334,)"
                    R"("prompt_eval_count":14})");
  CHECK(Bytes(Plan(InferenceRoute::kEmbed,
                   R"({"model":"nomic-embed-text","input":[]})"),
              0) == R"({"model":"nomic-embed-text","embeddings":[]})");
  CHECK(Bytes(Plan(InferenceRoute::kEmbeddings,
                   R"({"model":"nomic-embed-text","prompt":"a"})"),
              0) == R"({"embedding":[0.0131,-0.0442,0.0907]})");
  CHECK(Bytes(Plan(InferenceRoute::kEmbeddings,
                   R"({"model":"nomic-embed-text","prompt":""})"),
              0) == R"({"embedding":[]})");
  const ReplyPlan v1 =
      Plan(InferenceRoute::kV1Embeddings,
           R"({"model":"nomic-embed-text","input":["a","b"]})");
  CHECK(Bytes(v1, 0) ==
        R"({"object":"list","data":[)"
        R"({"object":"embedding","embedding":[0.0131,-0.0442,0.0907],)"
        R"("index":0},)"
        R"({"object":"embedding","embedding":[0.0131,-0.0442,0.0907],)"
        R"("index":1}],)"
        R"("model":"nomic-embed-text",)"
        R"("usage":{"prompt_tokens":14,"total_tokens":14}})");
}

// The expected strings are Python's
// base64.b64encode(struct.pack("<3f", 0.0131, -0.0442, 0.0907)) and the
// like, worked out apart from the code under test.
TEST_CASE("/v1/embeddings writes base64 float32 vectors when asked",
          "[integration][inference_payloads]") {
  const std::string floats_reply =
      R"({"object":"list","data":[)"
      R"({"object":"embedding","embedding":[0.0131,-0.0442,0.0907],)"
      R"("index":0}],"model":"e",)"
      R"("usage":{"prompt_tokens":14,"total_tokens":14}})";
  CHECK(Bytes(Plan(InferenceRoute::kV1Embeddings,
                   R"({"model":"e","input":"a","encoding_format":"base64"})"),
              0) == R"({"object":"list","data":[)"
                    R"({"object":"embedding","embedding":"YqFWPA8LNb3swLk9",)"
                    R"("index":0}],"model":"e",)"
                    R"("usage":{"prompt_tokens":14,"total_tokens":14}})");
  CHECK(Json::parse(Bytes(
            Plan(InferenceRoute::kV1Embeddings,
                 R"({"model":"e","input":"a","encoding_format":"Base64"})"),
            0))["data"][0]["embedding"] == "YqFWPA8LNb3swLk9");
  CHECK(Bytes(Plan(InferenceRoute::kV1Embeddings,
                   R"({"model":"e","input":"a","encoding_format":"float"})"),
              0) == floats_reply);
  CHECK(Bytes(Plan(InferenceRoute::kV1Embeddings,
                   R"({"model":"e","input":"a","encoding_format":"hex"})"),
              0) == floats_reply);
}

TEST_CASE("Float32Base64 pads to whole groups of four characters",
          "[integration][inference_payloads]") {
  CHECK(payload::Float32Base64({}) == "");
  CHECK(payload::Float32Base64({1.0}) == "AACAPw==");
  CHECK(payload::Float32Base64({1.0, -2.5}) == "AACAPwAAIMA=");
  CHECK(payload::Float32Base64(payload::kVector) == "YqFWPA8LNb3swLk9");
}

TEST_CASE("A /v1/chat/completions stream has the v0.32.6 shape",
          "[integration][inference_payloads]") {
  const std::string head =
      R"(data: {"id":"chatcmpl-88","object":"chat.completion.chunk",)"
      R"("created":1787315401,"model":"qwen3:8b",)"
      R"("system_fingerprint":"fp_ollama",)";
  InferenceScript script;
  script.chunks = 2;
  script.stats.done_reason = "";  // Falls back to stop.

  SECTION("with include_usage") {
    const ReplyPlan plan =
        Plan(InferenceRoute::kV1ChatCompletions,
             R"({"model":"qwen3:8b","messages":[{}],"stream":true,)"
             R"("stream_options":{"include_usage":true}})",
             script);
    CHECK(plan.content_type == "text/event-stream");
    REQUIRE(plan.writes.size() == 3);
    CHECK(Bytes(plan, 0) ==
          head + R"("choices":[{"index":0,"delta":{"role":"assistant",)"
                 R"("content":"Blue"},"finish_reason":null}]})"
                 "\n\n");
    CHECK(Bytes(plan, 1) == head +
                                R"("choices":[{"index":0,"delta":{"content":)"
                                R"(" light"},"finish_reason":null}]})"
                                "\n\n");
    CHECK(Bytes(plan, 2) ==
          head +
              R"("choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
              "\n\n" +
              head +
              R"("choices":[],"usage":{"prompt_tokens":14,)"
              R"("completion_tokens":3,"total_tokens":17}})"
              "\n\ndata: [DONE]\n\n");
    REQUIRE(plan.writes[2].stats);
    CHECK(*plan.writes[2].stats == FinalStats{0, 0, 14, 0, 3, 0, "stop"});
  }

  SECTION("without include_usage there is no usage anywhere") {
    const ReplyPlan plan = Plan(InferenceRoute::kV1ChatCompletions,
                                R"({"model":"qwen3:8b","messages":[{}],)"
                                R"("stream":true})",
                                script);
    CHECK(AllBytes(plan).find("usage") == std::string::npos);
    REQUIRE(plan.writes.back().stats);
    CHECK(*plan.writes.back().stats == FinalStats{0, 0, 0, 0, 0, 0, "stop"});
    CHECK(SseEvents(AllBytes(plan)).back().data == "[DONE]");
  }

  SECTION("the old shape repeats the role and ends on the final chunk") {
    script.old_chat_sse = true;
    script.stats.done_reason = "length";
    const ReplyPlan plan = Plan(InferenceRoute::kV1ChatCompletions,
                                R"({"model":"qwen3:8b","messages":[{}],)"
                                R"("stream":true})",
                                script);
    REQUIRE(plan.writes.size() == 3);
    CHECK(Bytes(plan, 1) ==
          head + R"("choices":[{"index":0,"delta":{"role":"assistant",)"
                 R"("content":" light"},"finish_reason":null}]})"
                 "\n\n");
    CHECK(Bytes(plan, 2) ==
          head + R"("choices":[{"index":0,"delta":{"role":"assistant",)"
                 R"("content":""},"finish_reason":"length"}]})"
                 "\n\ndata: [DONE]\n\n");
  }
}

TEST_CASE("A non-streamed /v1/chat/completions has usage and reasoning",
          "[integration][inference_payloads]") {
  InferenceScript script;
  script.chunks = 2;
  script.thinking_chunks = 1;
  const ReplyPlan plan =
      Plan(InferenceRoute::kV1ChatCompletions,
           R"({"model":"qwen3:8b","messages":[{}]})", script);
  CHECK(Bytes(plan, 0) ==
        R"({"id":"chatcmpl-88","object":"chat.completion",)"
        R"("created":1787315401,"model":"qwen3:8b",)"
        R"("system_fingerprint":"fp_ollama","choices":[{"index":0,)"
        R"("message":{"role":"assistant","content":" light",)"
        R"("reasoning":"Think 0. "},"finish_reason":"stop"}],)"
        R"("usage":{"prompt_tokens":14,"completion_tokens":3,)"
        R"("total_tokens":17}})");
}

TEST_CASE("A /v1/completions stream with include_usage has zero usages",
          "[integration][inference_payloads]") {
  InferenceScript script;
  script.chunks = 1;
  const ReplyPlan plan =
      Plan(InferenceRoute::kV1Completions,
           R"({"model":"qwen3:8b","prompt":"hi","stream":true,)"
           R"("stream_options":{"include_usage":true}})",
           script);
  const std::vector<SseEvent> events = SseEvents(AllBytes(plan));
  REQUIRE(events.size() == 4);
  const std::string zero =
      R"("usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0})";
  CHECK(events[0].data ==
        R"({"id":"cmpl-88","object":"text_completion","created":1787315401,)"
        R"("choices":[{"text":"Blue","index":0,"finish_reason":null}],)"
        R"("model":"qwen3:8b","system_fingerprint":"fp_ollama",)" +
            zero + "}");
  CHECK(Json::parse(events[1].data)["choices"][0]["finish_reason"] == "stop");
  CHECK(events[1].data.find(zero) != std::string::npos);
  const Json usage = Json::parse(events[2].data);
  CHECK(usage["choices"] == Json::array());
  CHECK(usage["usage"]["completion_tokens"] == 3);
  CHECK(events[3].data == "[DONE]");
}

TEST_CASE("/v1/responses and /v1/messages carry usage at the end",
          "[integration][inference_payloads]") {
  InferenceScript script;
  script.chunks = 2;
  SECTION("responses stream") {
    const ReplyPlan plan = Plan(InferenceRoute::kV1Responses,
                                R"({"model":"qwen3:8b","input":"hi",)"
                                R"("stream":true})",
                                script);
    const std::vector<SseEvent> events = SseEvents(AllBytes(plan));
    std::vector<std::string> types;
    for (const SseEvent& event : events) {
      const Json data = Json::parse(event.data);
      CHECK(data["type"] == event.event);
      CHECK(data["sequence_number"] == types.size());
      types.push_back(event.event);
    }
    CHECK(types ==
          std::vector<std::string>{
              "response.created", "response.in_progress",
              "response.output_item.added", "response.content_part.added",
              "response.output_text.delta", "response.output_text.delta",
              "response.output_text.done", "response.content_part.done",
              "response.output_item.done", "response.completed"});
    const Json done = Json::parse(events.back().data);
    CHECK(done["response"]["usage"] ==
          Json::parse(
              R"({"input_tokens":14,"output_tokens":3,"total_tokens":17})"));
    CHECK(done["response"]["output"][0]["content"][0]["text"] == "Blue light");
  }
  SECTION("messages stream") {
    const ReplyPlan plan = Plan(InferenceRoute::kV1Messages,
                                R"({"model":"qwen3:8b","messages":[{}],)"
                                R"("stream":true})",
                                script);
    const std::vector<SseEvent> events = SseEvents(AllBytes(plan));
    REQUIRE(events.size() == 7);
    CHECK(events[0].event == "message_start");
    CHECK(events[2].data == R"({"type":"content_block_delta","index":0,)"
                            R"("delta":{"type":"text_delta","text":"Blue"}})");
    CHECK(events[5].data ==
          R"({"type":"message_delta","delta":{"stop_reason":"end_turn",)"
          R"("stop_sequence":null},"usage":{"input_tokens":14,)"
          R"("output_tokens":3}})");
    CHECK(events[6].data == R"({"type":"message_stop"})");
  }
  SECTION("messages, not streamed") {
    script.stats.done_reason = "length";
    const ReplyPlan plan =
        Plan(InferenceRoute::kV1Messages,
             R"({"model":"qwen3:8b","messages":[{}]})", script);
    CHECK(Bytes(plan, 0) ==
          R"({"id":"msg_88","type":"message","role":"assistant",)"
          R"("model":"qwen3:8b","content":[{"type":"text",)"
          R"("text":"Blue light"}],"stop_reason":"max_tokens",)"
          R"("stop_sequence":null,"usage":{"input_tokens":14,)"
          R"("output_tokens":3}})");
  }
}

TEST_CASE("Errors before the stream take each route family's shape",
          "[integration][inference_payloads]") {
  const std::string chat = R"({"model":"mistral-nemo","messages":[{}]})";
  ReplyPlan plan = Plan(InferenceRoute::kChat, chat, {}, false);
  CHECK(plan.status == 404);
  CHECK(plan.content_type == "application/json; charset=utf-8");
  CHECK(Bytes(plan, 0) == R"({"error":"model 'mistral-nemo' not found"})");

  plan =
      Plan(InferenceRoute::kEmbed, R"({"model":"x","input":"a"})", {}, false);
  CHECK(Bytes(plan, 0) ==
        R"({"error":"model \"x\" not found, try pulling it first"})");

  plan = Plan(InferenceRoute::kV1ChatCompletions, chat, {}, false);
  CHECK(Bytes(plan, 0) ==
        R"({"error":{"message":"model 'mistral-nemo' not found",)"
        R"("type":"not_found_error","param":null,"code":null}})");

  plan = Plan(InferenceRoute::kV1Messages, chat, {}, false);
  CHECK(Bytes(plan, 0) ==
        R"({"type":"error","error":{"type":"not_found_error",)"
        R"("message":"model 'mistral-nemo' not found"}})");

  plan = Plan(InferenceRoute::kChat, R"({"messages":[]})");
  CHECK(plan.status == 400);
  CHECK(Bytes(plan, 0) == R"({"error":"model is required"})");
  plan = Plan(InferenceRoute::kGenerate, R"({"prompt":"x"})", {}, false);
  CHECK(Bytes(plan, 0) == R"({"error":"model '' not found"})");
  plan = Plan(InferenceRoute::kV1ChatCompletions,
              R"({"model":"qwen3:8b","messages":[]})");
  CHECK(plan.status == 400);
  CHECK(Bytes(plan, 0).find(R"("message":"[] is too short - 'messages'",)"
                            R"("type":"invalid_request_error")") !=
        std::string::npos);
  plan = Plan(InferenceRoute::kChat, "");
  CHECK(Bytes(plan, 0) == R"({"error":"missing request body"})");

  InferenceScript busy;
  busy.status = 503;
  plan = Plan(InferenceRoute::kGenerate, R"({"model":"a","prompt":"x"})", busy);
  CHECK(plan.status == 503);
  CHECK(Bytes(plan, 0) == R"({"error":"server busy, please try again.  )"
                          R"(maximum pending requests exceeded"})");
  InferenceScript memory;
  memory.status = 500;
  plan = Plan(InferenceRoute::kV1Completions, R"({"model":"a"})", memory);
  CHECK(Json::parse(Bytes(plan, 0))["error"]["type"] == "api_error");
}

TEST_CASE("Mid-stream errors end each stream as Ollama does",
          "[integration][inference_payloads]") {
  InferenceScript script;
  script.error_after_chunks = 2;
  ReplyPlan plan = Plan(InferenceRoute::kGenerate,
                        R"({"model":"qwen3:8b","prompt":"x"})", script);
  CHECK(plan.stream_error);
  REQUIRE(plan.writes.size() == 3);
  CHECK(Bytes(plan, 2) ==
        R"({"error":"an error was encountered while running the model: )"
        R"(unexpected EOF"})"
        "\n");
  CHECK(AllBytes(plan).find("\"done\":true") == std::string::npos);

  const std::string v1 = R"({"model":"qwen3:8b","messages":[{}],)"
                         R"("stream":true})";
  plan = Plan(InferenceRoute::kV1ChatCompletions, v1, script);
  CHECK(plan.writes.size() == 2);
  CHECK(AllBytes(plan).find("[DONE]") == std::string::npos);
  script.old_chat_sse = true;
  plan = Plan(InferenceRoute::kV1ChatCompletions, v1, script);
  REQUIRE(plan.writes.size() == 3);
  CHECK(Bytes(plan, 2).find(R"("delta":{"role":"assistant","content":""},)"
                            R"("finish_reason":null)") != std::string::npos);

  plan = Plan(InferenceRoute::kV1Messages, v1, script);
  CHECK(SseEvents(AllBytes(plan)).back().event == "error");

  plan = Plan(InferenceRoute::kChat,
              R"({"model":"qwen3:8b","messages":[{}],"stream":false})", script);
  CHECK(plan.status == 500);

  InferenceScript cut;
  cut.close_after_chunks = 1;
  plan = Plan(InferenceRoute::kChat, R"({"model":"q","messages":[{}]})", cut);
  CHECK(plan.cut);
  CHECK(plan.writes.size() == 1);
  CHECK_FALSE(plan.stream_error);
}

}  // namespace
}  // namespace ollama_exporter::integration
