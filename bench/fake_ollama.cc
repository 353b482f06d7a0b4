#include "fake_ollama.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace ollama_exporter::bench {
namespace {

using nlohmann::ordered_json;

struct Family {
  const char* name;
  const char* parameter_size;
  int64_t size_bytes;
  int context_length;
  int embedding_length;
};

constexpr Family kFamilies[] = {
    {"qwen3", "8.2B", 5'225'388'164, 40'960, 4'096},
    {"llama", "3.2B", 2'019'393'189, 131'072, 3'072},
    {"gemma3", "12.2B", 8'149'190'253, 131'072, 3'840},
    {"mistral", "7.2B", 4'372'824'384, 32'768, 4'096},
    {"qwen2", "1.5B", 1'285'493'011, 32'768, 1'536},
    {"deepseek2", "15.7B", 8'905'125'527, 163'840, 2'048},
    {"phi3", "14.0B", 9'053'116'391, 16'384, 5'120},
    {"llama", "70.6B", 42'520'413'916, 131'072, 8'192},
};

constexpr const char* kQuantizations[] = {"Q4_K_M", "Q8_0", "Q5_K_M", "F16"};

std::string Digest(std::mt19937_64* random) {
  std::string hex;
  for (int i = 0; i < 4; ++i) {
    char word[17];
    std::snprintf(word, sizeof(word), "%016llx",
                  static_cast<unsigned long long>((*random)()));
    hex += word;
  }
  return hex;
}

// Fields shared by both lists, in Ollama's order.
ordered_json Details(const Family& family, const char* quantization,
                     bool with_lengths) {
  ordered_json details = {{"parent_model", ""},
                          {"format", "gguf"},
                          {"family", family.name},
                          {"families", {family.name}},
                          {"parameter_size", family.parameter_size},
                          {"quantization_level", quantization}};
  if (with_lengths) {
    details["context_length"] = family.context_length;
    details["embedding_length"] = family.embedding_length;
  }
  return details;
}

}  // namespace

FakeOllamaReplies MakeFakeOllamaReplies(int models) {
  std::mt19937_64 random(7);
  ordered_json tags = ordered_json::array();
  ordered_json ps = ordered_json::array();
  for (int i = 0; i < models; ++i) {
    const Family& family = kFamilies[i % std::size(kFamilies)];
    const char* quantization = kQuantizations[i % std::size(kQuantizations)];
    const std::string name = std::string(family.name) + "-" +
                             std::to_string(i) + ":" + family.parameter_size;
    const std::string digest = Digest(&random);
    char modified[64];
    std::snprintf(modified, sizeof(modified),
                  "2026-%02d-%02dT%02d:41:07.%09d+02:00", 1 + i % 11,
                  1 + i % 28, i % 24, 330918114 + i);
    tags.push_back({{"name", name},
                    {"model", name},
                    {"modified_at", modified},
                    {"size", family.size_bytes + i},
                    {"digest", digest},
                    {"details", Details(family, quantization, true)},
                    {"capabilities", {"completion", "tools"}}});

    // Half pinned with keep_alive -1 (~292 years ahead), half on the idle
    // timer; a third split between GPU and CPU.
    const int64_t memory = family.size_bytes * 13 / 10 + i;
    const int64_t vram = i % 3 == 0 ? memory / 2 : memory;
    ps.push_back({{"name", name},
                  {"model", name},
                  {"size", memory},
                  {"digest", digest},
                  {"details", Details(family, quantization, false)},
                  {"expires_at", i % 2 == 0
                                     ? "2318-11-30T09:12:44.61830527+01:00"
                                     : "2026-12-04T18:17:02.0041+01:00"},
                  {"size_vram", vram},
                  {"context_length", 4096 << (i % 4)}});
  }
  FakeOllamaReplies replies;
  replies.version = ordered_json{{"version", "0.32.15"}}.dump();
  replies.tags = ordered_json{{"models", std::move(tags)}}.dump();
  replies.ps = ordered_json{{"models", std::move(ps)}}.dump();
  return replies;
}

FakeOllama::FakeOllama(FakeOllamaReplies replies)
    : replies_(std::move(replies)) {}

FakeOllama::~FakeOllama() {
  if (context_ != nullptr) mg_stop(context_);
}

Status FakeOllama::Start(FakeOllamaReplies replies,
                         std::unique_ptr<FakeOllama>* server) {
  std::unique_ptr<FakeOllama> fake(new FakeOllama(std::move(replies)));
  const char* options[] = {"listening_ports", "127.0.0.1:0",
                           "num_threads",     "2",
                           "enable_keep_alive", "yes",
                           nullptr};
  mg_callbacks callbacks;
  std::memset(&callbacks, 0, sizeof(callbacks));
  fake->context_ = mg_start(&callbacks, nullptr, options);
  if (fake->context_ == nullptr) {
    return Status::Unavailable("CivetWeb cannot listen on 127.0.0.1:0");
  }
  mg_server_port port;
  if (mg_get_server_ports(fake->context_, 1, &port) != 1) {
    return Status::Unavailable("CivetWeb started without a port");
  }
  fake->port_ = port.port;
  mg_set_request_handler(fake->context_, "/", &FakeOllama::Serve, fake.get());
  *server = std::move(fake);
  return Status::Ok();
}

int FakeOllama::Serve(mg_connection* conn, void* self) {
  auto* fake = static_cast<FakeOllama*>(self);
  fake->requests_.fetch_add(1);
  const mg_request_info* info = mg_get_request_info(conn);
  const std::string_view path =
      info->local_uri != nullptr ? info->local_uri : "";
  const std::string* body = nullptr;
  if (path == "/api/version") body = &fake->replies_.version;
  if (path == "/api/tags") body = &fake->replies_.tags;
  if (path == "/api/ps") body = &fake->replies_.ps;
  if (body == nullptr) {
    mg_send_http_error(conn, 404, "404 page not found");
    return 404;
  }
  mg_send_http_ok(conn, "application/json; charset=utf-8",
                  static_cast<long long>(body->size()));
  mg_write(conn, body->data(), body->size());
  return 200;
}

}  // namespace ollama_exporter::bench
