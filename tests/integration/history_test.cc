// The JSON history and range read routes, fed by real polls.

#include <cmath>
#include <memory>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "rig.h"
#include "rig_checks.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kWaitMs = 5000;

// Newest first, strictly.
void CheckNewestFirst(const std::vector<HistoryEntry>& data) {
  for (size_t i = 1; i < data.size(); ++i) {
    CAPTURE(i);
    CHECK(data[i - 1].timestamp_ms > data[i].timestamp_ms);
  }
}

TEST_CASE(
    "History lists polls newest first with running, model and "
    "loaded counts",
    "[integration][history]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  HistoryReply reply;
  REQUIRE(Eventually(
      [&] { return rig->History("", &reply).ok() && reply.data.size() >= 4; },
      kWaitMs));

  const int64_t now_ms = NowMillis();
  CHECK(std::llabs(reply.timestamp_ms - now_ms) < 2000);
  CHECK(reply.timestamp_ms >= reply.data[0].timestamp_ms);
  CheckNewestFirst(reply.data);
  for (const HistoryEntry& entry : reply.data) {
    CHECK(entry.running);
    CHECK(entry.model_count == 3);
    CHECK(entry.active_inferences == 2);
  }
  // Polls 200ms apart.
  CHECK(reply.data[0].timestamp_ms - reply.data[1].timestamp_ms ==
        Approx(200).margin(100));

  REQUIRE_OK(rig->History("?limit=2", &reply));
  CHECK(reply.data.size() == 2);
  CheckNewestFirst(reply.data);
  REQUIRE_OK(rig->History("?hours=0.5&limit=3", &reply));
  CHECK(reply.data.size() == 3);

  // Ollama goes down: new polls say so.
  rig->ollama().Down();
  REQUIRE(Eventually(
      [&] {
        return rig->History("", &reply).ok() && !reply.data.empty() &&
               !reply.data[0].running;
      },
      kWaitMs));
  CHECK(reply.data[0].model_count == 0);
  CHECK(reply.data[0].active_inferences == 0);
  CheckNewestFirst(reply.data);
  CHECK(reply.data.back().running);  // The oldest polls keep their state.
}

TEST_CASE("History rejects bad hours and limit with 400 and a message",
          "[integration][history]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());

  const std::string query = GENERATE(
      std::string("hours=abc"), std::string("hours=-1"), std::string("hours=0"),
      std::string("hours=1e9"), std::string("limit=abc"),
      std::string("limit=0"), std::string("limit=-5"));
  CAPTURE(query);
  HttpReply http;
  REQUIRE_OK(rig->exporter().Get("/api/ollama/history?" + query, &http));
  CHECK(http.status == 400);
  CHECK(http.content_type.find("application/json") == 0);
  HistoryReply reply;
  REQUIRE_OK(ParseHistoryReply(http.body, &reply));
  CHECK_FALSE(reply.success);
  const std::string parameter = query.substr(0, query.find('='));
  CHECK(reply.error.find(parameter) != std::string::npos);
}

// "/api/v1/query_range?query=..." over the last minute, 1 s steps.
std::string RangeQuery(const std::string& selector) {
  const int64_t now = NowMillis() / 1000;
  return "/api/v1/query_range?query=" + UrlEscape(selector) +
         "&start=" + std::to_string(now - 60) +
         "&end=" + std::to_string(now + 1) + "&step=1";
}

TEST_CASE("Range reads return the stored values with their labels",
          "[integration][query_range]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  HistoryReply history;
  REQUIRE(Eventually(
      [&] {
        return rig->History("", &history).ok() && history.data.size() >= 3;
      },
      kWaitMs));

  HttpReply http;
  RangeReply reply;
  SECTION("one series by exact name and label") {
    REQUIRE_OK(rig->exporter().Get(
        RangeQuery("ollama_loaded_model_vram_bytes{model=\"qwen3:8b\"}"),
        &http));
    INFO(http.body);
    REQUIRE(http.status == 200);
    REQUIRE_OK(ParseRangeReply(http.body, &reply));
    CHECK(reply.status == "success");
    CHECK(reply.result_type == "matrix");
    REQUIRE(reply.result.size() == 1);
    CHECK(reply.result[0].metric ==
          LabelSet{{"__name__", "ollama_loaded_model_vram_bytes"},
                   {"model", kQwen}});
    REQUIRE_FALSE(reply.result[0].values.empty());
    for (const auto& [seconds, value] : reply.result[0].values) {
      CHECK(value == "6918709248");
      CHECK(seconds <= NowSeconds() + 1);
    }
  }

  SECTION("several series by a regex matcher") {
    REQUIRE_OK(rig->exporter().Get(
        RangeQuery("ollama_model_size_bytes{model=~\"qwen3:.*|hf\\\\.co/.*\"}"),
        &http));
    INFO(http.body);
    REQUIRE(http.status == 200);
    REQUIRE_OK(ParseRangeReply(http.body, &reply));
    REQUIRE(reply.result.size() == 2);
    std::set<std::string> models;
    for (const RangeSeries& series : reply.result) {
      CHECK(series.metric.at("__name__") == "ollama_model_size_bytes");
      models.insert(series.metric.at("model"));
      REQUIRE_FALSE(series.values.empty());
      CHECK(series.values.back().second ==
            (series.metric.at("model") == kQwen ? "5225388164" : "1285493011"));
    }
    CHECK(models == std::set<std::string>{kQwen, kCoder});
  }

  SECTION("every loaded model") {
    REQUIRE_OK(rig->exporter().Get(
        RangeQuery("ollama_loaded_model_size_bytes{model=~\".+\"}"), &http));
    INFO(http.body);
    REQUIRE(http.status == 200);
    REQUIRE_OK(ParseRangeReply(http.body, &reply));
    CHECK(reply.result.size() == 2);
  }
}

}  // namespace
}  // namespace ollama_exporter::integration
