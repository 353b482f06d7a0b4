#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tsdb/stale_marker.h"

#include "test_server.h"

namespace ollama_exporter::http {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr char kNowIso[] = "2026-12-04T17:00:00.000Z";

const tsdb::Labels kUp = {{"__name__", "ollama_up"}};
const tsdb::Labels kInstalled = {{"__name__", "ollama_models_installed"}};
const tsdb::Labels kLoaded = {{"__name__", "ollama_models_loaded"}};

// One poll as the poller stores it; counts < 0 mean the call failed.
void AddPoll(FakeSeriesReader* store, int64_t at_ms, double up,
             double installed = -1, double loaded = -1) {
  store->Add(kUp, {{at_ms, up}});
  if (installed >= 0) store->Add(kInstalled, {{at_ms, installed}});
  if (loaded >= 0) store->Add(kLoaded, {{at_ms, loaded}});
}

// Polls every `spacing_ms` back from now, the newest `age_ms` old.
void AddPolls(FakeSeriesReader* store, int count, int64_t spacing_ms,
              int64_t age_ms = 0) {
  for (int i = 0; i < count; ++i) {
    AddPoll(store, kTestNowMs - age_ms - i * spacing_ms, 1, 2, 1);
  }
}

nlohmann::json Data(const HttpReply& reply) {
  INFO(reply.body);
  REQUIRE(reply.status == 200);
  nlohmann::json body = nlohmann::json::parse(reply.body);
  REQUIRE(body["success"] == true);
  return body["data"];
}

std::string ErrorBody(const std::string& error) {
  return nlohmann::ordered_json{
      {"success", false}, {"error", error}, {"timestamp", kNowIso}}
      .dump();
}

TEST_CASE("History is an empty list before the first poll", "[http]") {
  TestServer& server = FreshServer();
  HttpReply reply = server.client().Get("/api/ollama/history");
  CHECK(reply.status == 200);
  CHECK(reply.Header("content-type") == "application/json");
  CHECK(reply.body == std::string(R"({"success":true,"data":[],)") +
                          R"("timestamp":")" + kNowIso + "\"}");
}

TEST_CASE("History lists polls newest first with the dashboard's fields",
          "[http]") {
  TestServer& server = FreshServer();
  AddPoll(&server.store(), kTestNowMs - 2 * kMinute + 123, 0);
  AddPoll(&server.store(), kTestNowMs - kMinute, 1, 3, 1);
  AddPoll(&server.store(), kTestNowMs, 1, 5, 0);
  // Another ollama_up series (extra labels) is not the poll history.
  server.store().Add({{"__name__", "ollama_up"}, {"x", "y"}},
                     {{kTestNowMs - 30000, 1}});

  HttpReply reply = server.client().Get("/api/ollama/history");
  CHECK(reply.status == 200);
  CHECK(reply.body ==
        std::string(R"({"success":true,"data":[)") +
            R"({"timestamp":"2026-12-04T17:00:00.000Z","running":true,)"
            R"("modelCount":5,"activeInferences":0},)"
            R"({"timestamp":"2026-12-04T16:59:00.000Z","running":true,)"
            R"("modelCount":3,"activeInferences":1},)"
            R"({"timestamp":"2026-12-04T16:58:00.123Z","running":false,)"
            R"("modelCount":0,"activeInferences":0}],)"
            R"("timestamp":"2026-12-04T17:00:00.000Z"})");
}

TEST_CASE(
    "History's activeInferences counts proxied requests while the proxy "
    "runs",
    "[http]") {
  TestServer& server = FreshServer();
  const tsdb::Labels proxy_on = {
      {"__name__", "ollama_exporter_proxy_model_overflows_total"}};
  auto in_flight = [](const char* model) {
    return tsdb::Labels{{"__name__", "ollama_requests_in_flight"},
                        {"model", model}};
  };
  // Proxy off: loaded models. Proxy on, nothing proxied yet: 0 although
  // two models are loaded. Then 3 + 1 requests in flight, then 1.
  AddPoll(&server.store(), kTestNowMs - 3 * kMinute, 1, 4, 2);
  AddPoll(&server.store(), kTestNowMs - 2 * kMinute, 1, 4, 2);
  server.store().Add(proxy_on, {{kTestNowMs - 2 * kMinute, 0},
                                {kTestNowMs - kMinute, 0},
                                {kTestNowMs, 1}});
  AddPoll(&server.store(), kTestNowMs - kMinute, 1, 4, 2);
  server.store().Add(in_flight("qwen3:8b"),
                     {{kTestNowMs - kMinute, 3}, {kTestNowMs, 1}});
  server.store().Add(in_flight("other"), {{kTestNowMs - kMinute, 1},
                                          {kTestNowMs, tsdb::StaleMarker()}});
  AddPoll(&server.store(), kTestNowMs, 1, 4, 2);

  nlohmann::json data = Data(server.client().Get("/api/ollama/history"));
  REQUIRE(data.size() == 4);
  CHECK(data[0]["activeInferences"] == 1);
  CHECK(data[1]["activeInferences"] == 4);
  CHECK(data[2]["activeInferences"] == 0);
  CHECK(data[3]["activeInferences"] == 2);
}

TEST_CASE("History counts a staleness marker as no models", "[http][stale]") {
  TestServer& server = FreshServer();
  // The poller marks the counts stale when /api/tags and /api/ps fail
  // after a poll that stored them.
  AddPoll(&server.store(), kTestNowMs - kMinute, 1, 3, 1);
  AddPoll(&server.store(), kTestNowMs, 0);
  server.store().Add(kInstalled, {{kTestNowMs, tsdb::StaleMarker()}});
  server.store().Add(kLoaded, {{kTestNowMs, tsdb::StaleMarker()}});

  nlohmann::json data = Data(server.client().Get("/api/ollama/history"));
  REQUIRE(data.size() == 2);
  CHECK(data[0] == nlohmann::json{{"timestamp", "2026-12-04T17:00:00.000Z"},
                                  {"running", false},
                                  {"modelCount", 0},
                                  {"activeInferences", 0}});
  CHECK(data[1]["modelCount"] == 3);
  CHECK(data[1]["activeInferences"] == 1);
}

TEST_CASE("History covers the last 24 hours by default, edges included",
          "[http]") {
  TestServer& server = FreshServer();
  AddPoll(&server.store(), kTestNowMs - 24 * kHour - 1, 1);
  AddPoll(&server.store(), kTestNowMs - 24 * kHour, 1);
  AddPoll(&server.store(), kTestNowMs - kHour, 1);
  AddPoll(&server.store(), kTestNowMs + 1, 1);

  nlohmann::json data = Data(server.client().Get("/api/ollama/history"));
  REQUIRE(data.size() == 2);
  CHECK(data[0]["timestamp"] == "2026-12-04T16:00:00.000Z");
  CHECK(data[1]["timestamp"] == "2026-12-03T17:00:00.000Z");
}

TEST_CASE("History's hours parameter narrows or widens the window", "[http]") {
  TestServer& server = FreshServer();
  AddPoll(&server.store(), kTestNowMs - 29 * kMinute, 1);
  AddPoll(&server.store(), kTestNowMs - 31 * kMinute, 1);
  AddPoll(&server.store(), kTestNowMs - 25 * kHour, 1);
  AddPoll(&server.store(), kTestNowMs - 8784 * kHour, 1);

  CHECK(Data(server.client().Get("/api/ollama/history?hours=0.5")).size() == 1);
  CHECK(Data(server.client().Get("/api/ollama/history?hours=1")).size() == 2);
  CHECK(Data(server.client().Get("/api/ollama/history?hours=26")).size() == 3);
  CHECK(Data(server.client().Get("/api/ollama/history?hours=8784")).size() ==
        4);
}

TEST_CASE("History returns at most limit polls, 1000 by default, 5000 at most",
          "[http]") {
  TestServer& server = FreshServer();
  AddPolls(&server.store(), 5100, 10000);

  nlohmann::json data = Data(server.client().Get("/api/ollama/history"));
  CHECK(data.size() == 1000);
  data = Data(server.client().Get("/api/ollama/history?limit=3"));
  REQUIRE(data.size() == 3);
  CHECK(data[0]["timestamp"] == "2026-12-04T17:00:00.000Z");
  CHECK(data[1]["timestamp"] == "2026-12-04T16:59:50.000Z");
  CHECK(data[2]["timestamp"] == "2026-12-04T16:59:40.000Z");
  CHECK(Data(server.client().Get("/api/ollama/history?limit=5000")).size() ==
        5000);
  CHECK(Data(server.client().Get("/api/ollama/history?limit=6000")).size() ==
        5000);
  CHECK(Data(server.client().Get(
                 "/api/ollama/history?limit=99999999999999999999999"))
            .size() == 5000);
}

TEST_CASE("History ignores unknown parameters and uses the first of repeats",
          "[http]") {
  TestServer& server = FreshServer();
  AddPolls(&server.store(), 10, kMinute);
  CHECK(Data(server.client().Get(
                 "/api/ollama/history?limit=2&limit=3&foo=bar&hours=1"
                 "&hours=x"))
            .size() == 2);
  CHECK(server.client().Get("/api/ollama/history?hours=x&hours=1").status ==
        400);
}

TEST_CASE("History answers 400 naming the bad parameter and value", "[http]") {
  TestServer& server = FreshServer();

  struct Case {
    std::string query;
    std::string error;
  };

  const std::string range =
      "must be greater than 0 and at most 8784 (366 days)";
  for (const Case& c : std::vector<Case>{
           {"hours=abc", R"(invalid hours "abc": must be a number)"},
           {"hours=", R"(invalid hours "": must be a number)"},
           {"hours=1h", R"(invalid hours "1h": must be a number)"},
           {"hours=+1", R"(invalid hours " 1": must be a number)"},
           {"hours=NaN", R"(invalid hours "NaN": must be a finite number)"},
           {"hours=inf", R"(invalid hours "inf": must be a finite number)"},
           {"hours=-1", R"(invalid hours "-1": must be greater than 0)"},
           {"hours=0", R"(invalid hours "0": must be greater than 0)"},
           {"hours=-0.0", R"(invalid hours "-0.0": must be greater than 0)"},
           {"hours=8784.01",
            R"(invalid hours "8784.01": must be at most 8784 (366 days))"},
           {"hours=1e400", R"(invalid hours "1e400": )" + range},
           {"limit=abc", R"(invalid limit "abc": must be a number)"},
           {"limit=", R"(invalid limit "": must be a number)"},
           {"limit=-", R"(invalid limit "-": must be a number)"},
           {"limit=1.5", R"(invalid limit "1.5": must be a whole number)"},
           {"limit=1e3", R"(invalid limit "1e3": must be a whole number)"},
           {"limit=0", R"(invalid limit "0": must be greater than 0)"},
           {"limit=-3", R"(invalid limit "-3": must be greater than 0)"},
           {"limit=-99999999999999999999",
            R"(invalid limit "-99999999999999999999": must be greater than 0)"},
           {"hours=1&limit=%zz", R"(invalid URL escape "%zz")"},
       }) {
    INFO(c.query);
    HttpReply reply = server.client().Get("/api/ollama/history?" + c.query);
    CHECK(reply.status == 400);
    CHECK(reply.Header("content-type") == "application/json");
    CHECK(reply.body == ErrorBody(c.error));
  }
}

TEST_CASE("History's errors stay valid JSON for non-UTF-8 values", "[http]") {
  TestServer& server = FreshServer();
  HttpReply reply = server.client().Get("/api/ollama/history?hours=%FF");
  CHECK(reply.status == 400);
  CHECK(reply.body ==
        ErrorBody("invalid hours \"\xef\xbf\xbd\": must be a number"));
}

TEST_CASE("History answers 503 or 500 when the store fails", "[http]") {
  TestServer& server = FreshServer();
  AddPolls(&server.store(), 3, kMinute);

  struct Case {
    Status failure;
    std::string method;
    long status;
    std::string error;
  };

  for (const Case& c : std::vector<Case>{
           {Status::Unavailable("disk gone"), "", 503,
            "unavailable: reading the poll history: disk gone"},
           {Status::DeadlineExceeded("slow disk"), "ReadNewestFirst", 503,
            "deadline exceeded: reading the poll history: slow disk"},
           {Status::Unavailable("io error"), "Read", 503,
            "unavailable: reading the poll history: io error"},
           {Status::DataLoss("bad block"), "Select", 500,
            "data loss: reading the poll history: bad block"},
           {Status::Internal("bug"), "Read", 500,
            "internal: reading the poll history: bug"},
       }) {
    INFO(c.error);
    server.store().FailWith(c.failure, c.method);
    HttpReply reply = server.client().Get("/api/ollama/history");
    CHECK(reply.status == c.status);
    CHECK(reply.body == ErrorBody(c.error));
  }
  server.store().FailWith(Status::Ok());
  CHECK(Data(server.client().Get("/api/ollama/history")).size() == 3);
}

}  // namespace
}  // namespace ollama_exporter::http
