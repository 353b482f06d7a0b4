#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/stale_marker.h"

#include "test_server.h"

namespace ollama_exporter::http {
namespace {

// 2026-12-04T17:00:00Z in seconds, the start of every query here.
constexpr int64_t kT0 = kTestNowMs / 1000;

const tsdb::Labels kLlama = {{"__name__", "ollama_model_loaded"},
                             {"model", "llama3"}};
const tsdb::Labels kQwen = {{"__name__", "ollama_model_loaded"},
                            {"model", "qwen"}};
const tsdb::Labels kUp = {{"__name__", "ollama_up"}};

std::string At(int64_t seconds) { return std::to_string(seconds); }

// Samples at T0, T0+15s, T0+30s; ollama_up only a day earlier.
void AddSeries(FakeSeriesReader* store) {
  const int64_t t0 = kTestNowMs;
  store->Add(kLlama, {{t0, 1}, {t0 + 15000, 2}, {t0 + 30000, 3}});
  store->Add(kQwen, {{t0, 0.1},
                     {t0 + 15000, std::nan("")},
                     {t0 + 30000, std::numeric_limits<double>::infinity()}});
  store->Add(kUp, {{t0 - 86400000, 1}});
}

std::string Range(const std::string& query, int64_t start, int64_t end,
                  const std::string& step) {
  return "/api/v1/query_range?query=" + query + "&start=" + At(start) +
         "&end=" + At(end) + "&step=" + step;
}

std::string Matrix(const std::string& series) {
  return R"({"status":"success","data":{"resultType":"matrix","result":[)" +
         series + "]}}";
}

const std::string kLlamaMetric =
    R"({"metric":{"__name__":"ollama_model_loaded","model":"llama3"},)";
const std::string kQwenMetric =
    R"({"metric":{"__name__":"ollama_model_loaded","model":"qwen"},)";

std::string LlamaValues() {
  return kLlamaMetric + R"("values":[[)" + At(kT0) + R"(,"1"],[)" +
         At(kT0 + 15) + R"(,"2"],[)" + At(kT0 + 30) + R"(,"3"]]})";
}

std::string QwenValues() {
  return kQwenMetric + R"("values":[[)" + At(kT0) + R"(,"0.1"],[)" +
         At(kT0 + 15) + R"(,"NaN"],[)" + At(kT0 + 30) + R"(,"+Inf"]]})";
}

std::string BadData(const std::string& error) {
  return R"({"status":"error","errorType":"bad_data","error":")" + error +
         "\"}";
}

TEST_CASE("query_range selects with each of the four matcher ops", "[http]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  HttpClient& client = server.client();

  HttpReply reply = client.Get(Range(
      "ollama_model_loaded%7Bmodel%3D%22llama3%22%7D", kT0, kT0 + 30, "15"));
  CHECK(reply.status == 200);
  CHECK(reply.Header("content-type") == "application/json");
  CHECK(reply.body == Matrix(LlamaValues()));

  CHECK(client
            .Get(Range("ollama_model_loaded{model!=\"llama3\"}", kT0, kT0 + 30,
                       "15"))
            .body == Matrix(QwenValues()));
  CHECK(client.Get(Range("{model=~\"l.*\"}", kT0, kT0 + 30, "15")).body ==
        Matrix(LlamaValues()));
  CHECK(client
            .Get(Range("ollama_model_loaded{model!~\"l.*\"}", kT0, kT0 + 30,
                       "15"))
            .body == Matrix(QwenValues()));
}

// std::regex recursed per character and per nesting level: these killed
// the whole process from a CivetWeb worker's stack, and (.|..)* took a
// minute. RE2 answers each in linear time.
TEST_CASE("query_range survives huge, deep and backtracking regexes",
          "[http]") {
  TestServer& server = FreshServer();
  const std::string long_name(300, 'q');
  server.store().Add(
      {{"__name__", "ollama_model_loaded"}, {"model", long_name}},
      {{kTestNowMs, 7}});
  AddSeries(&server.store());
  HttpClient& client = server.client();

  const std::string literal(800, 'a');
  const std::string deep = std::string(300, '(') + "a" + std::string(300, ')');
  // "%23" is '#', which would otherwise end the URL.
  for (const std::string& pattern :
       {literal, deep, std::string("(.|..)*%23"), std::string("(a|aa)*c")}) {
    INFO(pattern.substr(0, 40));
    HttpReply reply =
        client.Get(Range("{model=~\"" + pattern + "\"}", kT0, kT0 + 30, "15"));
    CHECK(reply.status == 200);
    CHECK(reply.body == Matrix(""));
  }

  HttpReply reply = client.Get(Range("{model=~\"qq.*\"}", kT0, kT0 + 30, "15"));
  CHECK(reply.status == 200);
  CHECK(reply.body ==
        Matrix(R"({"metric":{"__name__":"ollama_model_loaded",)"
               R"("model":")" +
               long_name + R"("},"values":[[)" + At(kT0) + R"(,"7"],[)" +
               At(kT0 + 15) + R"(,"7"],[)" + At(kT0 + 30) + R"(,"7"]]})"));
}

TEST_CASE("query_range sorts series by labels and drops empty ones", "[http]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  // ollama_up matches too but has no sample within the range's lookback.
  HttpReply reply = server.client().Get(
      Range("{__name__=~\"ollama_.*\"}", kT0, kT0 + 30, "15"));
  CHECK(reply.body == Matrix(LlamaValues() + "," + QwenValues()));
  CHECK(server.client().Get(Range("ollama_up", kT0, kT0 + 30, "15")).body ==
        Matrix(""));
  CHECK(server.client().Get(Range("nothing_here", kT0, kT0 + 30, "15")).body ==
        Matrix(""));
}

TEST_CASE("query_range downsamples by step and fills from the lookback",
          "[http]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  CHECK(server.client()
            .Get(Range("{model=\"llama3\"}", kT0, kT0 + 30, "30s"))
            .body == Matrix(kLlamaMetric + R"("values":[[)" + At(kT0) +
                            R"(,"1"],[)" + At(kT0 + 30) + R"(,"3"]]})"));
  // Steps between samples repeat the newest one, steps before the first
  // sample are left out, and decimal steps work.
  CHECK(server.client()
            .Get(Range("{model=\"llama3\"}", kT0 - 5, kT0 + 10, "7.5"))
            .body == Matrix(kLlamaMetric + R"("values":[[)" + At(kT0 + 2) +
                            R"(.5,"1"],[)" + At(kT0 + 10) + R"(,"1"]]})"));
}

TEST_CASE("query_range leaves gaps longer than the 5 minute lookback",
          "[http]") {
  TestServer& server = FreshServer();
  const tsdb::Labels gappy = {{"__name__", "gappy"}};
  server.store().Add(gappy, {{kTestNowMs, 1}, {kTestNowMs + 600000, 2}});

  std::string values;
  for (int64_t offset : {0, 60, 120, 180, 240}) {
    values += "[" + At(kT0 + offset) + ",\"1\"],";
  }
  // T0+300 and T0+900 are exactly 5 minutes after a sample: out of reach.
  for (int64_t offset : {600, 660, 720, 780, 840}) {
    values += "[" + At(kT0 + offset) + ",\"2\"],";
  }
  values.pop_back();
  CHECK(server.client().Get(Range("gappy", kT0, kT0 + 900, "1m")).body ==
        Matrix(R"({"metric":{"__name__":"gappy"},"values":[)" + values + "]}"));
}

TEST_CASE("query_range and query end a series at its staleness marker",
          "[http][stale]") {
  TestServer& server = FreshServer();
  const double stale = tsdb::StaleMarker();
  // llama3 unloaded at T0+30s and loaded again at T0+90s; qwen unloaded
  // before the range.
  const int64_t t0 = kTestNowMs;
  server.store().Add(kLlama, {{t0, 1}, {t0 + 30000, stale}, {t0 + 90000, 2}});
  server.store().Add(kQwen, {{t0 - 60000, 1}, {t0 - 30000, stale}});

  CHECK(server.client()
            .Get(Range("ollama_model_loaded", kT0, kT0 + 120, "15"))
            .body ==
        Matrix(kLlamaMetric + R"("values":[[)" + At(kT0) + R"(,"1"],[)" +
               At(kT0 + 15) + R"(,"1"],[)" + At(kT0 + 90) + R"(,"2"],[)" +
               At(kT0 + 105) + R"(,"2"],[)" + At(kT0 + 120) + R"(,"2"]]})"));

  const std::string vector =
      R"({"status":"success","data":{"resultType":"vector","result":[)";
  CHECK(server.client()
            .Get("/api/v1/query?query=ollama_model_loaded&time=" + At(kT0 + 29))
            .body ==
        vector + kLlamaMetric + R"("value":[)" + At(kT0 + 29) + R"(,"1"]}]}})");
  CHECK(server.client()
            .Get("/api/v1/query?query=ollama_model_loaded&time=" + At(kT0 + 30))
            .body == vector + "]}}");
}

TEST_CASE("query_range reads RFC 3339 times and form-encoded POST bodies",
          "[http]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  CHECK(server.client()
            .Get("/api/v1/query_range?query={model=\"llama3\"}"
                 "&start=2026-12-04T17:00:00Z&end=2026-12-04T18:00:30%2B01:00"
                 "&step=15")
            .body == Matrix(LlamaValues()));

  const std::vector<std::string> form = {
      "Content-Type: application/x-www-form-urlencoded"};
  HttpReply reply =
      server.client().Send("POST", "/api/v1/query_range",
                           "query=%7Bmodel%3D%22llama3%22%7D&start=" + At(kT0) +
                               "&end=" + At(kT0 + 30) + "&step=15",
                           form);
  CHECK(reply.status == 200);
  CHECK(reply.body == Matrix(LlamaValues()));

  // Body values win over the URL's; the URL fills in the rest.
  reply = server.client().Send(
      "POST",
      "/api/v1/query_range?query=nothing&step=15&start=" + At(kT0) +
          "&end=" + At(kT0 + 30),
      "query=%7Bmodel%3D%22llama3%22%7D", form);
  CHECK(reply.body == Matrix(LlamaValues()));

  // A body of another type is not read as parameters.
  reply = server.client().Send(
      "POST", Range("nothing_here", kT0, kT0 + 30, "15"),
      "query=%7Bmodel%3D%22llama3%22%7D", {"Content-Type: text/plain"});
  CHECK(reply.body == Matrix(""));
}

TEST_CASE("query_range answers 400 bad_data in Prometheus' words", "[http]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  const std::string only =
      " are not supported: only series selectors such as "
      "up{job=\\\"x\\\"}, rate(...) and increase(...) of them are";

  struct Case {
    std::string target;
    std::string error;
  };

  for (
      const Case& c : std::vector<Case>{
          {"/api/v1/query_range?query=up&end=1&step=1",
           R"(invalid parameter \"start\": cannot parse \"\" to a valid timestamp)"},
          {"/api/v1/query_range?query=up&start=x&end=1&step=1",
           R"(invalid parameter \"start\": cannot parse \"x\" to a valid timestamp)"},
          {"/api/v1/query_range?query=up&start=1&end=yesterday&step=1",
           R"(invalid parameter \"end\": cannot parse \"yesterday\" to a valid timestamp)"},
          {"/api/v1/query_range?query=up&start=2&end=1&step=1",
           "end timestamp must not be before start time"},
          {"/api/v1/query_range?query=up&start=1&end=2",
           R"(invalid parameter \"step\": cannot parse \"\" to a valid duration)"},
          {"/api/v1/query_range?query=up&start=1&end=2&step=fast",
           R"(invalid parameter \"step\": cannot parse \"fast\" to a valid duration)"},
          {"/api/v1/query_range?query=up&start=1&end=2&step=0",
           "zero or negative query resolution step widths are not accepted. "
           "Try a positive integer"},
          {"/api/v1/query_range?query=up&start=1&end=2&step=-1",
           "zero or negative query resolution step widths are not accepted. "
           "Try a positive integer"},
          {"/api/v1/query_range?query=up&start=0&end=11001&step=1",
           "exceeded maximum resolution of 11,000 points per timeseries. "
           "Try decreasing the query resolution (?step=XX)"},
          {"/api/v1/query_range?query=up&start=0&end=1100.1&step=0.1",
           "exceeded maximum resolution of 11,000 points per timeseries. "
           "Try decreasing the query resolution (?step=XX)"},
          {"/api/v1/query_range?start=1&end=2&step=1",
           R"(invalid parameter \"query\": 1:1: parse error: no expression found in input)"},
          {"/api/v1/query_range?query=irate(up%5B5m%5D)&start=1&end=2&step=1",
           R"(invalid parameter \"query\": 1:1: parse error: function calls and aggregations such as irate(...))" +
               only},
          {"/api/v1/query_range?query=up%5B5m%5D&start=1&end=2&step=1",
           R"(invalid parameter \"query\": invalid expression type \"range vector\" for range query, must be Scalar or instant Vector)"},
          {"/api/v1/query_range?query=up%20offset%205m&start=1&end=2&step=1",
           R"(invalid parameter \"query\": 1:4: parse error: offset modifiers)" +
               only},
          {"/api/v1/query_range?query=%7B%7D&start=1&end=2&step=1",
           R"(invalid parameter \"query\": 1:1: parse error: vector selector must contain at least one non-empty matcher)"},
          {"/api/v1/query_range?query=up&start=%zz&end=2&step=1",
           R"(invalid URL escape \"%zz\")"},
      }) {
    INFO(c.target);
    HttpReply reply = server.client().Get(c.target);
    CHECK(reply.status == 400);
    CHECK(reply.Header("content-type") == "application/json");
    CHECK(reply.body == BadData(c.error));
  }
  // 11,000 steps exactly is allowed.
  CHECK(server.client()
            .Get("/api/v1/query_range?query=up&start=0&end=11000&step=1")
            .status == 200);
}

TEST_CASE("query_range answers 503 or 500 when the store fails", "[http]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());

  struct Case {
    Status failure;
    std::string method;
    long status;
    std::string body;
  };

  for (const Case& c : std::vector<Case>{
           {Status::Unavailable("disk gone"), "", 503,
            R"({"status":"error","errorType":"unavailable",)"
            R"("error":"unavailable: selecting series: disk gone"})"},
           {Status::DeadlineExceeded("slow"), "Read", 503,
            R"({"status":"error","errorType":"timeout",)"
            R"("error":"deadline exceeded: reading series: slow"})"},
           {Status::DataLoss("bad block"), "Read", 500,
            R"({"status":"error","errorType":"internal",)"
            R"("error":"data loss: reading series: bad block"})"},
       }) {
    INFO(c.body);
    server.store().FailWith(c.failure, c.method);
    HttpReply reply =
        server.client().Get(Range("{model=\"llama3\"}", kT0, kT0 + 30, "15"));
    CHECK(reply.status == c.status);
    CHECK(reply.body == c.body);
  }
}

TEST_CASE("query answers an instant vector at time, or now", "[http]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  const std::string vector =
      R"({"status":"success","data":{"resultType":"vector","result":[)";

  HttpReply reply = server.client().Get(
      "/api/v1/query?query=ollama_model_loaded&time=" + At(kT0 + 20));
  CHECK(reply.status == 200);
  CHECK(reply.body == vector + kLlamaMetric + R"("value":[)" + At(kT0 + 20) +
                          R"(,"2"]},)" + kQwenMetric + R"("value":[)" +
                          At(kT0 + 20) + R"(,"NaN"]}]}})");

  // No time: now, which is kT0 on the test clock.
  reply = server.client().Get("/api/v1/query?query={model=\"qwen\"}&time=");
  CHECK(reply.body ==
        vector + kQwenMetric + R"("value":[)" + At(kT0) + R"(,"0.1"]}]}})");

  reply = server.client().Get("/api/v1/query?query=up&time=soon");
  CHECK(reply.status == 400);
  CHECK(
      reply.body ==
      BadData(
          R"(invalid parameter \"time\": cannot parse \"soon\" to a valid timestamp)"));
  reply = server.client().Get("/api/v1/query?query=sum(up)");
  CHECK(reply.status == 400);

  server.store().FailWith(Status::Unavailable("disk gone"));
  reply = server.client().Get("/api/v1/query?query=up");
  CHECK(reply.status == 503);
}

// A counter every 15 s from T0+5s; "b" resets at T0+35s.
void AddCounters(FakeSeriesReader* store) {
  const int64_t t0 = kTestNowMs;
  store->Add({{"__name__", "req_total"}, {"model", "a"}}, {{t0 + 5000, 10},
                                                           {t0 + 20000, 20},
                                                           {t0 + 35000, 30},
                                                           {t0 + 50000, 40},
                                                           {t0 + 65000, 50},
                                                           {t0 + 80000, 60}});
  store->Add(
      {{"__name__", "req_total"}, {"model", "b"}},
      {{t0 + 5000, 10}, {t0 + 20000, 20}, {t0 + 35000, 5}, {t0 + 50000, 15}});
}

TEST_CASE("query_range and query evaluate rate and increase as Prometheus",
          "[http][rate]") {
  TestServer& server = FreshServer();
  AddCounters(&server.store());
  HttpClient& client = server.client();

  // Values as Prometheus 2.42 computes them (rate_evaluator_test.cc works
  // such cases through): "a" rises 10 per 15 s, 40 per extrapolated minute;
  // at T0+120s its last sample is 40 s old, so only half an interval is
  // extrapolated there. "b" counts the 20 lost at its reset and has too
  // few samples for T0+120s.
  CHECK(client.Get(Range("rate(req_total%5B1m%5D)", kT0 + 60, kT0 + 120, "30"))
            .body ==
        Matrix(R"({"metric":{"model":"a"},"values":[[)" + At(kT0 + 60) +
               R"(,"0.6666666666666666"],[)" + At(kT0 + 90) +
               R"(,"0.6666666666666666"],[)" + At(kT0 + 120) +
               R"(,"0.3055555555555555"]]},)"
               R"({"metric":{"model":"b"},"values":[[)" +
               At(kT0 + 60) + R"(,"0.5555555555555555"],[)" + At(kT0 + 90) +
               R"(,"0.3055555555555555"]]})"));

  const std::string vector =
      R"({"status":"success","data":{"resultType":"vector","result":[)";
  for (const HttpReply& reply :
       {client.Get("/api/v1/query?query=increase(req_total%5B1m%5D)&time=" +
                   At(kT0 + 60)),
        client.Send("POST", "/api/v1/query",
                    "query=increase(req_total%5B1m%5D)&time=" + At(kT0 + 60),
                    {"Content-Type: application/x-www-form-urlencoded"})}) {
    CHECK(reply.status == 200);
    CHECK(reply.body == vector + R"({"metric":{"model":"a"},"value":[)" +
                            At(kT0 + 60) +
                            R"(,"40"]},{"metric":{"model":"b"},"value":[)" +
                            At(kT0 + 60) + R"(,"33.33333333333333"]}]}})");
  }
}

TEST_CASE("query answers a range selector's raw samples as a matrix",
          "[http][rate]") {
  TestServer& server = FreshServer();
  AddCounters(&server.store());
  server.store().Add({{"__name__", "req_total"}, {"model", "b"}},
                     {{kTestNowMs + 40000, tsdb::StaleMarker()}});
  // [T0+20s, T0+50s], both ends included, the marker left out.
  CHECK(server.client()
            .Get("/api/v1/query?query=req_total%7Bmodel%3D%22b%22%7D"
                 "%5B30s%5D&time=" +
                 At(kT0 + 50))
            .body == Matrix(R"({"metric":{"__name__":"req_total","model":"b"},)"
                            R"("values":[[)" +
                            At(kT0 + 20) + R"(,"20"],[)" + At(kT0 + 35) +
                            R"(,"5"],[)" + At(kT0 + 50) + R"(,"15"]]})"));
}

TEST_CASE("rate answers 422 when dropping names makes series alike",
          "[http][rate]") {
  TestServer& server = FreshServer();
  server.store().Add({{"__name__", "x_total"}, {"model", "m"}},
                     {{kTestNowMs, 1}, {kTestNowMs + 15000, 2}});
  server.store().Add({{"__name__", "y_total"}, {"model", "m"}},
                     {{kTestNowMs, 1}, {kTestNowMs + 15000, 2}});
  HttpReply reply = server.client().Get(
      "/api/v1/query?query=rate(%7B__name__%3D~%22._total%22%7D%5B1m%5D)"
      "&time=" +
      At(kT0 + 15));
  CHECK(reply.status == 422);
  CHECK(reply.body ==
        R"({"status":"error","errorType":"execution",)"
        R"("error":"vector cannot contain metrics with the same labelset"})");
  // Either alone is fine.
  CHECK(
      server.client()
          .Get("/api/v1/query?query=rate(x_total%5B1m%5D)&time=" + At(kT0 + 15))
          .status == 200);
}

}  // namespace
}  // namespace ollama_exporter::http
