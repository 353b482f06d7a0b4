#include "proxy/reply_fields.h"

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter::proxy {
namespace {

ReplyFields Read(const std::string& text) {
  ReplyFields fields;
  REQUIRE(ReadReplyFields(text, &fields));
  return fields;
}

TEST_CASE("ReadReplyFields reads a native final chunk past its context") {
  const ReplyFields fields = Read(
      R"({"model":"qwen3:8b","response":"","done":true,"done_reason":"stop",)"
      R"("context":[151644,872,{"eval_count":1}],"eval_count":4,)"
      R"("eval_duration":58802917,"load_duration":-5,)"
      R"("total_duration":1.8e19,"prompt_eval_count":2.9})");
  CHECK(fields.done);
  CHECK(fields.done_reason == DoneReason::kStop);
  CHECK_FALSE(fields.response_text);
  CHECK(fields.eval_count == 4);
  CHECK(fields.eval_duration == 58802917);
  CHECK(fields.load_duration == 0);
  CHECK(fields.total_duration == INT64_MAX);
  CHECK(fields.prompt_eval_count == 2);
  CHECK_FALSE(fields.prompt_eval_duration.has_value());
}

TEST_CASE("ReadReplyFields lets the last of repeated keys win") {
  const ReplyFields fields =
      Read(R"({"done":true,"done":false,"response":"a","response":"",)"
           R"("message":{"content":"x"},"message":{"role":"assistant"},)"
           R"("error":"busy","error":null,"eval_count":3,"eval_count":"3"})");
  CHECK_FALSE(fields.done);
  CHECK_FALSE(fields.response_text);
  CHECK_FALSE(fields.message.content_text);
  CHECK_FALSE(fields.error);
  CHECK_FALSE(fields.eval_count.has_value());
}

TEST_CASE("ReadReplyFields matches keys exactly, as a parsed object does") {
  const ReplyFields fields =
      Read(R"({"Done":true,"RESPONSE":"x","d\u006fne_reason":"stop"})");
  CHECK_FALSE(fields.done);
  CHECK_FALSE(fields.response_text);
  // An escaped key is compared decoded.
  CHECK(fields.done_reason == DoneReason::kStop);
}

TEST_CASE("ReadReplyFields reads wrongly typed members as absent") {
  const ReplyFields fields =
      Read(R"({"done":"true","done_reason":7,"tool_calls":{},"thinking":["x"],)"
           R"("message":"hello","usage":[{"prompt_tokens":1}]})");
  CHECK_FALSE(fields.done);
  CHECK_FALSE(fields.done_reason.has_value());
  CHECK_FALSE(fields.tool_calls_items);
  CHECK_FALSE(fields.thinking_text);
  CHECK_FALSE(fields.message.content_text);
  CHECK_FALSE(fields.own.usage.prompt_tokens.has_value());
}

TEST_CASE("ReadReplyFields folds choices: any content, last reason") {
  const ReplyFields fields =
      Read(R"({"choices":[{"finish_reason":"stop"},"odd",)"
           R"({"delta":{"tool_calls":[{}]},"finish_reason":"length"},)"
           R"({"finish_reason":null}]})");
  CHECK(fields.choices.content);
  CHECK(fields.choices.finish_reason == DoneReason::kLength);
  CHECK(fields.choices.array);
  CHECK(fields.choices.entries);

  const ReplyFields usage_only =
      Read(R"({"choices":[],"usage":{},"message":{"usage":null}})");
  CHECK(usage_only.choices.array);
  CHECK_FALSE(usage_only.choices.entries);
  CHECK(usage_only.own.usage.object);
  CHECK_FALSE(usage_only.message.usage.object);
  CHECK_FALSE(Read(R"({"choices":{}})").choices.array);
}

TEST_CASE("ReadReplyFields reads typed events") {
  const ReplyFields fields =
      Read(R"({"type":"response.incomplete","response":{"status":"incomplete",)"
           R"("incomplete_details":{"reason":"max_output_tokens"},)"
           R"("usage":{"input_tokens":9,"output_tokens":1}},)"
           R"("delta":{"text":"","stop_reason":"end_turn"}})");
  CHECK(fields.type == ReplyWord::kResponseIncomplete);
  CHECK(fields.response.status == ReplyWord::kIncomplete);
  CHECK(fields.response.incomplete_reason == DoneReason::kLength);
  CHECK(fields.response.usage.input_tokens == 9);
  CHECK(fields.response.usage.output_tokens == 1);
  CHECK_FALSE(fields.delta.text_member_text);
  CHECK(fields.delta.stop_reason == DoneReason::kStop);
}

TEST_CASE("ReadReplyFields rejects what is not one JSON object") {
  ReplyFields fields;
  for (const char* text :
       {"", "[]", R"("done")", "null", R"({"done":true)", R"({"done":true}{})",
        R"({"done":true} x)", R"([{"done":true}])", "{\"done\":tru}"}) {
    INFO(text);
    CHECK_FALSE(ReadReplyFields(text, &fields));
  }
  CHECK(ReadReplyFields(" {\"done\":true}\r\n", &fields));
  CHECK(fields.done);
}

}  // namespace
}  // namespace ollama_exporter::proxy
