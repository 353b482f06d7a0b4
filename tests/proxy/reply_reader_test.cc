#include "proxy/reply_reader.h"

#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "parse_testing.h"

namespace ollama_exporter::proxy {
namespace {

using testing::ProxyFixture;

constexpr const char* kNdjson = "application/x-ndjson";
constexpr const char* kJson = "application/json; charset=utf-8";
constexpr const char* kSse = "text/event-stream";

// One upstream reply to a request.
struct Reply {
  InferenceEndpoint endpoint;
  bool streamed;
  int status;
  std::string content_type;
  std::string body;
};

Reply FixtureReply(InferenceEndpoint endpoint, bool streamed, int status,
                   const char* content_type, const char* fixture) {
  return {endpoint, streamed, status, content_type, ProxyFixture(fixture)};
}

ReplyReader StartReader(const Reply& reply) {
  InferenceRequest request;
  request.model = "qwen3:8b";
  request.streamed = reply.streamed;
  ReplyReader reader(reply.endpoint, request);
  reader.OnResponseStart(reply.status, reply.content_type);
  return reader;
}

// The body's records (NDJSON lines, SSE events) with their terminators.
std::vector<std::string> Records(const Reply& reply) {
  const std::string separator =
      reply.content_type == kSse ? std::string("\n\n") : std::string("\n");
  std::vector<std::string> records;
  size_t begin = 0;
  while (begin < reply.body.size()) {
    size_t end = reply.body.find(separator, begin);
    end = end == std::string::npos ? reply.body.size() : end + separator.size();
    records.push_back(reply.body.substr(begin, end - begin));
    begin = end;
  }
  return records;
}

// Record i arrives i+1 seconds after the request; the end comes a second
// after the last record.
InferenceFacts ReadByRecord(const Reply& reply,
                            ExchangeEnd end = ExchangeEnd::kComplete) {
  ReplyReader reader = StartReader(reply);
  const std::vector<std::string> records = Records(reply);
  for (size_t i = 0; i < records.size(); ++i) {
    reader.OnResponseBytes(records[i], i + 1.0);
  }
  reader.OnEnd(end, records.size() + 1.0);
  return reader.facts();
}

// Every fact, printed exactly, so two runs compare as strings.
std::string Describe(const InferenceFacts& facts) {
  auto number = [](auto value) {
    if (!value) return std::string("unset");
    char text[64];
    std::snprintf(text, sizeof(text), "%.17g", static_cast<double>(*value));
    return std::string(text);
  };
  return std::string(EndpointLabel(facts.endpoint)) +
         " model=" + facts.requested_model +
         " streamed=" + (facts.streamed ? "1" : "0") +
         " status=" + std::to_string(facts.http_status) +
         " outcome=" + std::string(OutcomeLabel(facts.outcome)) +
         " reason=" + std::string(DoneReasonLabel(facts.done_reason)) +
         " prompt=" + number(facts.prompt_tokens) +
         " generated=" + number(facts.generated_tokens) +
         " load=" + number(facts.load_seconds) +
         " prompt_eval=" + number(facts.prompt_eval_seconds) +
         " eval=" + number(facts.eval_seconds) +
         " total=" + number(facts.total_seconds) +
         " request=" + number(std::optional<double>(facts.request_seconds)) +
         " ttft=" + number(facts.time_to_first_token_seconds) +
         " tps=" + number(facts.tokens_per_second);
}

TEST_CASE("A native generate stream yields tokens, seconds and speed",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kGenerate, true, 200,
                                kNdjson, "generate_stream.ndjson"));
  CHECK(facts.endpoint == InferenceEndpoint::kGenerate);
  CHECK(facts.requested_model == "qwen3:8b");
  CHECK(facts.streamed);
  CHECK(facts.http_status == 200);
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kStop);
  CHECK(facts.prompt_tokens == 14u);
  CHECK(facts.generated_tokens == 4u);
  CHECK(facts.load_seconds == 0.061210334);
  CHECK(facts.prompt_eval_seconds == 0.08841);
  CHECK(facts.eval_seconds == 0.058802917);
  CHECK(facts.total_seconds == 0.912440118);
  CHECK(facts.time_to_first_token_seconds == 1.0);
  CHECK(facts.tokens_per_second == 4 / 0.058802917);
  CHECK(facts.request_seconds == 5.0);
}

TEST_CASE("Chat TTFT counts thinking and tool calls, not empty chunks",
          "[proxy][parse]") {
  SECTION("thinking after an empty chunk") {
    const InferenceFacts facts =
        ReadByRecord(FixtureReply(InferenceEndpoint::kChat, true, 200, kNdjson,
                                  "chat_stream_thinking.ndjson"));
    CHECK(facts.outcome == Outcome::kOk);
    CHECK(facts.time_to_first_token_seconds == 2.0);
    CHECK(facts.prompt_tokens == 22u);
    CHECK(facts.generated_tokens == 11u);
    CHECK(facts.load_seconds == 0.030512771);
    CHECK(facts.tokens_per_second == 11 / 0.187652204);
  }
  SECTION("a tool call as the first chunk") {
    const InferenceFacts facts =
        ReadByRecord(FixtureReply(InferenceEndpoint::kChat, true, 200, kNdjson,
                                  "chat_stream_tool_call.ndjson"));
    CHECK(facts.time_to_first_token_seconds == 1.0);
    CHECK(facts.tokens_per_second == 18 / 0.2);
  }
}

TEST_CASE("A final chunk lacking prompt_eval_count leaves it unset",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kChat, true, 200, kNdjson,
                                "chat_final_no_prompt_count.ndjson"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kStop);
  CHECK_FALSE(facts.prompt_tokens);
  CHECK_FALSE(facts.prompt_eval_seconds);
  CHECK(facts.generated_tokens == 38u);
  CHECK(facts.eval_seconds == 1.210482);
}

TEST_CASE("A final chunk with text and a length cut counts its text",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kGenerate, true, 200,
                                kNdjson, "generate_final_text_length.ndjson"));
  CHECK(facts.done_reason == DoneReason::kLength);
  CHECK(facts.time_to_first_token_seconds == 2.0);
  CHECK(facts.generated_tokens == 1u);
  CHECK(facts.eval_seconds == 0.000001);
  // One token in a microsecond is no speed (edge case 22).
  CHECK_FALSE(facts.tokens_per_second);
}

TEST_CASE("A final chunk without done_reason reads as none", "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kChat, true, 200, kNdjson,
                                "chat_final_no_reason.ndjson"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kNone);
  CHECK(facts.prompt_tokens == 2048u);
  CHECK(facts.total_seconds == 8.139);
  CHECK(facts.tokens_per_second == 300 / 2.676);
}

TEST_CASE("Negative or mistyped durations are clamped or dropped",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kGenerate, true, 200,
                                kNdjson, "generate_negative_durations.ndjson"));
  CHECK(facts.done_reason == DoneReason::kOther);
  CHECK(facts.load_seconds == 0.0);
  CHECK(facts.prompt_tokens == 0u);
  CHECK_FALSE(facts.prompt_eval_seconds);
  CHECK(facts.total_seconds == 0.00000184);
  CHECK(facts.tokens_per_second == 7 / 1.84);
}

TEST_CASE("A mid-stream error line is a stream error with no tokens",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kGenerate, true, 200,
                                kNdjson, "generate_mid_stream_error.ndjson"));
  CHECK(facts.outcome == Outcome::kStreamError);
  CHECK(facts.done_reason == DoneReason::kNone);
  CHECK(facts.time_to_first_token_seconds == 1.0);
  CHECK_FALSE(facts.generated_tokens);
  CHECK_FALSE(facts.tokens_per_second);
  CHECK(facts.request_seconds == 4.0);
}

TEST_CASE("Load and unload replies carry only their reason", "[proxy][parse]") {
  // One JSON object, although the client asked for a stream.
  const InferenceFacts load = ReadByRecord(FixtureReply(
      InferenceEndpoint::kGenerate, true, 200, kJson, "generate_load.json"));
  CHECK(load.outcome == Outcome::kOk);
  CHECK(load.done_reason == DoneReason::kLoad);
  CHECK_FALSE(load.prompt_tokens);
  CHECK_FALSE(load.total_seconds);
  CHECK_FALSE(load.time_to_first_token_seconds);

  const InferenceFacts unload = ReadByRecord(FixtureReply(
      InferenceEndpoint::kChat, true, 200, kJson, "chat_unload.json"));
  CHECK(unload.outcome == Outcome::kOk);
  CHECK(unload.done_reason == DoneReason::kUnload);
}

TEST_CASE("A non-streamed native reply has tokens but no TTFT",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kGenerate, false, 200, kJson,
                                "generate_non_stream.json"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kStop);
  CHECK(facts.generated_tokens == 4u);
  CHECK(facts.tokens_per_second == 4 / 0.058802917);
  CHECK_FALSE(facts.time_to_first_token_seconds);
  CHECK(facts.request_seconds == 2.0);
}

TEST_CASE("Errors before the stream count by status", "[proxy][parse]") {
  const auto outcome = [](int status, const char* content_type,
                          const char* fixture) {
    const InferenceFacts facts = ReadByRecord(FixtureReply(
        InferenceEndpoint::kChat, true, status, content_type, fixture));
    CHECK(facts.http_status == status);
    CHECK_FALSE(facts.generated_tokens);
    CHECK_FALSE(facts.time_to_first_token_seconds);
    CHECK(facts.done_reason == DoneReason::kNone);
    return facts.outcome;
  };
  CHECK(outcome(404, kJson, "error_404_not_found.json") ==
        Outcome::kClientError);
  CHECK(outcome(500, "application/json", "error_500_memory.json") ==
        Outcome::kServerError);
  CHECK(outcome(503, kJson, "error_503_busy.json") == Outcome::kServerError);
  CHECK(outcome(404, "text/plain", "router_404.txt") == Outcome::kClientError);
  CHECK(outcome(499, kJson, "error_404_not_found.json") ==
        Outcome::kClientError);
}

TEST_CASE("Embedding replies count prompt tokens only", "[proxy][parse]") {
  const InferenceFacts embed = ReadByRecord(
      FixtureReply(InferenceEndpoint::kEmbed, false, 200, kJson, "embed.json"));
  CHECK(embed.outcome == Outcome::kOk);
  CHECK(embed.prompt_tokens == 9u);
  CHECK(embed.load_seconds == 0.002210771);
  CHECK(embed.total_seconds == 0.04023351);
  CHECK_FALSE(embed.generated_tokens);
  CHECK_FALSE(embed.eval_seconds);
  CHECK(embed.done_reason == DoneReason::kNone);

  const InferenceFacts empty = ReadByRecord(FixtureReply(
      InferenceEndpoint::kEmbed, false, 200, kJson, "embed_empty_input.json"));
  CHECK(empty.outcome == Outcome::kOk);
  CHECK_FALSE(empty.prompt_tokens);

  const InferenceFacts legacy =
      ReadByRecord(FixtureReply(InferenceEndpoint::kEmbeddings, false, 200,
                                kJson, "embeddings_legacy.json"));
  CHECK(legacy.outcome == Outcome::kOk);
  CHECK_FALSE(legacy.prompt_tokens);
  CHECK(legacy.request_seconds == 2.0);

  const InferenceFacts v1 =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1Embeddings, false, 200,
                                kJson, "v1_embeddings.json"));
  CHECK(v1.outcome == Outcome::kOk);
  CHECK(v1.prompt_tokens == 9u);
  CHECK_FALSE(v1.generated_tokens);
}

TEST_CASE("A /v1 chat stream with usage yields tokens, TTFT and speed",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, true,
                                200, kSse, "v1_chat_stream_usage.sse"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kStop);
  CHECK(facts.prompt_tokens == 22u);
  CHECK(facts.generated_tokens == 11u);
  CHECK(facts.time_to_first_token_seconds == 1.0);
  // Ten tokens after the first, between the chunks at 1 s and 2 s.
  CHECK(facts.tokens_per_second == 10.0);
  CHECK_FALSE(facts.eval_seconds);
  CHECK(facts.request_seconds == 6.0);
}

TEST_CASE("A /v1 chat stream without usage has no token counts",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, true,
                                200, kSse, "v1_chat_stream_no_usage.sse"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kStop);
  CHECK_FALSE(facts.prompt_tokens);
  CHECK_FALSE(facts.generated_tokens);
  CHECK_FALSE(facts.tokens_per_second);
  CHECK(facts.time_to_first_token_seconds == 1.0);
}

TEST_CASE("The old /v1 chat shape maps tool_calls to stop", "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, true,
                                200, kSse, "v1_chat_stream_old_shape.sse"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kStop);
  CHECK(facts.prompt_tokens == 61u);
  CHECK(facts.generated_tokens == 24u);
  CHECK(facts.time_to_first_token_seconds == 1.0);
  CHECK(facts.tokens_per_second == 23.0);
}

TEST_CASE("A /v1 stream cut before [DONE] is a stream error",
          "[proxy][parse]") {
  const Reply reply = FixtureReply(InferenceEndpoint::kV1ChatCompletions, true,
                                   200, kSse, "v1_chat_stream_cut.sse");
  for (ExchangeEnd end :
       {ExchangeEnd::kComplete, ExchangeEnd::kUpstreamFailed}) {
    const InferenceFacts facts = ReadByRecord(reply, end);
    CHECK(facts.outcome == Outcome::kStreamError);
    CHECK(facts.done_reason == DoneReason::kNone);
    CHECK(facts.time_to_first_token_seconds == 1.0);
  }
}

TEST_CASE("/v1/completions takes the last usage, not the sum",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1Completions, true, 200,
                                kSse, "v1_completions_stream_usage.sse"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kLength);
  CHECK(facts.prompt_tokens == 14u);
  CHECK(facts.generated_tokens == 4u);
  CHECK(facts.time_to_first_token_seconds == 1.0);
  CHECK(facts.tokens_per_second == 1.5);
}

TEST_CASE("Non-streamed /v1 replies yield usage and finish reason",
          "[proxy][parse]") {
  const InferenceFacts chat =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, false,
                                200, kJson, "v1_chat.json"));
  CHECK(chat.outcome == Outcome::kOk);
  CHECK(chat.done_reason == DoneReason::kStop);
  CHECK(chat.prompt_tokens == 22u);
  CHECK(chat.generated_tokens == 11u);
  CHECK_FALSE(chat.time_to_first_token_seconds);
  CHECK_FALSE(chat.tokens_per_second);

  const InferenceFacts null_finish =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, false,
                                200, kJson, "v1_chat_null_finish.json"));
  CHECK(null_finish.done_reason == DoneReason::kNone);
  CHECK(null_finish.generated_tokens == 0u);

  const InferenceFacts responses = ReadByRecord(FixtureReply(
      InferenceEndpoint::kV1Responses, false, 200, kJson, "v1_responses.json"));
  CHECK(responses.outcome == Outcome::kOk);
  CHECK(responses.done_reason == DoneReason::kStop);
  CHECK(responses.prompt_tokens == 22u);
  CHECK(responses.generated_tokens == 11u);

  const InferenceFacts messages = ReadByRecord(FixtureReply(
      InferenceEndpoint::kV1Messages, false, 200, kJson, "v1_messages.json"));
  CHECK(messages.outcome == Outcome::kOk);
  CHECK(messages.done_reason == DoneReason::kLength);
  CHECK(messages.prompt_tokens == 22u);
  CHECK(messages.generated_tokens == 11u);
}

TEST_CASE("An Anthropic message stream ends at message_stop",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1Messages, true, 200, kSse,
                                "v1_messages_stream.sse"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kStop);
  CHECK(facts.prompt_tokens == 22u);
  CHECK(facts.generated_tokens == 11u);
  CHECK(facts.time_to_first_token_seconds == 3.0);
  CHECK(facts.tokens_per_second == 10.0);
}

TEST_CASE("A Responses API stream ends at response.completed",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1Responses, true, 200,
                                kSse, "v1_responses_stream.sse"));
  CHECK(facts.outcome == Outcome::kOk);
  CHECK(facts.done_reason == DoneReason::kLength);
  CHECK(facts.prompt_tokens == 22u);
  CHECK(facts.generated_tokens == 11u);
  CHECK(facts.time_to_first_token_seconds == 2.0);
  CHECK(facts.tokens_per_second == 10.0);
}

TEST_CASE("OpenAI-shaped errors count by status", "[proxy][parse]") {
  const InferenceFacts not_found =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, true,
                                404, kJson, "v1_error_404.json"));
  CHECK(not_found.outcome == Outcome::kClientError);
  const InferenceFacts invalid =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, false,
                                400, kJson, "v1_error_400.json"));
  CHECK(invalid.outcome == Outcome::kClientError);
  CHECK_FALSE(invalid.prompt_tokens);
}

TEST_CASE("An error object in a 2xx reply is a stream error",
          "[proxy][parse]") {
  const InferenceFacts facts =
      ReadByRecord(FixtureReply(InferenceEndpoint::kV1ChatCompletions, false,
                                200, kJson, "v1_error_404.json"));
  CHECK(facts.outcome == Outcome::kStreamError);
}

TEST_CASE("The exchange's end decides cut streams and cancellations",
          "[proxy][parse]") {
  const Reply stream = FixtureReply(InferenceEndpoint::kGenerate, true, 200,
                                    kNdjson, "generate_stream.ndjson");
  SECTION("the client went away") {
    CHECK(ReadByRecord(stream, ExchangeEnd::kClientGone).outcome ==
          Outcome::kClientCanceled);
  }
  SECTION("the connection broke after done:true") {
    CHECK(ReadByRecord(stream, ExchangeEnd::kUpstreamFailed).outcome ==
          Outcome::kOk);
  }
  SECTION("the stream ended without done:true") {
    Reply cut = stream;
    cut.body.resize(cut.body.rfind("{\"model\""));
    for (ExchangeEnd end :
         {ExchangeEnd::kComplete, ExchangeEnd::kUpstreamFailed}) {
      const InferenceFacts facts = ReadByRecord(cut, end);
      CHECK(facts.outcome == Outcome::kStreamError);
      CHECK(facts.time_to_first_token_seconds == 1.0);
      CHECK_FALSE(facts.generated_tokens);
    }
  }
  SECTION("a single reply broke off") {
    Reply cut = FixtureReply(InferenceEndpoint::kGenerate, false, 200, kJson,
                             "generate_non_stream.json");
    cut.body.resize(40);
    CHECK(ReadByRecord(cut, ExchangeEnd::kUpstreamFailed).outcome ==
          Outcome::kStreamError);
  }
  SECTION("Ollama could not be reached") {
    ReplyReader reader(InferenceEndpoint::kChat, InferenceRequest{});
    reader.OnEnd(ExchangeEnd::kUpstreamFailed, 0.25);
    CHECK(reader.facts().outcome == Outcome::kServerError);
    CHECK(reader.facts().http_status == 0);
    CHECK(reader.facts().request_seconds == 0.25);
  }
}

TEST_CASE("CRLF line ends read like LF", "[proxy][parse]") {
  for (const char* name :
       {"v1_chat_stream_usage.sse", "generate_stream.ndjson"}) {
    const bool sse = std::string(name).find(".sse") != std::string::npos;
    const Reply lf = FixtureReply(sse ? InferenceEndpoint::kV1ChatCompletions
                                      : InferenceEndpoint::kGenerate,
                                  true, 200, sse ? kSse : kNdjson, name);
    Reply crlf = lf;
    crlf.body.clear();
    for (char c : lf.body) crlf.body += c == '\n' ? "\r\n" : std::string(1, c);

    ReplyReader lf_reader = StartReader(lf);
    lf_reader.OnResponseBytes(lf.body, 1.0);
    lf_reader.OnEnd(ExchangeEnd::kComplete, 2.0);
    ReplyReader crlf_reader = StartReader(crlf);
    crlf_reader.OnResponseBytes(crlf.body, 1.0);
    crlf_reader.OnEnd(ExchangeEnd::kComplete, 2.0);
    CHECK(Describe(crlf_reader.facts()) == Describe(lf_reader.facts()));
    CHECK(crlf_reader.facts().outcome == Outcome::kOk);
  }
}

TEST_CASE("A line over the cap is skipped, the rest still read",
          "[proxy][parse]") {
  InferenceRequest request;
  request.streamed = true;
  ReplyReader reader(InferenceEndpoint::kGenerate, request, 256);
  reader.OnResponseStart(200, kNdjson);
  const std::string long_line =
      "{\"response\":\"" + std::string(1000, 'x') + "\",\"done\":false}\n";
  reader.OnResponseBytes(long_line.substr(0, 500), 1.0);
  reader.OnResponseBytes(long_line.substr(500), 2.0);
  reader.OnResponseBytes(
      "{\"response\":\"y\",\"done\":true,\"done_reason\":\"stop\","
      "\"eval_count\":3}\n",
      3.0);
  reader.OnEnd(ExchangeEnd::kComplete, 4.0);
  CHECK(reader.facts().outcome == Outcome::kOk);
  CHECK(reader.facts().generated_tokens == 3u);
  CHECK(reader.facts().time_to_first_token_seconds == 3.0);
}

TEST_CASE("A single reply may be far longer than a stream line",
          "[proxy][parse]") {
  // An embedding batch: vectors first, the counts Ollama adds at the end.
  std::string vectors = "[[0.0131";
  for (int i = 0; i < 400; ++i) vectors += ",-0.0442";
  vectors += "]]";
  const std::string body =
      "{\"model\":\"nomic-embed-text\",\"embeddings\":" + vectors +
      ",\"load_duration\":2000000,"
      "\"prompt_eval_count\":14}";
  InferenceRequest request;
  for (size_t single_cap : {size_t{4096}, size_t{1024}}) {
    INFO("single reply cap " << single_cap);
    ReplyReader reader(InferenceEndpoint::kEmbed, request, 256, single_cap);
    reader.OnResponseStart(200, kJson);
    reader.OnResponseBytes(body.substr(0, 1000), 1.0);
    reader.OnResponseBytes(body.substr(1000), 2.0);
    reader.OnEnd(ExchangeEnd::kComplete, 3.0);
    CHECK(reader.facts().outcome == Outcome::kOk);
    if (single_cap > body.size()) {
      CHECK(reader.facts().prompt_tokens == 14u);
      CHECK(reader.facts().load_seconds == 0.002);
    } else {
      CHECK_FALSE(reader.facts().prompt_tokens);
    }
  }
}

std::vector<Reply> AllReplies() {
  using E = InferenceEndpoint;
  return {
      FixtureReply(E::kGenerate, true, 200, kNdjson, "generate_stream.ndjson"),
      FixtureReply(E::kChat, true, 200, kNdjson, "chat_stream_thinking.ndjson"),
      FixtureReply(E::kChat, true, 200, kNdjson,
                   "chat_stream_tool_call.ndjson"),
      FixtureReply(E::kChat, true, 200, kNdjson,
                   "chat_final_no_prompt_count.ndjson"),
      FixtureReply(E::kGenerate, true, 200, kNdjson,
                   "generate_final_text_length.ndjson"),
      FixtureReply(E::kChat, true, 200, kNdjson, "chat_final_no_reason.ndjson"),
      FixtureReply(E::kGenerate, true, 200, kNdjson,
                   "generate_mid_stream_error.ndjson"),
      FixtureReply(E::kGenerate, true, 200, kNdjson,
                   "generate_negative_durations.ndjson"),
      FixtureReply(E::kGenerate, true, 200, kJson, "generate_load.json"),
      FixtureReply(E::kChat, true, 200, kJson, "chat_unload.json"),
      FixtureReply(E::kGenerate, false, 200, kJson, "generate_non_stream.json"),
      FixtureReply(E::kGenerate, true, 404, kJson, "error_404_not_found.json"),
      FixtureReply(E::kChat, true, 500, kJson, "error_500_memory.json"),
      FixtureReply(E::kChat, true, 503, kJson, "error_503_busy.json"),
      FixtureReply(E::kChat, true, 404, "text/plain", "router_404.txt"),
      FixtureReply(E::kEmbed, false, 200, kJson, "embed.json"),
      FixtureReply(E::kEmbed, false, 200, kJson, "embed_empty_input.json"),
      FixtureReply(E::kEmbeddings, false, 200, kJson, "embeddings_legacy.json"),
      FixtureReply(E::kV1ChatCompletions, true, 200, kSse,
                   "v1_chat_stream_usage.sse"),
      FixtureReply(E::kV1ChatCompletions, true, 200, kSse,
                   "v1_chat_stream_no_usage.sse"),
      FixtureReply(E::kV1ChatCompletions, true, 200, kSse,
                   "v1_chat_stream_old_shape.sse"),
      FixtureReply(E::kV1ChatCompletions, true, 200, kSse,
                   "v1_chat_stream_cut.sse"),
      FixtureReply(E::kV1Completions, true, 200, kSse,
                   "v1_completions_stream_usage.sse"),
      FixtureReply(E::kV1ChatCompletions, false, 200, kJson, "v1_chat.json"),
      FixtureReply(E::kV1ChatCompletions, false, 200, kJson,
                   "v1_chat_null_finish.json"),
      FixtureReply(E::kV1Embeddings, false, 200, kJson, "v1_embeddings.json"),
      FixtureReply(E::kV1ChatCompletions, true, 404, kJson,
                   "v1_error_404.json"),
      FixtureReply(E::kV1ChatCompletions, false, 400, kJson,
                   "v1_error_400.json"),
      FixtureReply(E::kV1Responses, false, 200, kJson, "v1_responses.json"),
      FixtureReply(E::kV1Messages, false, 200, kJson, "v1_messages.json"),
      FixtureReply(E::kV1Messages, true, 200, kSse, "v1_messages_stream.sse"),
      FixtureReply(E::kV1Responses, true, 200, kSse, "v1_responses_stream.sse"),
  };
}

TEST_CASE("Facts do not depend on where the body is split", "[proxy][parse]") {
  for (const Reply& reply : AllReplies()) {
    ReplyReader whole = StartReader(reply);
    whole.OnResponseBytes(reply.body, 1.0);
    whole.OnEnd(ExchangeEnd::kComplete, 2.0);
    const std::string expected = Describe(whole.facts());
    INFO(expected);

    for (size_t split = 0; split <= reply.body.size(); ++split) {
      ReplyReader reader = StartReader(reply);
      reader.OnResponseBytes(std::string_view(reply.body).substr(0, split),
                             1.0);
      reader.OnResponseBytes(std::string_view(reply.body).substr(split), 1.0);
      reader.OnEnd(ExchangeEnd::kComplete, 2.0);
      if (Describe(reader.facts()) != expected) {
        FAIL_CHECK("split at " << split << ": " << Describe(reader.facts()));
        break;
      }
    }

    ReplyReader bytewise = StartReader(reply);
    for (char c : reply.body) bytewise.OnResponseBytes({&c, 1}, 1.0);
    bytewise.OnEnd(ExchangeEnd::kComplete, 2.0);
    CHECK(Describe(bytewise.facts()) == expected);
  }
}

}  // namespace
}  // namespace ollama_exporter::proxy
