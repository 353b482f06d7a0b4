#include "fake_ollama.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "exporter_process.h"
#include "http_get.h"
#include "ollama_payloads.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

constexpr char kJsonType[] = "application/json; charset=utf-8";

using Clock = std::chrono::steady_clock;

int64_t MillisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                               start)
      .count();
}

// GET, HEAD or POST on the fake; the reply must arrive.
HttpReply Fetch(const FakeOllama& fake, const std::string& path,
                HttpMethod method = HttpMethod::kGet) {
  HttpReply reply;
  const Status status = HttpRequest(method, fake.url() + path, 5000, &reply);
  INFO(path << " -> " << status.ToString());
  REQUIRE(status.ok());
  return reply;
}

TEST_CASE("FakeOllama serves version, tags and ps as Ollama does",
          "[integration][fake_ollama]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));
  REQUIRE(fake->port() > 0);
  CHECK(fake->url() == "http://127.0.0.1:" + std::to_string(fake->port()));

  SECTION("defaults") {
    HttpReply root = Fetch(*fake, "/");
    CHECK(root.status == 200);
    CHECK(root.content_type == "text/plain; charset=utf-8");
    CHECK(root.body == "Ollama is running");

    HttpReply version = Fetch(*fake, "/api/version");
    CHECK(version.status == 200);
    CHECK(version.content_type == kJsonType);
    CHECK(version.body == R"({"version":"0.32.15"})");

    CHECK(Fetch(*fake, "/api/tags").body == R"({"models":[]})");
    CHECK(Fetch(*fake, "/api/ps").body == R"({"models":[]})");
  }

  SECTION("what was set, on the next request") {
    fake->SetVersion("0.33.0-rc2");
    fake->SetTagsJson(R"({"models":[{"name":"a:b"}]})");
    fake->SetPsJson(R"({"models":[{"name":"c:d"}]})");

    CHECK(Fetch(*fake, "/api/version").body == R"({"version":"0.33.0-rc2"})");
    HttpReply tags = Fetch(*fake, "/api/tags");
    CHECK(tags.content_type == kJsonType);
    CHECK(tags.body == R"({"models":[{"name":"a:b"}]})");
    CHECK(Fetch(*fake, "/api/ps").body == R"({"models":[{"name":"c:d"}]})");
  }

  SECTION("the query string does not change the route") {
    CHECK(Fetch(*fake, "/api/ps?x=1").status == 200);
    CHECK(fake->RequestCount("/api/ps") == 1);
  }
}

TEST_CASE("FakeOllama answers unknown paths 404 and wrong methods 405",
          "[integration][fake_ollama]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));

  HttpReply missing = Fetch(*fake, "/api/nope");
  CHECK(missing.status == 404);
  CHECK(missing.content_type == "text/plain; charset=utf-8");
  CHECK(missing.body == "404 page not found");
  CHECK(Fetch(*fake, "/api/tagsx").status == 404);

  HttpReply post = Fetch(*fake, "/api/tags", HttpMethod::kPost);
  CHECK(post.status == 405);
  CHECK(post.body == "405 method not allowed");
  CHECK(Fetch(*fake, "/api/ps", HttpMethod::kHead).status == 405);

  HttpReply head = Fetch(*fake, "/api/tags", HttpMethod::kHead);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE("FakeOllama misbehaves per endpoint as told",
          "[integration][fake_ollama]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));

  SECTION("an HTTP status with a body") {
    fake->SetBehaviour(Endpoint::kTags,
                       Behaviour::HttpStatus(500, R"({"error":"disk"})"));
    HttpReply reply = Fetch(*fake, "/api/tags");
    CHECK(reply.status == 500);
    CHECK(reply.content_type == kJsonType);
    CHECK(reply.body == R"({"error":"disk"})");
    CHECK(Fetch(*fake, "/api/ps").status == 200);  // Others unaffected.
  }

  SECTION("an HTTP status with a text body") {
    fake->SetBehaviour(
        Endpoint::kPs,
        Behaviour::HttpStatus(404, "404 page not found", Behaviour::kTextType));
    HttpReply reply = Fetch(*fake, "/api/ps");
    CHECK(reply.status == 404);
    CHECK(reply.content_type == "text/plain; charset=utf-8");
    CHECK(reply.body == "404 page not found");
  }

  SECTION("garbage") {
    fake->SetBehaviour(Endpoint::kPs, Behaviour::Garbage());
    HttpReply reply = Fetch(*fake, "/api/ps");
    CHECK(reply.status == 200);
    CHECK(reply.body.size() > 10);
    CHECK(nlohmann::json::parse(reply.body, nullptr, false).is_discarded());
  }

  SECTION("closing without an answer") {
    fake->SetBehaviour(Endpoint::kVersion, Behaviour::Close());
    HttpReply reply;
    const Status status = HttpGet(fake->url() + "/api/version", 2000, &reply);
    CHECK(status.code() == StatusCode::kUnavailable);
  }

  SECTION("slow, then normal") {
    fake->SetBehaviour(Endpoint::kPs, Behaviour::Slow(300));
    const auto start = Clock::now();
    HttpReply reply = Fetch(*fake, "/api/ps");
    CHECK(MillisSince(start) >= 300);
    CHECK(reply.body == R"({"models":[]})");
  }

  SECTION("back to normal") {
    fake->SetBehaviour(Endpoint::kPs, Behaviour::Garbage());
    fake->SetBehaviour(Endpoint::kPs, Behaviour::Normal());
    CHECK(Fetch(*fake, "/api/ps").body == R"({"models":[]})");
  }
}

TEST_CASE("FakeOllama holds hanging requests until released",
          "[integration][fake_ollama]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));
  fake->SetBehaviour(Endpoint::kPs, Behaviour::Hang());

  HttpReply reply;
  const auto start = Clock::now();
  const Status timed_out = HttpGet(fake->url() + "/api/ps", 200, &reply);
  CHECK(timed_out.code() == StatusCode::kDeadlineExceeded);
  CHECK(MillisSince(start) < 2000);
  CHECK(fake->HeldRequests() == 1);  // The server still holds it.

  // A patient client gets the normal answer once released.
  Status patient_status;
  HttpReply patient;
  std::thread client([&] {
    patient_status = HttpGet(fake->url() + "/api/ps", 5000, &patient);
  });
  REQUIRE(Eventually([&] { return fake->HeldRequests() == 2; }, 2000));
  fake->SetPsJson(R"({"models":[{"name":"x"}]})");
  fake->SetBehaviour(Endpoint::kPs, Behaviour::Normal());
  client.join();
  REQUIRE_OK(patient_status);
  CHECK(patient.status == 200);
  CHECK(patient.body == R"({"models":[{"name":"x"}]})");
  CHECK(Eventually([&] { return fake->HeldRequests() == 0; }, 2000));
}

TEST_CASE("FakeOllama stops quickly while requests hang",
          "[integration][fake_ollama]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));
  fake->SetBehaviour(Endpoint::kVersion, Behaviour::Hang());
  fake->SetBehaviour(Endpoint::kPs, Behaviour::Slow(20000));

  Status version_status, ps_status;
  HttpReply version, ps;
  const std::string url = fake->url();
  std::thread version_client(
      [&] { version_status = HttpGet(url + "/api/version", 10000, &version); });
  std::thread ps_client(
      [&] { ps_status = HttpGet(url + "/api/ps", 10000, &ps); });
  REQUIRE(Eventually([&] { return fake->HeldRequests() == 2; }, 2000));

  const auto start = Clock::now();
  fake.reset();
  CHECK(MillisSince(start) < 2000);
  version_client.join();
  ps_client.join();
  CHECK(version_status.code() == StatusCode::kUnavailable);
  CHECK(ps_status.code() == StatusCode::kUnavailable);
}

TEST_CASE(
    "FakeOllama refuses connections while down and comes back "
    "on the same port",
    "[integration][fake_ollama]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));
  const int port = fake->port();
  fake->SetVersion("0.31.0");
  fake->SetBehaviour(Endpoint::kTags, Behaviour::Hang());
  Status tags_status;
  HttpReply tags;
  std::thread client(
      [&] { tags_status = HttpGet(fake->url() + "/api/tags", 10000, &tags); });
  REQUIRE(Eventually([&] { return fake->HeldRequests() == 1; }, 2000));

  fake->Down();
  client.join();
  CHECK(tags_status.code() == StatusCode::kUnavailable);
  HttpReply reply;
  const Status refused = HttpGet(fake->url() + "/api/version", 2000, &reply);
  CHECK(refused.code() == StatusCode::kUnavailable);
  CHECK(refused.message().find("onnect") != std::string::npos);
  fake->Down();  // Twice is fine.

  REQUIRE_OK(fake->Up());
  REQUIRE_OK(fake->Up());
  CHECK(fake->port() == port);
  HttpReply version = Fetch(*fake, "/api/version");
  CHECK(version.body == R"({"version":"0.31.0"})");  // Settings survive.
}

TEST_CASE("FakeOllama counts requests per path", "[integration][fake_ollama]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));
  Fetch(*fake, "/api/version");
  Fetch(*fake, "/api/version");
  Fetch(*fake, "/api/ps", HttpMethod::kHead);
  Fetch(*fake, "/nope");

  CHECK(fake->RequestCount("/api/version") == 2);
  CHECK(fake->RequestCount("/api/ps") == 1);
  CHECK(fake->RequestCount("/nope") == 1);
  CHECK(fake->RequestCount("/api/tags") == 0);
}

TEST_CASE("HttpClient reuses the connection a keep-alive fake leaves open",
          "[integration][fake_ollama][http_get]") {
  FakeOllamaOptions options;
  options.keep_alive = true;
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(options, &fake));
  fake->SetPsJson(R"({"models":[{"name":"x"}]})");

  HttpClient client;
  HttpReply reply;
  REQUIRE_OK(client.Get(fake->url() + "/api/ps", 5000, &reply));
  CHECK(reply.status == 200);
  CHECK(reply.content_type == kJsonType);
  CHECK(reply.body == R"({"models":[{"name":"x"}]})");

  // Another method on the same handle, then GET again.
  REQUIRE_OK(client.Request(HttpMethod::kHead, fake->url() + "/api/tags", 5000,
                            &reply));
  CHECK(reply.status == 200);
  CHECK(reply.body.empty());
  REQUIRE_OK(client.Request(HttpMethod::kPost, fake->url() + "/api/tags", 5000,
                            &reply));
  CHECK(reply.status == 405);
  REQUIRE_OK(client.Get(fake->url() + "/api/nope", 5000, &reply));
  CHECK(reply.status == 404);
  CHECK(reply.body == "404 page not found");
  REQUIRE_OK(client.Get(fake->url() + "/api/ps", 5000, &reply));
  CHECK(reply.body == R"({"models":[{"name":"x"}]})");

  CHECK(fake->RequestCount("/api/ps") == 2);
  CHECK(client.connections_opened() == 1);
}

TEST_CASE("HttpClient reconnects to a fake that closes every connection",
          "[integration][fake_ollama][http_get]") {
  std::unique_ptr<FakeOllama> fake;
  REQUIRE_OK(FakeOllama::Start(&fake));

  HttpClient client;
  HttpReply reply;
  for (int i = 0; i < 3; ++i) {
    REQUIRE_OK(client.Get(fake->url() + "/api/version", 5000, &reply));
    CHECK(reply.body == R"({"version":"0.32.15"})");
  }
  CHECK(client.connections_opened() == 3);

  fake->Down();
  const Status refused = client.Get(fake->url() + "/api/version", 2000, &reply);
  CHECK(refused.code() == StatusCode::kUnavailable);
  CHECK(reply.body == R"({"version":"0.32.15"})");  // Unchanged on error.
}

TEST_CASE("TagsJson writes entries in Ollama's field order",
          "[integration][ollama_payloads]") {
  TagsModel local;
  local.name = "qwen3:8b";
  local.size = 5225388164;
  local.family = "qwen3";
  local.parameter_size = "8.2B";
  local.quantization_level = "Q4_K_M";
  local.context_length = 40960;
  local.embedding_length = 4096;
  local.capabilities = {"completion", "tools"};

  TagsModel cloud;
  cloud.name = "gpt-oss:120b-cloud";
  cloud.size = 384;
  cloud.format = "";
  cloud.family = "gptoss";
  cloud.families_null = true;
  cloud.parameter_size = "116.8B";
  cloud.remote_model = "gpt-oss:120b";
  cloud.remote_host = "https://ollama.com:443";
  cloud.modified_at = "2026-06-20T12:00:41.005+02:00";

  const std::string d1 = FakeDigest(local.name);
  const std::string d2 = FakeDigest(cloud.name);
  CHECK(
      TagsJson({local, cloud}) ==
      R"({"models":[{"name":"qwen3:8b","model":"qwen3:8b",)"
      R"("modified_at":"2026-08-02T19:41:07.330918114+02:00",)"
      R"("size":5225388164,"digest":")" +
          d1 +
          R"(",)"
          R"("details":{"parent_model":"","format":"gguf","family":"qwen3",)"
          R"("families":["qwen3"],"parameter_size":"8.2B",)"
          R"("quantization_level":"Q4_K_M","context_length":40960,)"
          R"("embedding_length":4096},"capabilities":["completion","tools"]},)"
          R"({"name":"gpt-oss:120b-cloud","model":"gpt-oss:120b-cloud",)"
          R"("remote_model":"gpt-oss:120b",)"
          R"("remote_host":"https://ollama.com:443",)"
          R"("modified_at":"2026-06-20T12:00:41.005+02:00","size":384,)"
          R"("digest":")" +
          d2 +
          R"(","details":{"parent_model":"",)"
          R"("format":"","family":"gptoss","families":null,)"
          R"("parameter_size":"116.8B","quantization_level":""}}]})");
  CHECK(TagsJson({}) == R"({"models":[]})");
}

TEST_CASE("PsJson writes entries in Ollama's field order",
          "[integration][ollama_payloads]") {
  PsModel with_context;
  with_context.name = "qwen3:8b";
  with_context.size = 6918709248;
  with_context.size_vram = 6918709248;
  with_context.context_length = 8192;
  with_context.expires_at = "2318-11-30T09:12:44.61830527+01:00";
  with_context.family = "qwen3";
  with_context.parameter_size = "8.2B";
  with_context.quantization_level = "Q4_K_M";

  PsModel old_server;
  old_server.name = "llama3:latest";
  old_server.size = 5380000000;
  old_server.family = "llama";

  const std::string d1 = FakeDigest(with_context.name);
  const std::string d2 = FakeDigest(old_server.name);
  CHECK(
      PsJson({with_context, old_server}) ==
      R"({"models":[{"name":"qwen3:8b","model":"qwen3:8b",)"
      R"("size":6918709248,"digest":")" +
          d1 +
          R"(",)"
          R"("details":{"parent_model":"","format":"gguf","family":"qwen3",)"
          R"("families":["qwen3"],"parameter_size":"8.2B",)"
          R"("quantization_level":"Q4_K_M"},)"
          R"("expires_at":"2318-11-30T09:12:44.61830527+01:00",)"
          R"("size_vram":6918709248,"context_length":8192},)"
          R"({"name":"llama3:latest","model":"llama3:latest",)"
          R"("size":5380000000,"digest":")" +
          d2 +
          R"(",)"
          R"("details":{"parent_model":"","format":"gguf","family":"llama",)"
          R"("families":["llama"],"parameter_size":"",)"
          R"("quantization_level":""},)"
          R"("expires_at":"2026-08-21T12:17:02.0041+02:00","size_vram":0}]})");
  CHECK(PsJson({}) == R"({"models":[]})");
}

TEST_CASE("FakeDigest gives 64 hex digits, stable per name",
          "[integration][ollama_payloads]") {
  const std::string digest = FakeDigest("qwen3:8b");
  CHECK(digest.size() == 64);
  CHECK(digest.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(FakeDigest("qwen3:8b") == digest);
  CHECK(FakeDigest("qwen3:4b") != digest);
  CHECK(FakeDigest("").size() == 64);
}

}  // namespace
}  // namespace ollama_exporter::integration
