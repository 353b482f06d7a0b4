#include "proxy/json_scan.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "json_event_log.h"
#include "parse_testing.h"

namespace ollama_exporter::proxy {
namespace {

using testing::JsonEventLog;
using testing::NlohmannEvents;
using testing::ProxyFixture;
using testing::ScannedEvents;

std::vector<std::string> Events(std::string_view text) {
  const JsonEventLog log = ScannedEvents(text);
  CHECK(log.accepted);
  return log.events;
}

// Every line of every reply fixture, with "data:" prefixes removed.
std::vector<std::string> FixtureTexts() {
  std::vector<std::string> texts;
  for (const auto& entry :
       std::filesystem::directory_iterator(OE_FIXTURES_DIR "/proxy")) {
    const std::string body = ProxyFixture(entry.path().filename().string());
    texts.push_back(body);
    size_t begin = 0;
    while (begin < body.size()) {
      size_t end = body.find('\n', begin);
      if (end == std::string::npos) end = body.size();
      std::string line = body.substr(begin, end - begin);
      if (line.rfind("data: ", 0) == 0) line.erase(0, 6);
      if (!line.empty()) texts.push_back(line);
      begin = end + 1;
    }
  }
  return texts;
}

TEST_CASE("ScanJson reports values in document order", "[proxy][parse]") {
  CHECK(Events(R"( {"a":[1,-2,3.5,true,false,null,"x"],"b":{}} )") ==
        std::vector<std::string>{
            "start_object", "key:a", "start_array", "unsigned:1", "integer:-2",
            "float:0x1.cp+1", "true", "false", "null", "string:x", "end_array",
            "key:b", "start_object", "end_object", "end_object"});
}

TEST_CASE("ScanJson decodes escapes and checks UTF-8", "[proxy][parse]") {
  CHECK(Events(R"({"\u0064one":"a\"\\\/\b\f\n\r\t"})") ==
        std::vector<std::string>{"start_object", "key:done",
                                 "string:a\"\\/\b\f\n\r\t", "end_object"});
  CHECK(Events(R"("\ud83d\ude00 \u00e9")") ==
        std::vector<std::string>{"string:\xF0\x9F\x98\x80 \xC3\xA9"});
  CHECK(Events("\"\xE2\x82\xAC\"") ==
        std::vector<std::string>{"string:\xE2\x82\xAC"});

  for (const char* refused : {R"("\ud83d")", R"("\ude00")", R"("\ud83d\u0041")",
                              R"("\x")", R"("\u12G4")", "\"\xC0\xAF\"",
                              "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"",
                              "\"\x80\"", "\"tab\there\"", "\"unterminated"}) {
    INFO(refused);
    CHECK_FALSE(ScannedEvents(refused).accepted);
  }
}

TEST_CASE("ScanJson types numbers as nlohmann does", "[proxy][parse]") {
  CHECK(Events("-0") == std::vector<std::string>{"integer:0"});
  CHECK(Events("18446744073709551615") ==
        std::vector<std::string>{"unsigned:18446744073709551615"});
  CHECK(Events("18446744073709551616") ==
        std::vector<std::string>{"float:0x1p+64"});
  CHECK(Events("-9223372036854775808") ==
        std::vector<std::string>{"integer:-9223372036854775808"});
  CHECK(Events("1E2") == std::vector<std::string>{"float:0x1.9p+6"});
  for (const char* refused : {"01", "1.", ".5", "1e", "-", "+1", "1e400",
                              "0x10", "NaN", "Infinity"}) {
    INFO(refused);
    CHECK_FALSE(ScannedEvents(refused).accepted);
  }
}

TEST_CASE("ScanJson ends the text where nlohmann does", "[proxy][parse]") {
  CHECK(ScannedEvents("\xEF\xBB\xBF{}").accepted);
  CHECK(ScannedEvents(std::string("{}\0 trailing", 12)).accepted);
  CHECK_FALSE(ScannedEvents("\xEF\xBB{}").accepted);
  CHECK_FALSE(ScannedEvents(" \xEF\xBB\xBF{}").accepted);
  CHECK_FALSE(ScannedEvents("").accepted);
  CHECK_FALSE(ScannedEvents("{} {}").accepted);
  CHECK_FALSE(ScannedEvents(std::string("\"a\0b\"", 5)).accepted);
}

TEST_CASE("ScanJson nests as deep as memory allows", "[proxy][parse]") {
  const size_t depth = 100000;
  const std::string deep = std::string(depth, '[') + std::string(depth, ']');
  CHECK(ScannedEvents(deep).events.size() == 2 * depth);
  CHECK(ScannedEvents(deep).accepted);
}

TEST_CASE("ScanJson agrees with nlohmann on edge cases", "[proxy][parse]") {
  for (const std::string text :
       {"{\"a\":1,}", "[1,]", "{\"a\" 1}", "{1:2}", "[1 2]", "tru", "nulls",
        "[true,fals]", "{\"a\":\"b\"]", "[\"a\"}", "  [ ]  ", "{\"a\":{}}x",
        "\"\\u0000\"", "[1e-400]", "[-0.0]", "[1.5E+3]", "\r\n\t{}",
        "[\"\x7F\"]", "{\"\xF0\x9F\x98\x80\":[]}"}) {
    INFO(text);
    CHECK(ScannedEvents(text) == NlohmannEvents(text));
  }
}

TEST_CASE("ScanJson agrees with nlohmann on damaged replies",
          "[proxy][parse]") {
  std::mt19937 random(20261204);
  std::uniform_int_distribution<int> byte(0, 255);
  for (const std::string& text : FixtureTexts()) {
    REQUIRE(ScannedEvents(text) == NlohmannEvents(text));
    for (int i = 0; i < 200; ++i) {
      std::string damaged = text;
      std::uniform_int_distribution<size_t> at(0, damaged.size() - 1);
      for (int flips = 0; flips < 1 + i % 3; ++flips) {
        damaged[at(random)] = static_cast<char>(byte(random));
      }
      if (ScannedEvents(damaged) != NlohmannEvents(damaged)) {
        FAIL_CHECK("differs on: " << damaged);
        break;
      }
    }
  }
}

}  // namespace
}  // namespace ollama_exporter::proxy
