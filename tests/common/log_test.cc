#include "common/log.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace ollama_exporter::log {
namespace {

constexpr char kTime[] = "2026-08-21T12:00:00.123Z";

TEST_CASE("logfmt lines quote only values that need it", "[common]") {
  std::string line = Render(
      Format::kLogfmt, kTime, Level::kWarn, "poller.cc:88", "poll failed",
      {{"collector", "ps"},
       {"err", Status::DeadlineExceeded("GET /api/ps after 5s")},
       {"duration_seconds", 5.003},
       {"failures_in_a_row", int64_t{3}},
       {"up", false}});
  CHECK(line ==
        "time=2026-08-21T12:00:00.123Z level=warn source=poller.cc:88 "
        "msg=\"poll failed\" collector=ps "
        "err=\"deadline exceeded: GET /api/ps after 5s\" "
        "duration_seconds=5.003 failures_in_a_row=3 up=false\n");
}

TEST_CASE("logfmt escapes quotes, newlines and control bytes", "[common]") {
  std::string line =
      Render(Format::kLogfmt, kTime, Level::kError, "a.cc:1", "x",
             {{"err", "say \"hi\"\nnext\x01"}, {"empty", ""}});
  CHECK(line ==
        "time=2026-08-21T12:00:00.123Z level=error source=a.cc:1 msg=x "
        "err=\"say \\\"hi\\\"\\nnext\\u0001\" empty=\"\"\n");
}

TEST_CASE("json lines are one valid object with typed values", "[common]") {
  std::string line =
      Render(Format::kJson, kTime, Level::kInfo, "main.cc:9", "listening",
             {{"address", "127.0.0.1:11436"},
              {"threads", 8},
              {"ratio", 0.5},
              {"odd", "tab\there \"q\""}});
  REQUIRE(line.back() == '\n');
  nlohmann::json event = nlohmann::json::parse(line);
  CHECK(event["time"] == kTime);
  CHECK(event["level"] == "info");
  CHECK(event["source"] == "main.cc:9");
  CHECK(event["msg"] == "listening");
  CHECK(event["address"] == "127.0.0.1:11436");
  CHECK(event["threads"] == 8);
  CHECK(event["ratio"] == 0.5);
  CHECK(event["odd"] == "tab\there \"q\"");
}

TEST_CASE("levels and formats parse from their flag values", "[common]") {
  Level level;
  REQUIRE(ParseLevel("warn", &level));
  CHECK(level == Level::kWarn);
  CHECK_FALSE(ParseLevel("WARN", &level));
  CHECK_FALSE(ParseLevel("", &level));
  Format format;
  REQUIRE(ParseFormat("json", &format));
  CHECK(format == Format::kJson);
  CHECK_FALSE(ParseFormat("text", &format));
}

TEST_CASE("events below the configured level are disabled", "[common]") {
  Configure(Level::kWarn, Format::kLogfmt);
  CHECK_FALSE(Enabled(Level::kInfo));
  CHECK(Enabled(Level::kError));
  Configure(Level::kInfo, Format::kLogfmt);
  CHECK(Enabled(Level::kInfo));
}

}  // namespace
}  // namespace ollama_exporter::log
