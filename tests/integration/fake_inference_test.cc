// FakeOllama's inference routes over real HTTP, through PostStreaming.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "exporter_process.h"
#include "fake_ollama.h"
#include "http_get.h"
#include "ollama_payloads.h"
#include "require_ok.h"
#include "stream_client.h"

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::json;

constexpr char kModel[] = "qwen3:8b";
constexpr char kChatBody[] =
    R"({"model":"qwen3:8b","messages":[{"role":"user","content":"hi"}]})";
constexpr char kGenerateBody[] = R"({"model":"qwen3:8b","prompt":"hi"})";

std::unique_ptr<FakeOllama> StartFake(bool keep_alive = false) {
  FakeOllamaOptions options;
  options.keep_alive = keep_alive;
  std::unique_ptr<FakeOllama> fake;
  const Status status = FakeOllama::Start(options, &fake);
  INFO(status.ToString());
  REQUIRE(status.ok());
  TagsModel qwen;
  qwen.name = kModel;
  TagsModel embed;
  embed.name = "nomic-embed-text:latest";
  fake->SetTagsJson(TagsJson({qwen, embed}));
  return fake;
}

StreamReply Post(const FakeOllama& fake, const std::string& path,
                 const std::string& body, int timeout_ms = 10000) {
  StreamRequest request;
  request.url = fake.url() + path;
  request.body = body;
  request.timeout_ms = timeout_ms;
  StreamReply reply;
  const Status status = PostStreaming(request, &reply);
  INFO(path << " -> " << status.ToString());
  REQUIRE(status.ok());
  return reply;
}

ServedRequest OnlyServed(const FakeOllama& fake) {
  REQUIRE_OK(fake.WaitForRequests(1, 5000));
  const std::vector<ServedRequest> served = fake.served();
  REQUIRE(served.size() == 1);
  return served[0];
}

TEST_CASE("FakeOllama streams /api/generate as NDJSON and records it",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  const StreamReply reply = Post(*fake, "/api/generate", kGenerateBody);
  CHECK(reply.status == 200);
  CHECK(reply.content_type == "application/x-ndjson");
  const std::vector<std::string> lines = NdjsonLines(reply.body);
  REQUIRE(lines.size() == 4);
  std::string text;
  for (size_t i = 0; i < 3; ++i) {
    const Json chunk = Json::parse(lines[i]);
    CHECK(chunk["model"] == kModel);
    CHECK(chunk["done"] == false);
    CHECK_FALSE(chunk.contains("eval_count"));
    text += chunk["response"].get<std::string>();
  }
  CHECK(text == "Blue light scatters.");
  const Json final_chunk = Json::parse(lines[3]);
  CHECK(final_chunk["done"] == true);
  CHECK(final_chunk["done_reason"] == "stop");
  CHECK(final_chunk["eval_count"] == 3);
  CHECK(final_chunk["eval_duration"] == 58802917);

  const ServedRequest served = OnlyServed(*fake);
  CHECK(served.sequence == 1);
  CHECK(served.path == "/api/generate");
  CHECK(served.model == kModel);
  CHECK(served.streamed);
  CHECK_FALSE(served.include_usage);
  CHECK(served.request_body == kGenerateBody);
  CHECK(served.status == 200);
  CHECK(served.writes_sent == 4);
  CHECK(served.content_chunks_sent == 3);
  CHECK(served.final_sent);
  CHECK(served.stats_sent == InferenceScript().stats);
  CHECK(served.body_sent == reply.body);
  CHECK_FALSE(served.client_went_away);
  CHECK_FALSE(served.stream_error);
  CHECK_FALSE(served.cut);
}

TEST_CASE("FakeOllama answers every inference route with its content type",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();

  struct Case {
    const char* path;
    std::string body;
    const char* content_type;
    const char* marker;  // A piece of the reply's shape.
  };

  const std::string sse_chat =
      R"({"model":"qwen3:8b","messages":[{}],"stream":true,)"
      R"("stream_options":{"include_usage":true}})";
  const std::vector<Case> cases = {
      {"/api/chat", kChatBody, "application/x-ndjson",
       R"("message":{"role":"assistant","content":"Blue"})"},
      {"/api/chat", R"({"model":"qwen3:8b","messages":[{}],"stream":false})",
       "application/json; charset=utf-8",
       R"("content":"Blue light scatters.")"},
      {"/api/embed", R"({"model":"nomic-embed-text","input":"a"})",
       "application/json; charset=utf-8", R"("embeddings":[[)"},
      {"/api/embeddings", R"({"model":"nomic-embed-text","prompt":"a"})",
       "application/json; charset=utf-8", R"({"embedding":[)"},
      {"/v1/chat/completions", sse_chat, "text/event-stream",
       R"("choices":[],"usage":{"prompt_tokens":14,)"},
      {"/v1/chat/completions", kChatBody, "application/json; charset=utf-8",
       R"("object":"chat.completion")"},
      {"/v1/completions", R"({"model":"qwen3:8b","prompt":"hi"})",
       "application/json; charset=utf-8", R"("object":"text_completion")"},
      {"/v1/embeddings", R"({"model":"nomic-embed-text","input":"a"})",
       "application/json; charset=utf-8", R"("object":"embedding")"},
      {"/v1/responses", R"({"model":"qwen3:8b","input":"hi","stream":true})",
       "text/event-stream", "event: response.completed"},
      {"/v1/messages", R"({"model":"qwen3:8b","messages":[{}]})",
       "application/json; charset=utf-8", R"("type":"message")"},
  };
  for (const Case& c : cases) {
    INFO(c.path << " " << c.body);
    const StreamReply reply = Post(*fake, c.path, c.body);
    CHECK(reply.status == 200);
    CHECK(reply.content_type == c.content_type);
    CHECK(reply.body.find(c.marker) != std::string::npos);
  }
  REQUIRE_OK(fake->WaitForRequests(cases.size(), 5000));
  const std::vector<ServedRequest> served = fake->served();
  REQUIRE(served.size() == cases.size());
  CHECK(served[4].include_usage);
  CHECK(served[4].stats_sent == FinalStats{0, 0, 14, 0, 3, 0, "stop"});
  CHECK(served[2].stats_sent ==
        FinalStats{912440118, 61210334, 14, 0, 0, 0, ""});
}

TEST_CASE("FakeOllama answers unknown models 404 and GET 405",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  StreamReply reply =
      Post(*fake, "/api/chat", R"({"model":"mistral-nemo","messages":[{}]})");
  CHECK(reply.status == 404);
  CHECK(reply.content_type == "application/json; charset=utf-8");
  CHECK(reply.body == R"({"error":"model 'mistral-nemo' not found"})");
  // "qwen3:8b" is installed; "qwen3" means qwen3:latest, which is not.
  reply = Post(*fake, "/v1/chat/completions",
               R"({"model":"qwen3","messages":[{}]})");
  CHECK(reply.status == 404);
  CHECK(Json::parse(reply.body)["error"]["type"] == "not_found_error");

  HttpReply get;
  REQUIRE_OK(HttpGet(fake->url() + "/api/generate", 5000, &get));
  CHECK(get.status == 405);
  CHECK(get.body == "405 method not allowed");
}

TEST_CASE("FakeOllama sends a chunk every chunk_delay_ms",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  InferenceScript script;
  script.chunks = 5;
  script.chunk_delay_ms = 50;
  fake->SetInferenceScript(script);
  const StreamReply reply = Post(*fake, "/api/chat", kChatBody);
  REQUIRE(reply.pieces.size() == 6);  // One HTTP chunk per line.
  for (size_t i = 1; i < reply.pieces.size(); ++i) {
    INFO("piece " << i);
    CHECK(reply.pieces[i].seconds - reply.pieces[i - 1].seconds >= 0.040);
    CHECK(NdjsonLines(reply.pieces[i].bytes).size() == 1);
  }
  CHECK(reply.seconds >= 0.25);
}

TEST_CASE("FakeOllama holds the last chunk until released",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  InferenceScript script;
  script.hold_last_chunk = true;
  fake->SetInferenceScript(script);

  SECTION("a release after the first chunk lets the last one go") {
    script.chunk_delay_ms = 30;  // Chunks arrive one by one.
    fake->SetInferenceScript(script);
    double released_at = 0;
    StreamRequest request;
    request.url = fake->url() + "/v1/chat/completions";
    request.body = R"({"model":"qwen3:8b","messages":[{}],"stream":true})";
    request.on_piece = [&](const StreamReply& so_far) {
      if (so_far.pieces.size() == 1) {
        // The fake has sent chunk 1 and not the last: it waits for us.
        CHECK(fake->served().empty());
        CHECK(Eventually([&] { return fake->HeldRequests() == 1; }, 5000));
        released_at = so_far.pieces[0].seconds;
        fake->Release();
      }
      return true;
    };
    StreamReply reply;
    REQUIRE_OK(PostStreaming(request, &reply));
    REQUIRE(reply.pieces.size() >= 2);
    CHECK(reply.pieces.back().seconds > released_at);
    CHECK(reply.pieces.back().bytes.find("[DONE]") != std::string::npos);
    CHECK(reply.pieces[0].bytes.find("[DONE]") == std::string::npos);
    CHECK(SseEvents(reply.body).back().data == "[DONE]");
    const ServedRequest served = OnlyServed(*fake);
    CHECK_FALSE(served.hold_timed_out);
    CHECK(served.final_sent);
  }

  SECTION("without a release the hold ends after hold_timeout_ms") {
    script.hold_timeout_ms = 200;
    fake->SetInferenceScript(script);
    const StreamReply reply = Post(*fake, "/api/chat", kChatBody);
    CHECK(reply.seconds >= 0.2);
    CHECK(NdjsonLines(reply.body).size() == 4);
    CHECK(OnlyServed(*fake).hold_timed_out);
  }

  SECTION("a release before the request does not count") {
    fake->Release();
    script.hold_timeout_ms = 200;
    fake->SetInferenceScript(script);
    const StreamReply reply = Post(*fake, "/api/chat", kChatBody);
    CHECK(reply.seconds >= 0.2);
    CHECK(OnlyServed(*fake).hold_timed_out);
  }
}

TEST_CASE("FakeOllama waits or hangs before the first byte",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  InferenceScript script;

  SECTION("a delay") {
    script.first_byte_delay_ms = 300;
    fake->SetInferenceScript(script);
    const StreamReply reply = Post(*fake, "/api/generate", kGenerateBody);
    REQUIRE_FALSE(reply.pieces.empty());
    CHECK(reply.pieces[0].seconds >= 0.3);
  }

  SECTION("a hang until released") {
    script.hang_before_first_byte = true;
    fake->SetInferenceScript(script);
    StreamReply reply;
    Status status;
    std::thread client([&] {
      StreamRequest request;
      request.url = fake->url() + "/api/generate";
      request.body = kGenerateBody;
      status = PostStreaming(request, &reply);
    });
    REQUIRE(Eventually([&] { return fake->HeldRequests() == 1; }, 5000));
    CHECK(fake->InferenceInFlight() == 1);
    fake->Release();
    client.join();
    REQUIRE_OK(status);
    CHECK(NdjsonLines(reply.body).size() == 4);
  }

  SECTION("a hang never released ends without an answer") {
    script.hang_before_first_byte = true;
    script.hold_timeout_ms = 200;
    fake->SetInferenceScript(script);
    StreamRequest request;
    request.url = fake->url() + "/api/generate";
    request.body = kGenerateBody;
    StreamReply reply;
    const Status status = PostStreaming(request, &reply);
    CHECK(status.code() == StatusCode::kUnavailable);
    CHECK(reply.status == 0);
    const ServedRequest served = OnlyServed(*fake);
    CHECK(served.hold_timed_out);
    CHECK(served.status == 0);
    CHECK(served.cut);
  }
}

TEST_CASE("FakeOllama errors mid-stream, before the stream, or cuts",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  InferenceScript script;

  SECTION("an error line after two chunks, then the end") {
    script.error_after_chunks = 2;
    script.error_message = "unexpected EOF";
    fake->SetInferenceScript(script);
    const StreamReply reply = Post(*fake, "/api/chat", kChatBody);
    CHECK(reply.status == 200);
    const std::vector<std::string> lines = NdjsonLines(reply.body);
    REQUIRE(lines.size() == 3);
    CHECK(lines[2] == R"({"error":"unexpected EOF"})");
    const ServedRequest served = OnlyServed(*fake);
    CHECK(served.stream_error);
    CHECK_FALSE(served.final_sent);
    CHECK(served.stats_sent == FinalStats());
    CHECK(served.content_chunks_sent == 2);
  }

  SECTION("503 before streaming, OpenAI-shaped on /v1") {
    script.status = 503;
    fake->SetInferenceScript(script);
    StreamReply reply = Post(*fake, "/api/generate", kGenerateBody);
    CHECK(reply.status == 503);
    CHECK(reply.content_type == "application/json; charset=utf-8");
    CHECK(reply.body == R"({"error":"server busy, please try again.  )"
                        R"(maximum pending requests exceeded"})");
    reply = Post(*fake, "/v1/chat/completions",
                 R"({"model":"qwen3:8b","messages":[{}],"stream":true})");
    CHECK(reply.status == 503);
    CHECK(Json::parse(reply.body)["error"]["type"] == "api_error");
  }

  SECTION("a cut after one chunk") {
    script.close_after_chunks = 1;
    fake->SetInferenceScript(script);
    StreamRequest request;
    request.url = fake->url() + "/api/chat";
    request.body = kChatBody;
    StreamReply reply;
    const Status status = PostStreaming(request, &reply);
    CHECK(status.code() == StatusCode::kUnavailable);
    CHECK(reply.status == 200);
    CHECK(NdjsonLines(reply.body).size() == 1);
    const ServedRequest served = OnlyServed(*fake);
    CHECK(served.cut);
    CHECK(served.writes_sent == 1);
    CHECK_FALSE(served.client_went_away);
  }
}

TEST_CASE("FakeOllama cuts a kept-alive stream too",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake(/*keep_alive=*/true);
  InferenceScript script;
  script.close_after_chunks = 2;
  fake->SetInferenceScript(script);
  StreamRequest request;
  request.url = fake->url() + "/api/generate";
  request.body = kGenerateBody;
  request.timeout_ms = 3000;
  StreamReply reply;
  const Status status = PostStreaming(request, &reply);
  CHECK(status.code() == StatusCode::kUnavailable);  // Not a timeout.
  CHECK(NdjsonLines(reply.body).size() == 2);

  fake->SetInferenceScript(InferenceScript());
  CHECK(NdjsonLines(Post(*fake, "/api/generate", kGenerateBody).body).size() ==
        4);
}

TEST_CASE("FakeOllama notices a client that goes away and stops",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  InferenceScript script;
  script.chunks = 20;
  script.chunk_delay_ms = 50;
  fake->SetInferenceScript(script);
  StreamRequest request;
  request.url = fake->url() + "/api/chat";
  request.body = kChatBody;
  request.on_piece = [](const StreamReply& so_far) {
    return so_far.pieces.size() < 2;
  };
  StreamReply reply;
  REQUIRE_OK(PostStreaming(request, &reply));
  CHECK(reply.hung_up);
  const ServedRequest served = OnlyServed(*fake);
  CHECK(served.client_went_away);
  CHECK(served.writes_sent <= 3);
  CHECK_FALSE(served.final_sent);
  CHECK(served.seconds < 0.5);
}

TEST_CASE("FakeOllama uses queued scripts once, then the set one",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  InferenceScript once;
  once.chunks = 1;
  once.stats.eval_count = 1;
  fake->QueueInferenceScript(once);
  CHECK(NdjsonLines(Post(*fake, "/api/generate", kGenerateBody).body).size() ==
        2);
  CHECK(NdjsonLines(Post(*fake, "/api/generate", kGenerateBody).body).size() ==
        4);
  REQUIRE_OK(fake->WaitForRequests(2, 5000));
  CHECK(fake->served()[0].stats_sent.eval_count == 1);
  CHECK(fake->served()[1].sequence == 2);

  const Status late = fake->WaitForRequests(3, 100);
  CHECK(late.code() == StatusCode::kDeadlineExceeded);
  CHECK(late.message().find("2 of 3") != std::string::npos);
  fake->ResetInference();
  CHECK(fake->served().empty());
}

TEST_CASE("FakeOllama's control endpoints script, release and report",
          "[integration][fake_inference]") {
  std::unique_ptr<FakeOllama> fake = StartFake();
  const std::string base = fake->url();

  StreamReply bad = Post(*fake, "/fake/script", R"({"chunkz":1})");
  CHECK(bad.status == 400);
  CHECK(Json::parse(bad.body)["error"] == "unknown script member chunkz");

  StreamReply set =
      Post(*fake, "/fake/script", R"({"chunks":2,"hold_last_chunk":true})");
  CHECK(set.status == 200);
  CHECK(Json::parse(set.body)["chunks"] == 2);

  StreamReply streamed;
  std::thread client(
      [&] { streamed = Post(*fake, "/api/generate", kGenerateBody); });
  REQUIRE(Eventually([&] { return fake->HeldRequests() == 1; }, 5000));
  CHECK(Post(*fake, "/fake/release", "").status == 200);
  client.join();
  CHECK(NdjsonLines(streamed.body).size() == 3);

  HttpReply wait;
  REQUIRE_OK(
      HttpGet(base + "/fake/wait?count=1&timeout_ms=5000", 10000, &wait));
  CHECK(wait.status == 200);
  const Json served = Json::parse(wait.body);
  REQUIRE(served.size() == 1);
  CHECK(served[0]["path"] == "/api/generate");
  CHECK(served[0]["stats_sent"]["eval_count"] == 3);
  CHECK(served[0]["writes_sent"] == 3);

  REQUIRE_OK(HttpGet(base + "/fake/wait?count=2&timeout_ms=100", 5000, &wait));
  CHECK(wait.status == 504);
  REQUIRE_OK(HttpGet(base + "/fake/wait?count=x", 5000, &wait));
  CHECK(wait.status == 400);

  CHECK(Post(*fake, "/fake/reset", "").status == 200);
  HttpReply empty;
  REQUIRE_OK(HttpGet(base + "/fake/served", 5000, &empty));
  CHECK(empty.body == "[]");
  CHECK(NdjsonLines(Post(*fake, "/api/generate", kGenerateBody).body).size() ==
        4);  // Default script again.
}

}  // namespace
}  // namespace ollama_exporter::integration
