#include "api_replies.h"

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "common/time_format.h"

#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

TEST_CASE("ParseIsoMillis reads UTC timestamps with milliseconds",
          "[integration][api_replies]") {
  int64_t ms = -1;
  REQUIRE_OK(ParseIsoMillis("1970-01-01T00:00:00.000Z", &ms));
  CHECK(ms == 0);
  REQUIRE_OK(ParseIsoMillis("2026-08-21T12:00:00.123Z", &ms));
  CHECK(ms == 1787313600123);
  REQUIRE_OK(ParseIsoMillis("2024-02-29T23:59:59.999Z", &ms));
  CHECK(ms == 1709251199999);

  const int64_t value = GENERATE(int64_t{0}, int64_t{1787313600123},
                                 int64_t{-86400001}, int64_t{11010586364618});
  REQUIRE_OK(ParseIsoMillis(FormatIsoMillis(value), &ms));
  CHECK(ms == value);
}

TEST_CASE("ParseIsoMillis rejects other forms and impossible dates",
          "[integration][api_replies]") {
  const char* bad =
      GENERATE("", "2026", "2026-08-21T12:00:00Z", "2026-08-21T12:00:00.12Z",
               "2026-08-21T12:00:00.1234Z", "2026-08-21 12:00:00.123Z",
               "2026-08-21T12:00:00.123+02:00", "2026-08-21T12:00:00.123z",
               "2026-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
               "2026-00-01T00:00:00.000Z", "2026-04-31T00:00:00.000Z",
               "2026-08-21T24:00:00.000Z", "2026-08-21T12:60:00.000Z",
               "2026-08-21T12:00:60.000Z", "2O26-08-21T12:00:00.000Z",
               "-026-08-21T12:00:00.000Z", "2026-08-21T12:00:00.000Z ");
  CAPTURE(bad);
  int64_t ms = 42;
  CHECK(ParseIsoMillis(bad, &ms).code() == StatusCode::kInvalidArgument);
  CHECK(ms == 42);
}

TEST_CASE("ParseHistoryReply reads entries and the reply time",
          "[integration][api_replies]") {
  HistoryReply reply;
  REQUIRE_OK(ParseHistoryReply(
      R"({"success":true,"data":[
            {"timestamp":"2026-08-21T12:00:00.200Z","running":true,
             "modelCount":3,"activeInferences":2},
            {"timestamp":"2026-08-21T12:00:00.000Z","running":false,
             "modelCount":0,"activeInferences":0}],
          "timestamp":"2026-08-21T12:00:00.300Z"})",
      &reply));

  CHECK(reply.success);
  REQUIRE(reply.data.size() == 2);
  CHECK(reply.data[0].timestamp_ms == 1787313600200);
  CHECK(reply.data[0].running);
  CHECK(reply.data[0].model_count == 3);
  CHECK(reply.data[0].active_inferences == 2);
  CHECK(reply.data[1].timestamp_ms == 1787313600000);
  CHECK_FALSE(reply.data[1].running);
  CHECK(reply.timestamp_ms == 1787313600300);

  REQUIRE_OK(ParseHistoryReply(
      R"({"success":true,"data":[],"timestamp":"2026-08-21T12:00:00.300Z"})",
      &reply));
  CHECK(reply.data.empty());
}

TEST_CASE("ParseHistoryReply reads the error shape",
          "[integration][api_replies]") {
  HistoryReply reply;
  REQUIRE_OK(ParseHistoryReply(
      R"({"success":false,"error":"hours must be a positive number"})",
      &reply));
  CHECK_FALSE(reply.success);
  CHECK(reply.error == "hours must be a positive number");
}

TEST_CASE("ParseHistoryReply rejects malformed replies",
          "[integration][api_replies]") {
  const std::string entry =
      R"("timestamp":"2026-08-21T12:00:00.200Z","running":true,)"
      R"("modelCount":3)";
  const std::string time = R"("timestamp":"2026-08-21T12:00:00.300Z"})";
  const std::string bad = GENERATE_COPY(
      std::string(""), std::string("{"), std::string("[]"), std::string("null"),
      std::string(R"({"success":"true"})"), std::string(R"({"success":false})"),
      std::string(R"({"success":false,"error":7})"),
      std::string(R"({"success":true,"timestamp":"2026-08-21T12:00:00.300Z"})"),
      std::string(R"({"success":true,"data":{},)"
                  R"("timestamp":"2026-08-21T12:00:00.300Z"})"),
      std::string(R"({"success":true,"data":[]})"),
      std::string(R"({"success":true,"data":[],"timestamp":1787313600300})"),
      std::string(R"({"success":true,"data":[7],)"
                  R"("timestamp":"2026-08-21T12:00:00.300Z"})"),
      // Missing activeInferences.
      R"({"success":true,"data":[{)" + entry + "}]," + time,
      // A float, a string and a too large count.
      R"({"success":true,"data":[{)" + entry + R"(,"activeInferences":1.5}],)" +
          time,
      R"({"success":true,"data":[{)" + entry + R"(,"activeInferences":"2"}],)" +
          time,
      R"({"success":true,"data":[{)" + entry +
          R"(,"activeInferences":18446744073709551615}],)" + time,
      // Truncated in the middle of an entry.
      R"({"success":true,"data":[{)" + entry);
  CAPTURE(bad);

  HistoryReply reply;
  reply.error = "unchanged";
  CHECK(ParseHistoryReply(bad, &reply).code() == StatusCode::kInvalidArgument);
  CHECK(reply.error == "unchanged");
}

TEST_CASE("ParseRangeReply reads a matrix and the error envelope",
          "[integration][api_replies]") {
  RangeReply reply;
  REQUIRE_OK(ParseRangeReply(
      R"({"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"m","model":"a:b"},
             "values":[[1787313600.123,"42"],[1787313601,"NaN"]]}]}})",
      &reply));
  CHECK(reply.status == "success");
  CHECK(reply.result_type == "matrix");
  REQUIRE(reply.result.size() == 1);
  CHECK(reply.result[0].metric ==
        LabelSet{{"__name__", "m"}, {"model", "a:b"}});
  REQUIRE(reply.result[0].values.size() == 2);
  CHECK(reply.result[0].values[0].first == Approx(1787313600.123));
  CHECK(reply.result[0].values[0].second == "42");
  CHECK(reply.result[0].values[1].second == "NaN");

  REQUIRE_OK(ParseRangeReply(
      R"({"status":"error","errorType":"bad_data","error":"bad step"})",
      &reply));
  CHECK(reply.status == "error");
  CHECK(reply.error_type == "bad_data");
  CHECK(reply.error == "bad step");
}

TEST_CASE("ParseRangeReply rejects malformed replies",
          "[integration][api_replies]") {
  const char* bad = GENERATE(
      "", "[1]", R"({"status":1})", R"({"status":"maybe"})",
      R"({"status":"error","error":"x"})", R"({"status":"success"})",
      R"({"status":"success","data":{"result":[]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":{}}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[7]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{"a":1},"values":[]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{},"values":[[1,2]]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{},"values":[[1]]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{},"values":[["1","2"]]}]}})",
      R"({"status":"success","data":{"resultType":"matrix","result":[)");
  CAPTURE(bad);
  RangeReply reply;
  reply.error = "unchanged";
  CHECK(ParseRangeReply(bad, &reply).code() == StatusCode::kInvalidArgument);
  CHECK(reply.error == "unchanged");
}

}  // namespace
}  // namespace ollama_exporter::integration
