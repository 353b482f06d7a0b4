#include "exporter/tags_collector.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
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

TagsReply Parse(std::string_view json) {
  return testing::ParseOrFail(ParseTagsReply, json);
}

TagsReply ParseFixture(std::string_view name) { return Parse(Fixture(name)); }

std::vector<std::string> Names(const TagsReply& reply) {
  return testing::ModelNames(reply);
}

TEST_CASE("ParseTagsReply reads local, Hugging Face and cloud entries",
          "[tags]") {
  TagsReply reply = ParseFixture("tags_three_kinds.json");
  CHECK(reply.skipped_entries == 0);
  REQUIRE(reply.models.size() == 3);

  const InstalledModel& local = reply.models[0];
  CHECK(local.name == "qwen3:8b");
  CHECK(local.size_bytes == 5225401100);
  CHECK(local.digest ==
        "5b1c0e3a9d2f4e6b8a7c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f00");
  CHECK(local.details.format == "gguf");
  CHECK(local.details.family == "qwen3");
  CHECK(local.details.families == Lines{"qwen3"});
  CHECK(local.details.parameter_size == "8.2B");
  CHECK(local.details.quantization_level == "Q4_K_M");
  CHECK_FALSE(local.remote);
  CHECK(local.modified_unix_ms == 1784014212480);

  const InstalledModel& hugging_face = reply.models[1];
  CHECK(hugging_face.name == "hf.co/northwind/Mini-Coder-3B-GGUF:Q5_K_M");
  CHECK(hugging_face.details.families == Lines{"qwen2", "clip"});
  CHECK(hugging_face.modified_unix_ms == 1782882301500);

  const InstalledModel& cloud = reply.models[2];
  CHECK(cloud.name == "deepseek-v3.1:671b-cloud");
  CHECK(cloud.size_bytes == 412);
  CHECK(cloud.remote);
  CHECK(cloud.details.format == "");
  CHECK(cloud.details.families.empty());
  CHECK(cloud.details.quantization_level == "");
  CHECK(cloud.modified_unix_ms == 1777701600000);
}

TEST_CASE("TagsFamilies exports counts, sizes, details and times by name",
          "[tags]") {
  std::vector<prometheus::MetricFamily> families =
      TagsFamilies(ParseFixture("tags_three_kinds.json"));
  CHECK(FamilyNames(families) ==
        Lines{"ollama_models_installed", "ollama_model_size_bytes",
              "ollama_model_info", "ollama_model_modified_timestamp_seconds"});
  for (const prometheus::MetricFamily& family : families) {
    CHECK(family.type == prometheus::MetricType::Gauge);
  }
  CHECK(SeriesLines(families, "ollama_models_installed") ==
        Lines{"ollama_models_installed 3"});
  CHECK(SeriesLines(families, "ollama_model_size_bytes") ==
        Lines{"ollama_model_size_bytes{model=\"deepseek-v3.1:671b-cloud\"} 412",
              "ollama_model_size_bytes{model=\"hf.co/northwind/"
              "Mini-Coder-3B-GGUF:Q5_K_M\"} 2310412877",
              "ollama_model_size_bytes{model=\"qwen3:8b\"} 5225401100"});
  CHECK(SeriesLines(families, "ollama_model_info") ==
        Lines{"ollama_model_info{model=\"deepseek-v3.1:671b-cloud\","
              "family=\"deepseek2\",parameter_size=\"671.0B\","
              "quantization=\"\",format=\"\",remote=\"true\"} 1",
              "ollama_model_info{model=\"hf.co/northwind/"
              "Mini-Coder-3B-GGUF:Q5_K_M\",family=\"qwen2\","
              "parameter_size=\"3.1B\",quantization=\"Q5_K_M\","
              "format=\"gguf\",remote=\"false\"} 1",
              "ollama_model_info{model=\"qwen3:8b\",family=\"qwen3\","
              "parameter_size=\"8.2B\",quantization=\"Q4_K_M\","
              "format=\"gguf\",remote=\"false\"} 1"});
  CHECK(SeriesLines(families, "ollama_model_modified_timestamp_seconds") ==
        Lines{"ollama_model_modified_timestamp_seconds{model=\"deepseek-v3.1:"
              "671b-cloud\"} 1777701600",
              "ollama_model_modified_timestamp_seconds{model=\"hf.co/"
              "northwind/Mini-Coder-3B-GGUF:Q5_K_M\"} 1782882301.5",
              "ollama_model_modified_timestamp_seconds{model=\"qwen3:8b\"} "
              "1784014212.48"});
}

TEST_CASE("An empty or null model list is success with a zero count",
          "[tags]") {
  const char* fixture = GENERATE("tags_empty.json", "tags_models_null.json");
  TagsReply reply = ParseFixture(fixture);
  CHECK(reply.models.empty());
  CHECK(reply.skipped_entries == 0);

  std::vector<prometheus::MetricFamily> families = TagsFamilies(reply);
  CHECK(families.size() == 4);
  CHECK(SeriesLines(families, "ollama_models_installed") ==
        Lines{"ollama_models_installed 0"});
  for (const char* name : {"ollama_model_size_bytes", "ollama_model_info",
                           "ollama_model_modified_timestamp_seconds"}) {
    const prometheus::MetricFamily* family =
        testing::FindFamily(families, name);
    REQUIRE(family != nullptr);
    CHECK_FALSE(family->help.empty());
    CHECK(family->metric.empty());
  }
}

TEST_CASE("ParseTagsReply reads entries of older servers", "[tags]") {
  SECTION("v0.1.38-0.1.41: the bogus year-1 expires_at is ignored") {
    TagsReply reply = ParseFixture("tags_pre_v0_1_42.json");
    REQUIRE(reply.models.size() == 1);
    CHECK(reply.models[0].name == "llama3:latest");
    CHECK(reply.models[0].size_bytes == 4661224676);
    CHECK(reply.models[0].modified_unix_ms == 1716906033104);
  }
  SECTION("before v0.1.21: no \"model\" field, no parent_model") {
    TagsReply reply = ParseFixture("tags_pre_v0_1_21.json");
    REQUIRE(reply.models.size() == 1);
    CHECK(reply.models[0].name == "mistral:7b");
    CHECK(reply.models[0].details.parameter_size == "7B");
    CHECK(reply.models[0].details.families.empty());
    CHECK(reply.models[0].modified_unix_ms == 1704794565914);
  }
  SECTION("before v0.30: no capabilities or context_length") {
    TagsReply reply = ParseFixture("tags_pre_v0_30.json");
    REQUIRE(reply.models.size() == 1);
    CHECK(reply.models[0].name == "gemma3:4b");
    CHECK(reply.models[0].details.quantization_level == "Q4_K_M");
    CHECK(reply.models[0].modified_unix_ms == 1773819909004);
  }
}

TEST_CASE("Empty, absent or oddly typed details never drop an entry",
          "[tags]") {
  SECTION("all details empty and families null") {
    TagsReply reply = ParseFixture("tags_details_empty.json");
    REQUIRE(reply.models.size() == 1);
    CHECK(SeriesLines(TagsFamilies(reply), "ollama_model_info") ==
          Lines{"ollama_model_info{model=\"scratch:latest\",family=\"\","
                "parameter_size=\"\",quantization=\"\",format=\"\","
                "remote=\"false\"} 1"});
  }
  SECTION("details absent, null, a string, or with wrong types inside") {
    TagsReply reply = ParseFixture("tags_details_missing_or_odd.json");
    CHECK(reply.skipped_entries == 0);
    REQUIRE(reply.models.size() == 5);
    for (int i = 0; i < 3; ++i) {
      INFO(reply.models[i].name);
      CHECK(reply.models[i].details.format == "");
      CHECK(reply.models[i].details.family == "");
      CHECK(reply.models[i].details.families.empty());
      CHECK(reply.models[i].size_bytes == 10 * (i + 1));
    }
    const ModelDetails& odd = reply.models[3].details;
    CHECK(odd.format == "");
    CHECK(odd.family == "");
    CHECK(odd.families == Lines{"llama", "clip"});
    CHECK(odd.parameter_size == "");
    CHECK(odd.quantization_level == "");
    const ModelDetails& string_families = reply.models[4].details;
    CHECK(string_families.family == "phi3");
    CHECK(string_families.families.empty());
    CHECK(string_families.quantization_level == "Q8_0");
  }
}

TEST_CASE("Model names with hosts, ports, slashes and escapes are kept",
          "[tags]") {
  TagsReply reply = ParseFixture("tags_unusual_names.json");
  CHECK(reply.skipped_entries == 0);
  CHECK(Names(reply) == Lines{"registry.lan:5000/team/assistant:v2",
                              "hf.co/northwind/Mini-Coder-3B-GGUF:Q5_K_M",
                              "myqwen:latest",
                              "\xC3\xA9t\xC3\xA9/mod\xC3\xA8le:latest",
                              "quote\"back\\slash:x", "<think>:tag"});
  CHECK(SeriesLines(TagsFamilies(reply), "ollama_model_size_bytes") ==
        Lines{"ollama_model_size_bytes{model=\"<think>:tag\"} 600",
              "ollama_model_size_bytes{model=\"hf.co/northwind/"
              "Mini-Coder-3B-GGUF:Q5_K_M\"} 200",
              "ollama_model_size_bytes{model=\"myqwen:latest\"} 300",
              "ollama_model_size_bytes{model=\"quote\"back\\slash:x\"} 500",
              "ollama_model_size_bytes{model=\"registry.lan:5000/team/"
              "assistant:v2\"} 100",
              "ollama_model_size_bytes{model=\"\xC3\xA9t\xC3\xA9/"
              "mod\xC3\xA8le:latest\"} 400"});
}

TEST_CASE("An entry without a name is skipped; \"model\" stands in for it",
          "[tags]") {
  TagsReply reply = ParseFixture("tags_name_fallback.json");
  CHECK(Names(reply) == Lines{"only-model:latest", "null-name:latest",
                              "empty-name:latest", "kept:latest"});
  CHECK(reply.skipped_entries == 3);
}

TEST_CASE("A repeated name keeps the first entry and counts the others",
          "[tags]") {
  TagsReply reply = ParseFixture("tags_duplicates.json");
  CHECK(Names(reply) == Lines{"qwen3:8b", "llama3.2:3b"});
  CHECK(reply.models[0].size_bytes == 5225401100);
  CHECK(reply.models[1].size_bytes == 2019393189);
  CHECK(reply.skipped_entries == 3);
  CHECK(SeriesLines(TagsFamilies(reply), "ollama_models_installed") ==
        Lines{"ollama_models_installed 2"});
}

TEST_CASE("Entries that are not objects are skipped", "[tags]") {
  TagsReply reply = ParseFixture("tags_non_object_entries.json");
  CHECK(Names(reply) == Lines{"real:latest"});
  CHECK(reply.models[0].size_bytes == 12345);
  CHECK(reply.skipped_entries == 5);
}

TEST_CASE("Sizes may be floats; odd sizes read as 0 or clamp", "[tags]") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  TagsReply reply = ParseFixture("tags_size_variants.json");
  REQUIRE(reply.models.size() == 13);
  std::vector<std::pair<std::string, int64_t>> sizes;
  for (const InstalledModel& model : reply.models) {
    sizes.emplace_back(model.name, model.size_bytes);
  }
  CHECK(sizes == std::vector<std::pair<std::string, int64_t>>{
                     {"float:latest", 5200000000},
                     {"fraction:latest", 1234},
                     {"negative:latest", 0},
                     {"negative-float:latest", 0},
                     {"string:latest", 0},
                     {"null:latest", 0},
                     {"absent:latest", 0},
                     {"bool:latest", 0},
                     {"max-int64:latest", kMax},
                     {"max-uint64:latest", kMax},
                     {"past-uint64:latest", kMax},
                     {"huge-float:latest", kMax},
                     {"big-real:latest", 47513632768},
                 });
}

TEST_CASE("Modification times are exported only when they parse", "[tags]") {
  TagsReply reply = ParseFixture("tags_timestamp_variants.json");
  REQUIRE(reply.models.size() == 8);
  CHECK(reply.models[0].modified_unix_ms == 1784014212480);
  CHECK(reply.models[1].modified_unix_ms == 1784046612480);
  CHECK(reply.models[2].modified_unix_ms == 1784014212000);
  CHECK_FALSE(reply.models[3].modified_unix_ms);  // Go's zero time: unset.
  for (int i = 4; i < 8; ++i) {
    INFO(reply.models[i].name);
    CHECK_FALSE(reply.models[i].modified_unix_ms.has_value());
  }
  CHECK(SeriesLines(TagsFamilies(reply),
                    "ollama_model_modified_timestamp_seconds") ==
        Lines{"ollama_model_modified_timestamp_seconds{model=\"nanos:latest\"}"
              " 1784014212.48",
              "ollama_model_modified_timestamp_seconds{model=\"whole-seconds:"
              "latest\"} 1784014212",
              "ollama_model_modified_timestamp_seconds{model=\"windows:"
              "latest\"} 1784046612.48"});
}

TEST_CASE("A model is remote when remote_host or remote_model is set",
          "[tags]") {
  TagsReply reply = ParseFixture("tags_remote_variants.json");
  REQUIRE(reply.models.size() == 5);
  CHECK(reply.models[0].remote);
  CHECK(reply.models[1].remote);
  CHECK_FALSE(reply.models[2].remote);
  CHECK_FALSE(reply.models[3].remote);
  CHECK_FALSE(reply.models[4].remote);
}

TEST_CASE("A 1,000-model list becomes 1,000 series per family", "[tags]") {
  std::string json = "{\"models\":[";
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) json += ",";
    json += "{\"name\":\"model-" + std::to_string(i) +
            ":latest\",\"size\":" + std::to_string(1000000 + i) +
            ",\"modified_at\":\"2026-08-21T12:00:00." +
            std::to_string(100 + i % 900) +
            "+02:00\",\"details\":{\"format\":\"gguf\",\"family\":\"llama\"}}";
  }
  json += "]}";
  TagsReply reply = Parse(json);
  CHECK(reply.models.size() == 1000);
  CHECK(reply.models[999].name == "model-999:latest");
  CHECK(reply.models[999].size_bytes == 1000999);

  std::vector<prometheus::MetricFamily> families = TagsFamilies(reply);
  CHECK(SeriesLines(families, "ollama_models_installed") ==
        Lines{"ollama_models_installed 1000"});
  CHECK(SeriesLines(families, "ollama_model_size_bytes").size() == 1000);
  CHECK(SeriesLines(families, "ollama_model_info").size() == 1000);
  Lines times =
      SeriesLines(families, "ollama_model_modified_timestamp_seconds");
  REQUIRE(times.size() == 1000);
  CHECK(std::is_sorted(times.begin(), times.end()));
  CHECK(std::count(times.begin(), times.end(),
                   "ollama_model_modified_timestamp_seconds{model=\"model-10:"
                   "latest\"} 1787306400.11") == 1);
}

TEST_CASE("ParseTagsReply rejects replies that are not a model list",
          "[tags]") {
  auto message = [](std::string_view json) {
    TagsReply reply;
    reply.skipped_entries = -1;
    Status status = ParseTagsReply(json, &reply);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(reply.skipped_entries == -1);
    CHECK(reply.models.empty());
    return status.message();
  };
  CHECK(message(Fixture("tags_no_models_field.json")) ==
        "reply has no \"models\" field: \"{\"error\":\"model list cache "
        "unavailable\"}\"");
  CHECK(message(Fixture("tags_models_object.json")) ==
        "\"models\" is an object, not an array: \"{\"models\":{\"name\":"
        "\"qwen3:8b\",\"size\":5225401100}}\"");
  CHECK(message("") == "reply is empty");
  CHECK(message("   \n") == "reply is not JSON: \"\"");
  CHECK(message("405 method not allowed") ==
        "reply is not JSON: \"405 method not allowed\"");
  CHECK(message("<html><body>Bad Gateway</body></html>") ==
        "reply is not JSON: \"<html><body>Bad Gateway</body></html>\"");
  CHECK(message("[]") == "reply is an array, not a JSON object: \"[]\"");
  CHECK(message("42") == "reply is a number, not a JSON object: \"42\"");
  CHECK(message("true") == "reply is a boolean, not a JSON object: \"true\"");
  CHECK(message("{\"models\":7}") ==
        "\"models\" is a number, not an array: \"{\"models\":7}\"");
  CHECK(message("{\"models\":[]} {}") ==
        "reply is not JSON: \"{\"models\":[]} {}\"");
  CHECK(message("{\"models\":[{\"name\":\"\xff\"}]}") ==
        "reply is not JSON: \"{\"models\":[{\"name\":\"?\"}]}\"");
  CHECK(message(std::string("{\"models\":[]}\0", 14)) ==
        "reply holds a NUL byte: \"{\"models\":[]}?\"");
  CHECK(message(std::string("{\"models\":[]}\0{\"x\":1}", 21)) ==
        "reply holds a NUL byte: \"{\"models\":[]}?{\"x\":1}\"");
  CHECK(message(std::string(100, 'x')) ==
        "reply is not JSON: \"" + std::string(60, 'x') + "...\"");
}

TEST_CASE("Every truncation of a good reply is rejected cleanly", "[tags]") {
  std::string json = Fixture("tags_three_kinds.json");
  size_t end = json.rfind('}');
  for (size_t length = 0; length < end; ++length) {
    TagsReply reply;
    Status status = ParseTagsReply(json.substr(0, length), &reply);
    INFO("first " << length << " bytes: " << status.ToString());
    REQUIRE(status.code() == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("ParseTagsReply survives deep nesting and random damage", "[tags]") {
  SECTION("100,000 nested arrays") {
    std::string deep = "{\"models\":" + std::string(100000, '[') +
                       std::string(100000, ']') + "}";
    TagsReply reply = Parse(deep);
    CHECK(reply.models.empty());
    CHECK(reply.skipped_entries == 1);
  }
  SECTION("random byte edits of a real reply") {
    std::string seed = Fixture("tags_three_kinds.json");
    std::mt19937 random(11434);
    int accepted = 0;
    for (int i = 0; i < 2000; ++i) {
      std::string text = seed;
      for (int e = 0; e < 3; ++e) {
        text[random() % text.size()] = "{}[]\":,0x-\\ e."[random() % 15];
      }
      TagsReply reply;
      Status status = ParseTagsReply(text, &reply);
      if (status.ok()) {
        ++accepted;
        CHECK(reply.models.size() + reply.skipped_entries <= 3);
      } else {
        CHECK(status.code() == StatusCode::kFailedPrecondition);
      }
    }
    CHECK(accepted > 0);  // Edits inside strings keep the reply valid.
  }
}

TEST_CASE("HELP texts need no escaping", "[tags]") {
  for (const prometheus::MetricFamily& family :
       TagsFamilies(ParseFixture("tags_three_kinds.json"))) {
    INFO(family.name);
    CHECK(family.help.find_first_of("\\\n") == std::string::npos);
    CHECK_FALSE(family.help.empty());
  }
}

TEST_CASE("TagsCollector fetches /api/tags and reports skipped entries",
          "[tags]") {
  testing::CannedServer& server = testing::CannedServer::Shared();
  OllamaClientOptions options;
  options.base_url = server.url();
  options.timeout_ms = 2000;
  std::unique_ptr<OllamaClient> client;
  REQUIRE(OllamaClient::Create(options, &client).ok());
  TagsCollector collector(client.get());
  CHECK(collector.name() == "tags");
  CHECK(collector.last_skipped_entries() == 0);

  server.Answer("/api/tags", 200, Fixture("tags_duplicates.json"));
  std::vector<prometheus::MetricFamily> out;
  Status status = collector.Collect(&out);
  INFO(status.ToString());
  REQUIRE(status.ok());
  CHECK(collector.last_skipped_entries() == 3);
  CHECK(SeriesLines(out, "ollama_model_size_bytes") ==
        Lines{"ollama_model_size_bytes{model=\"llama3.2:3b\"} 2019393189",
              "ollama_model_size_bytes{model=\"qwen3:8b\"} 5225401100"});

  SECTION("a garbage reply fails, naming the endpoint, and appends nothing") {
    server.Answer("/api/tags", 200, "{\"models\":[");
    out.clear();
    status = collector.Collect(&out);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message() ==
          "tags collector: GET /api/tags: reply is not JSON: "
          "\"{\"models\":[\"");
    CHECK(out.empty());
    CHECK(collector.last_skipped_entries() == 0);
  }
  SECTION("a 404 is a failed precondition with the server's text") {
    server.Answer("/api/tags", 404, "404 page not found");
    status = collector.Collect(&out);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message() ==
          "tags collector: GET /api/tags: HTTP 404: 404 page not found");
  }
}

TEST_CASE("TagsCollector reports an unreachable server as unavailable",
          "[tags]") {
  OllamaClientOptions options;
  options.base_url = testing::RefusingUrl();
  options.timeout_ms = 2000;
  std::unique_ptr<OllamaClient> client;
  REQUIRE(OllamaClient::Create(options, &client).ok());
  TagsCollector collector(client.get());
  std::vector<prometheus::MetricFamily> out;
  Status status = collector.Collect(&out);
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message().rfind("tags collector: GET /api/tags: ", 0) == 0);
  CHECK(out.empty());
}

}  // namespace
}  // namespace ollama_exporter
