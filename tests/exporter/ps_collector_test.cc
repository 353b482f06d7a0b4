#include "exporter/ps_collector.h"

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "exporter/ollama_client.h"

#include "canned_server.h"
#include "exporter_testing.h"

namespace ollama_exporter {
namespace {

using testing::FamilyNames;
using testing::Fixture;
using testing::SeriesLines;
using Lines = std::vector<std::string>;

PsReply Parse(std::string_view json) {
  return testing::ParseOrFail(ParsePsReply, json);
}

PsReply ParseFixture(std::string_view name) { return Parse(Fixture(name)); }

std::vector<std::string> Names(const PsReply& reply) {
  return testing::ModelNames(reply);
}

TEST_CASE("ParsePsReply reads a pinned and a CPU/GPU split model", "[ps]") {
  PsReply reply = ParseFixture("ps_pinned_and_split.json");
  CHECK(reply.skipped_entries == 0);
  REQUIRE(reply.models.size() == 2);

  const LoadedModel& pinned = reply.models[0];
  CHECK(pinned.name == "qwen3:8b");
  CHECK(pinned.size_bytes == 7012345856);
  CHECK(pinned.vram_bytes == 7012345856);
  CHECK(pinned.context_length == 16384);
  CHECK(pinned.expires_unix_ms == 11010996847250);  // Year 2318: "Forever".
  CHECK(pinned.details.family == "qwen3");
  CHECK(pinned.details.parameter_size == "8.2B");

  const LoadedModel& split = reply.models[1];
  CHECK(split.name == "llama3.3:70b");
  CHECK(split.size_bytes == 48102932480);
  CHECK(split.vram_bytes == 23991418880);
  CHECK(split.context_length == 8192);
  CHECK(split.expires_unix_ms == 1787307760005);
}

TEST_CASE("PsFamilies exports memory, context and expiry by name", "[ps]") {
  std::vector<prometheus::MetricFamily> families =
      PsFamilies(ParseFixture("ps_pinned_and_split.json"));
  CHECK(FamilyNames(families) ==
        Lines{"ollama_models_loaded", "ollama_loaded_model_size_bytes",
              "ollama_loaded_model_vram_bytes",
              "ollama_loaded_model_context_length",
              "ollama_loaded_model_expires_timestamp_seconds"});
  for (const prometheus::MetricFamily& family : families) {
    INFO(family.name);
    CHECK(family.type == prometheus::MetricType::Gauge);
    CHECK_FALSE(family.help.empty());
    CHECK(family.help.find_first_of("\\\n") == std::string::npos);
  }
  CHECK(SeriesLines(families, "ollama_models_loaded") ==
        Lines{"ollama_models_loaded 2"});
  CHECK(SeriesLines(families, "ollama_loaded_model_size_bytes") ==
        Lines{"ollama_loaded_model_size_bytes{model=\"llama3.3:70b\"} "
              "48102932480",
              "ollama_loaded_model_size_bytes{model=\"qwen3:8b\"} "
              "7012345856"});
  CHECK(SeriesLines(families, "ollama_loaded_model_vram_bytes") ==
        Lines{"ollama_loaded_model_vram_bytes{model=\"llama3.3:70b\"} "
              "23991418880",
              "ollama_loaded_model_vram_bytes{model=\"qwen3:8b\"} "
              "7012345856"});
  CHECK(SeriesLines(families, "ollama_loaded_model_context_length") ==
        Lines{"ollama_loaded_model_context_length{model=\"llama3.3:70b\"} "
              "8192",
              "ollama_loaded_model_context_length{model=\"qwen3:8b\"} "
              "16384"});
  CHECK(
      SeriesLines(families, "ollama_loaded_model_expires_timestamp_seconds") ==
      Lines{"ollama_loaded_model_expires_timestamp_seconds{model=\"llama3.3:"
            "70b\"} 1787307760.005",
            "ollama_loaded_model_expires_timestamp_seconds{model=\"qwen3:"
            "8b\"} 11010996847.25"});
}

TEST_CASE("An empty or null /api/ps list is success with no models", "[ps]") {
  const char* fixture = GENERATE("ps_empty.json", "ps_models_null.json");
  PsReply reply = ParseFixture(fixture);
  CHECK(reply.models.empty());
  std::vector<prometheus::MetricFamily> families = PsFamilies(reply);
  CHECK(families.size() == 5);
  CHECK(SeriesLines(families, "ollama_models_loaded") ==
        Lines{"ollama_models_loaded 0"});
  for (size_t i = 1; i < families.size(); ++i) {
    INFO(families[i].name);
    CHECK(families[i].metric.empty());
  }
}

TEST_CASE("A model past its expiry or stopping is still reported", "[ps]") {
  SECTION("busy with a long request: expiry in the past") {
    PsReply reply = ParseFixture("ps_expired_still_listed.json");
    CHECK(SeriesLines(PsFamilies(reply),
                      "ollama_loaded_model_expires_timestamp_seconds") ==
          Lines{"ollama_loaded_model_expires_timestamp_seconds{model="
                "\"mixtral:8x7b\"} 1787315462.004"});
  }
  SECTION("keep_alive 0: expiry about now") {
    PsReply reply = ParseFixture("ps_stopping.json");
    REQUIRE(reply.models.size() == 1);
    CHECK(reply.models[0].name == "phi4-mini:latest");
    CHECK(reply.models[0].expires_unix_ms == 1787306400002);
    CHECK(SeriesLines(PsFamilies(reply), "ollama_models_loaded") ==
          Lines{"ollama_models_loaded 1"});
  }
}

TEST_CASE("A CPU-only model reports 0 bytes of VRAM", "[ps]") {
  PsReply reply = ParseFixture("ps_cpu_only.json");
  CHECK(SeriesLines(PsFamilies(reply), "ollama_loaded_model_vram_bytes") ==
        Lines{"ollama_loaded_model_vram_bytes{model=\"llama3.2:3b\"} 0"});
  CHECK(reply.models[0].size_bytes == 2620788260);
  CHECK(reply.models[0].expires_unix_ms == 1787332170750);
}

TEST_CASE("Context length 0 is exported; an absent one is not", "[ps]") {
  PsReply reply = ParseFixture("ps_context_starting_and_old.json");
  REQUIRE(reply.models.size() == 2);
  CHECK(reply.models[0].context_length == 0);
  CHECK_FALSE(reply.models[1].context_length.has_value());
  std::vector<prometheus::MetricFamily> families = PsFamilies(reply);
  CHECK(SeriesLines(families, "ollama_loaded_model_context_length") ==
        Lines{"ollama_loaded_model_context_length{model=\"starting:latest\"} "
              "0"});
  CHECK(SeriesLines(families, "ollama_loaded_model_size_bytes").size() == 2);
}

TEST_CASE("A pre-v0.1.42 entry without size_vram reads as 0 VRAM", "[ps]") {
  PsReply reply = ParseFixture("ps_pre_v0_1_42.json");
  REQUIRE(reply.models.size() == 1);
  const LoadedModel& model = reply.models[0];
  CHECK(model.name == "llama3:latest");
  CHECK(model.size_bytes == 5381000000);
  CHECK(model.vram_bytes == 0);
  CHECK_FALSE(model.context_length.has_value());
  CHECK(model.expires_unix_ms == 1717229051610);
  CHECK(model.details.families.empty());
}

TEST_CASE("Empty details do not drop a loaded model", "[ps]") {
  PsReply reply = ParseFixture("ps_details_empty.json");
  REQUIRE(reply.models.size() == 1);
  CHECK(reply.models[0].details.format == "");
  CHECK(reply.models[0].details.families.empty());
  CHECK(reply.models[0].size_bytes == 1048576);
  CHECK(reply.models[0].context_length == 2048);
}

TEST_CASE("Expiry times parse from far future to year 1, or are dropped",
          "[ps]") {
  PsReply reply = ParseFixture("ps_expires_variants.json");
  REQUIRE(reply.models.size() == 7);
  std::vector<std::optional<int64_t>> expiries;
  for (const LoadedModel& model : reply.models) {
    expiries.push_back(model.expires_unix_ms);
  }
  CHECK(expiries == std::vector<std::optional<int64_t>>{
                        11010996847250, 1787339100123,
                        std::nullopt,  // Go's zero time: never set.
                        std::nullopt, std::nullopt, std::nullopt,
                        std::nullopt});
  CHECK(SeriesLines(PsFamilies(reply),
                    "ollama_loaded_model_expires_timestamp_seconds") ==
        Lines{"ollama_loaded_model_expires_timestamp_seconds{model="
              "\"forever:latest\"} 11010996847.25",
              "ollama_loaded_model_expires_timestamp_seconds{model="
              "\"windows:latest\"} 1787339100.123"});
}

TEST_CASE("Wrongly typed numbers read as 0 or unknown, floats are taken",
          "[ps]") {
  PsReply reply = ParseFixture("ps_wrong_types.json");
  REQUIRE(reply.models.size() == 4);
  CHECK(reply.skipped_entries == 0);

  const LoadedModel& strings = reply.models[0];
  CHECK(strings.size_bytes == 0);
  CHECK(strings.vram_bytes == 0);
  CHECK_FALSE(strings.context_length.has_value());
  CHECK_FALSE(strings.expires_unix_ms.has_value());
  CHECK(strings.details.family == "");

  const LoadedModel& floats = reply.models[1];
  CHECK(floats.size_bytes == 6900000000);
  CHECK(floats.vram_bytes == 3450000000);
  CHECK(floats.context_length == 16384);

  const LoadedModel& negatives = reply.models[2];
  CHECK(negatives.size_bytes == 0);
  CHECK(negatives.vram_bytes == 0);
  CHECK(negatives.context_length == 0);

  // More VRAM than memory makes no sense but is exported as sent.
  const LoadedModel& odd = reply.models[3];
  CHECK(odd.size_bytes == 1000);
  CHECK(odd.vram_bytes == 2000);
  CHECK_FALSE(odd.context_length.has_value());
}

TEST_CASE("A model loaded twice under one name is reported once", "[ps]") {
  PsReply reply = ParseFixture("ps_duplicates.json");
  CHECK(reply.skipped_entries == 1);
  REQUIRE(reply.models.size() == 1);
  CHECK(reply.models[0].size_bytes == 6918709248);
  CHECK(reply.models[0].context_length == 8192);
}

TEST_CASE("Loaded model names keep hosts, ports and slashes", "[ps]") {
  PsReply reply = ParseFixture("ps_unusual_names.json");
  CHECK(Names(reply) == Lines{"registry.lan:5000/team/assistant:v2",
                              "hf.co/northwind/Mini-Coder-3B-GGUF:Q5_K_M",
                              "model-field-only:latest"});
  CHECK(reply.skipped_entries == 2);
}

TEST_CASE("A 1,000-model /api/ps list is read in full", "[ps]") {
  std::string json = "{\"models\":[";
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) json += ",";
    json += "{\"name\":\"m" + std::to_string(i) +
            "\",\"size\":" + std::to_string(i) +
            ",\"size_vram\":" + std::to_string(i / 2) +
            ",\"expires_at\":\"2318-12-05T03:14:07Z\",\"context_length\":" +
            std::to_string(2048 + i) + "}";
  }
  json += "]}";
  PsReply reply = Parse(json);
  REQUIRE(reply.models.size() == 1000);
  CHECK(reply.models[999].vram_bytes == 499);
  CHECK(reply.models[999].context_length == 3047);
  std::vector<prometheus::MetricFamily> families = PsFamilies(reply);
  CHECK(SeriesLines(families, "ollama_models_loaded") ==
        Lines{"ollama_models_loaded 1000"});
  for (size_t i = 1; i < families.size(); ++i) {
    INFO(families[i].name);
    CHECK(families[i].metric.size() == 1000);
  }
}

TEST_CASE("ParsePsReply rejects replies that are not a model list", "[ps]") {
  auto message = [](std::string_view json) {
    PsReply reply;
    reply.skipped_entries = -1;
    Status status = ParsePsReply(json, &reply);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(reply.skipped_entries == -1);
    return status.message();
  };
  CHECK(message(Fixture("ps_no_models_field.json")) ==
        "reply has no \"models\" field: \"{\"error\":\"server busy, please "
        "try again.  maximum pending re...\"");
  CHECK(message(Fixture("ps_models_string.json")) ==
        "\"models\" is a string, not an array: \"{\"models\":\"none\"}\"");
  CHECK(message("{\"models\":[{\"name\":\"qwen3:8b\",\"size\":69") ==
        "reply is not JSON: \"{\"models\":[{\"name\":\"qwen3:8b\",\"size\":"
        "69\"");
  CHECK(message("{\"models\":[{\"name\":\"a\",\"size\":1e400}]}") ==
        "reply is not JSON: \"{\"models\":[{\"name\":\"a\",\"size\":1e400}]"
        "}\"");
  CHECK(message("{\"models\":[],}") ==
        "reply is not JSON: \"{\"models\":[],}\"");
  CHECK(message("{models:[]}") == "reply is not JSON: \"{models:[]}\"");
}

TEST_CASE("Every truncation of a /api/ps reply is rejected cleanly", "[ps]") {
  std::string json = Fixture("ps_pinned_and_split.json");
  size_t end = json.rfind('}');
  for (size_t length = 0; length < end; ++length) {
    PsReply reply;
    Status status = ParsePsReply(json.substr(0, length), &reply);
    INFO("first " << length << " bytes: " << status.ToString());
    REQUIRE(status.code() == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("ParsePsReply survives random damage", "[ps]") {
  std::string seed = Fixture("ps_pinned_and_split.json");
  std::mt19937 random(2318);
  for (int i = 0; i < 2000; ++i) {
    std::string text = seed;
    for (int e = 0; e < 3; ++e) {
      size_t at = random() % text.size();
      if (random() % 2) {
        text[at] = static_cast<char>(random() % 256);
      } else {
        text.erase(at, 1 + random() % 8);
      }
    }
    PsReply reply;
    Status status = ParsePsReply(text, &reply);
    if (status.ok()) {
      CHECK(reply.models.size() + reply.skipped_entries <= 2);
    } else {
      CHECK(status.code() == StatusCode::kFailedPrecondition);
    }
  }
}

class PsCollectorFixture {
 public:
  PsCollectorFixture() {
    OllamaClientOptions options;
    options.base_url = server.url();
    options.timeout_ms = 2000;
    REQUIRE(OllamaClient::Create(options, &client).ok());
    collector = std::make_unique<PsCollector>(client.get());
  }

  std::vector<prometheus::MetricFamily> Collect() {
    std::vector<prometheus::MetricFamily> out;
    Status status = collector->Collect(&out);
    INFO(status.ToString());
    REQUIRE(status.ok());
    return out;
  }

  testing::CannedServer& server = testing::CannedServer::Shared();
  std::unique_ptr<OllamaClient> client;
  std::unique_ptr<PsCollector> collector;
};

TEST_CASE_METHOD(PsCollectorFixture,
                 "A model that leaves /api/ps leaves the output", "[ps]") {
  CHECK(collector->name() == "ps");
  server.Answer("/api/ps", 200, Fixture("ps_one_model.json"));
  std::vector<prometheus::MetricFamily> first = Collect();
  CHECK(SeriesLines(first, "ollama_models_loaded") ==
        Lines{"ollama_models_loaded 1"});
  CHECK(SeriesLines(first, "ollama_loaded_model_size_bytes") ==
        Lines{"ollama_loaded_model_size_bytes{model=\"qwen3:8b\"} "
              "6918709248"});

  server.Answer("/api/ps", 200, Fixture("ps_empty.json"));
  std::vector<prometheus::MetricFamily> second = Collect();
  CHECK(SeriesLines(second, "ollama_models_loaded") ==
        Lines{"ollama_models_loaded 0"});
  for (const prometheus::MetricFamily& family : second) {
    if (family.name == "ollama_models_loaded") continue;
    INFO(family.name);
    CHECK(family.metric.empty());
  }
}

TEST_CASE_METHOD(PsCollectorFixture,
                 "A reloaded model updates its values without a new series",
                 "[ps]") {
  server.Answer("/api/ps", 200, Fixture("ps_reload_small_context.json"));
  CHECK(SeriesLines(Collect(), "ollama_loaded_model_context_length") ==
        Lines{"ollama_loaded_model_context_length{model=\"qwen3:8b\"} 4096"});

  server.Answer("/api/ps", 200, Fixture("ps_reload_large_context.json"));
  std::vector<prometheus::MetricFamily> after = Collect();
  CHECK(SeriesLines(after, "ollama_loaded_model_context_length") ==
        Lines{"ollama_loaded_model_context_length{model=\"qwen3:8b\"} 32768"});
  CHECK(SeriesLines(after, "ollama_loaded_model_size_bytes") ==
        Lines{"ollama_loaded_model_size_bytes{model=\"qwen3:8b\"} "
              "9120000000"});
}

TEST_CASE_METHOD(PsCollectorFixture,
                 "PsCollector counts skipped entries and passes errors on",
                 "[ps]") {
  server.Answer("/api/ps", 200, Fixture("ps_unusual_names.json"));
  Collect();
  CHECK(collector->last_skipped_entries() == 2);

  SECTION("503 queue full is unavailable") {
    server.Answer("/api/ps", 503, "{\"error\":\"server busy\"}");
    std::vector<prometheus::MetricFamily> out;
    Status status = collector->Collect(&out);
    CHECK(status.code() == StatusCode::kUnavailable);
    CHECK(status.message() ==
          "ps collector: GET /api/ps: HTTP 503: {\"error\":\"server busy\"}");
    CHECK(out.empty());
    CHECK(collector->last_skipped_entries() == 0);
  }
  SECTION("405 from a server too old for /api/ps is a failed precondition") {
    server.Answer("/api/ps", 405, "405 method not allowed");
    std::vector<prometheus::MetricFamily> out;
    Status status = collector->Collect(&out);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(out.empty());
  }
  SECTION("a non-JSON 200 is a failed precondition naming the endpoint") {
    server.Answer("/api/ps", 200, "Ollama is running");
    std::vector<prometheus::MetricFamily> out;
    Status status = collector->Collect(&out);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message() ==
          "ps collector: GET /api/ps: reply is not JSON: \"Ollama is "
          "running\"");
  }
}

}  // namespace
}  // namespace ollama_exporter
