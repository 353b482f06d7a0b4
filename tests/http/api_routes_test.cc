#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/stale_marker.h"

#include "test_server.h"

namespace ollama_exporter::http {
namespace {

// 2026-12-04T17:00:00Z in seconds.
constexpr int64_t kT0 = kTestNowMs / 1000;
constexpr int64_t kHourMs = 3600 * 1000;

const std::vector<std::string> kForm = {
    "Content-Type: application/x-www-form-urlencoded"};

const tsdb::Labels kLlama = {{"__name__", "ollama_model_loaded"},
                             {"model", "llama3"}};
const tsdb::Labels kQwen = {
    {"__name__", "ollama_model_loaded"}, {"model", "qwen"}, {"quant", "Q4"}};
const tsdb::Labels kUp = {{"__name__", "ollama_up"}};
const tsdb::Labels kOld = {{"__name__", "ollama_old"}, {"gone", "yes"}};

// llama3 and qwen around T0, ollama_up a marker at T0, ollama_old two
// hours before.
void AddSeries(FakeSeriesReader* store) {
  store->Add(kLlama, {{kTestNowMs, 1}});
  store->Add(kQwen, {{kTestNowMs + 1000, 1}});
  store->Add(kUp, {{kTestNowMs, tsdb::StaleMarker()}});
  store->Add(kOld, {{kTestNowMs - 2 * kHourMs, 1}});
}

std::string Data(const std::string& json) {
  return R"({"status":"success","data":)" + json + "}";
}

std::string BadData(const std::string& error) {
  return R"({"status":"error","errorType":"bad_data","error":")" + error +
         "\"}";
}

// The reply to GET `path?query` and to POST `path` with `query` as a form.
std::vector<HttpReply> GetAndPost(HttpClient& client, const std::string& path,
                                  const std::string& query) {
  return {client.Get(path + "?" + query),
          client.Send("POST", path, query, kForm)};
}

TEST_CASE("labels lists label names sorted, by match[] and time",
          "[http][api]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  HttpClient& client = server.client();

  for (const HttpReply& reply : GetAndPost(client, "/api/v1/labels", "")) {
    CHECK(reply.status == 200);
    CHECK(reply.Header("content-type") == "application/json");
    CHECK(reply.body == Data(R"(["__name__","gone","model","quant"])"));
  }
  // Only series with samples between start and end count.
  const std::string recent =
      "start=" + std::to_string(kT0 - 60) + "&end=" + std::to_string(kT0 + 60);
  for (const HttpReply& reply : GetAndPost(client, "/api/v1/labels", recent)) {
    CHECK(reply.body == Data(R"(["__name__","model","quant"])"));
  }
  // match[] repeats; the body's and the URL's are both used.
  HttpReply reply = client.Send("POST", "/api/v1/labels?match[]=ollama_old",
                                "match[]="
                                "%7Bmodel%3D%22llama3%22%7D&match[]=ollama_up",
                                kForm);
  CHECK(reply.body == Data(R"(["__name__","gone","model"])"));
  CHECK(client.Get("/api/v1/labels?match[]=nothing").body == Data("[]"));
}

TEST_CASE("label values lists one label's values sorted", "[http][api]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  HttpClient& client = server.client();

  for (const HttpReply& reply :
       GetAndPost(client, "/api/v1/label/__name__/values", "")) {
    CHECK(reply.status == 200);
    CHECK(reply.body ==
          Data(R"(["ollama_model_loaded","ollama_old","ollama_up"])"));
  }
  CHECK(client.Get("/api/v1/label/model/values").body ==
        Data(R"(["llama3","qwen"])"));
  CHECK(client.Get("/api/v1/label/model/values?match[]=%7Bquant%3D%22Q4%22%7D")
            .body == Data(R"(["qwen"])"));
  CHECK(client
            .Get("/api/v1/label/__name__/values?end=" +
                 std::to_string(kT0 - 3600))
            .body == Data(R"(["ollama_old"])"));
  CHECK(client.Get("/api/v1/label/absent/values").body == Data("[]"));

  HttpReply reply = client.Get("/api/v1/label/1bad/values");
  CHECK(reply.status == 400);
  CHECK(reply.body == BadData(R"(invalid label name: \"1bad\")"));
  for (const char* path :
       {"/api/v1/label", "/api/v1/label/", "/api/v1/label/model",
        "/api/v1/label//values", "/api/v1/label/a/b/values",
        "/api/v1/label/model/values/"}) {
    INFO(path);
    reply = client.Get(path);
    CHECK(reply.status == 404);
    CHECK(reply.body == "404 page not found\n");
  }
}

TEST_CASE("series lists matching label sets with __name__", "[http][api]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  HttpClient& client = server.client();

  for (const HttpReply& reply :
       GetAndPost(client, "/api/v1/series",
                  "match[]=ollama_model_loaded&match[]=ollama_up")) {
    CHECK(reply.status == 200);
    CHECK(reply.body ==
          Data(R"([{"__name__":"ollama_model_loaded","model":"llama3"},)"
               R"({"__name__":"ollama_model_loaded","model":"qwen",)"
               R"("quant":"Q4"},{"__name__":"ollama_up"}])"));
  }
  // Overlapping selectors give each series once; the time range filters.
  CHECK(client
            .Get("/api/v1/series?match[]=%7B__name__%3D~%22ollama_.*%22%7D"
                 "&match[]=ollama_old&end=" +
                 std::to_string(kT0 - 1))
            .body == Data(R"([{"__name__":"ollama_old","gone":"yes"}])"));
  CHECK(client.Get("/api/v1/series?match[]=nothing").body == Data("[]"));
}

TEST_CASE("labels and series answer Prometheus' errors", "[http][api]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  HttpClient& client = server.client();

  struct Case {
    std::string target;
    std::string error;
  };

  for (
      const Case& c : std::vector<Case>{
          {"/api/v1/series", "no match[] parameter provided"},
          {"/api/v1/series?start=x", "no match[] parameter provided"},
          {"/api/v1/series?match[]=up&start=x",
           R"(invalid parameter \"start\": cannot parse \"x\" to a valid timestamp)"},
          {"/api/v1/series?match[]=up&end=y",
           R"(invalid parameter \"end\": cannot parse \"y\" to a valid timestamp)"},
          {"/api/v1/series?match[]=%7B%7D",
           R"(invalid parameter \"match[]\": match[] must contain at least one non-empty matcher)"},
          {"/api/v1/series?match[]=up&match[]=rate(up%5B5m%5D)",
           R"(invalid parameter \"match[]\": 1:1: parse error: function calls and aggregations such as rate(...) are not supported: only a series selector such as up or up{job=\"x\"} is)"},
          {"/api/v1/labels?start=soon",
           R"(invalid parameter \"start\": cannot parse \"soon\" to a valid timestamp)"},
          {"/api/v1/labels?match[]=%7Ba%3D%22%22%7D",
           "match[] must contain at least one non-empty matcher"},
          {"/api/v1/label/model/values?match[]=up%7B",
           "1:3: parse error: unclosed '{': missing '}'"},
          {"/api/v1/labels?match[]=%zz", R"(invalid URL escape \"%zz\")"},
      }) {
    INFO(c.target);
    HttpReply reply = client.Get(c.target);
    CHECK(reply.status == 400);
    CHECK(reply.Header("content-type") == "application/json");
    CHECK(reply.body == BadData(c.error));
  }

  server.store().FailWith(Status::Unavailable("disk gone"), "ReadNewestFirst");
  for (const char* target :
       {"/api/v1/labels", "/api/v1/label/a/values",
        "/api/v1/series?match[]=ollama_up", "/api/v1/metadata"}) {
    INFO(target);
    HttpReply reply = client.Get(target);
    CHECK(reply.status == 503);
    CHECK(reply.body == R"({"status":"error","errorType":"unavailable",)"
                        R"("error":"unavailable: reading series: disk gone"})");
  }
}

TEST_CASE("buildinfo answers the exporter's version in Prometheus' shape",
          "[http][api]") {
  TestServer& server = FreshServer();
  for (const HttpReply& reply :
       GetAndPost(server.client(), "/api/v1/status/buildinfo", "")) {
    CHECK(reply.status == 200);
    CHECK(reply.Header("content-type") == "application/json");
    CHECK(reply.body == Data(R"({"version":"1.2.3-test","revision":)"
                             R"("0123abcd","branch":"","buildUser":"",)"
                             R"("buildDate":"","goVersion":""})"));
  }
}

TEST_CASE("metadata describes the served metrics the store holds",
          "[http][api]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  prometheus::MetricFamily untyped =
      Gauge("ollama_up", "1 when \"Ollama\" answers.", 1);
  untyped.type = prometheus::MetricType::Untyped;
  prometheus::MetricFamily counter = Gauge("ollama_old", "Old things.", 3);
  counter.type = prometheus::MetricType::Counter;
  server.SetFamilies({Gauge("ollama_model_loaded", "Loaded models.", 1),
                      untyped, counter,
                      // Served but not stored: not queryable here.
                      Gauge("process_open_fds", "Open fds.", 9)});
  HttpClient& client = server.client();

  const std::string loaded =
      R"("ollama_model_loaded":[{"type":"gauge","help":"Loaded models.",)"
      R"("unit":""}])";
  const std::string old =
      R"("ollama_old":[{"type":"counter","help":"Old things.","unit":""}])";
  const std::string up =
      R"("ollama_up":[{"type":"unknown","help":"1 when \"Ollama\" )"
      R"(answers.","unit":""}])";
  for (const HttpReply& reply : GetAndPost(client, "/api/v1/metadata", "")) {
    CHECK(reply.status == 200);
    CHECK(reply.body == Data("{" + loaded + "," + old + "," + up + "}"));
  }
  CHECK(client.Get("/api/v1/metadata?limit=2").body ==
        Data("{" + loaded + "," + old + "}"));
  CHECK(client.Get("/api/v1/metadata?limit=0").body == Data("{}"));
  CHECK(client.Get("/api/v1/metadata?limit=-1&metric=ollama_up").body ==
        Data("{" + up + "}"));
  CHECK(client.Get("/api/v1/metadata?metric=process_open_fds").body ==
        Data("{}"));
  HttpReply reply = client.Get("/api/v1/metadata?limit=ten");
  CHECK(reply.status == 400);
  CHECK(reply.body == BadData("limit must be a number"));
}

TEST_CASE("query_exemplars is always empty; bad times are errors",
          "[http][api]") {
  TestServer& server = FreshServer();
  AddSeries(&server.store());
  HttpClient& client = server.client();
  for (const HttpReply& reply :
       GetAndPost(client, "/api/v1/query_exemplars",
                  "query=rate(x%5B5m%5D)&start=1&end=2")) {
    CHECK(reply.status == 200);
    CHECK(reply.body == Data("[]"));
  }
  HttpReply reply =
      client.Get("/api/v1/query_exemplars?query=up&start=2&end=1");
  CHECK(reply.status == 400);
  CHECK(reply.body ==
        BadData("end timestamp must not be before start timestamp"));
  reply = client.Get("/api/v1/query_exemplars?query=up&start=x");
  CHECK(
      reply.body ==
      BadData(
          R"(invalid parameter \"start\": cannot parse \"x\" to a valid timestamp)"));
  reply = client.Get("/api/v1/query_exemplars");
  CHECK(reply.body ==
        BadData("1:1: parse error: no expression found in input"));
}

TEST_CASE("API routes answer an oversized body in Prometheus' shape",
          "[http][api]") {
  TestServer& server = FreshServer();
  for (const char* path : {"/api/v1/labels", "/api/v1/query"}) {
    INFO(path);
    HttpReply reply = server.client().Send(
        "POST", path, "match[]=" + std::string(2 << 20, 'a'), kForm);
    REQUIRE(reply.transferred);
    CHECK(reply.status == 400);
    CHECK(reply.Header("connection") == "close");
    CHECK(reply.body ==
          BadData("error parsing form values: request body larger than "
                  "1048576 bytes"));
  }
  CHECK(server.client().Get("/api/v1/labels").body == Data("[]"));
}

}  // namespace
}  // namespace ollama_exporter::http
