#include "proxy/usage_chunk_filter.h"

#include <string>

#include <catch2/catch.hpp>

#include "parse_testing.h"
#include "proxy/sse_event.h"

namespace ollama_exporter::proxy {
namespace {

using testing::ProxyFixture;

// `stream` with its first event that contains `marker` removed.
std::string WithoutEvent(const std::string& stream, const std::string& marker,
                         const std::string& event_end = "\n\n") {
  const size_t at = stream.find(marker);
  REQUIRE(at != std::string::npos);
  const size_t begin = stream.rfind("data:", at);
  const size_t end = stream.find(event_end, at) + event_end.size();
  return stream.substr(0, begin) + stream.substr(end);
}

// What the client gets for `stream` fed in two pieces, cut at `split`.
std::string Filter(const std::string& stream, size_t split,
                   size_t* stripped = nullptr) {
  UsageChunkFilter filter;
  std::string forward(filter.Feed(std::string_view(stream).substr(0, split)));
  forward += filter.Feed(std::string_view(stream).substr(split));
  forward += filter.Finish();
  if (stripped != nullptr) *stripped = filter.stripped_events();
  return forward;
}

std::string Crlf(const std::string& lf) {
  std::string crlf;
  for (char c : lf) crlf += c == '\n' ? "\r\n" : std::string(1, c);
  return crlf;
}

TEST_CASE("The filter strips the usage-only chunk and nothing else",
          "[proxy][parse]") {
  const std::string chat = ProxyFixture("v1_chat_stream_usage.sse");
  size_t stripped = 0;
  CHECK(Filter(chat, 0, &stripped) == WithoutEvent(chat, "\"choices\":[]"));
  CHECK(stripped == 1);

  // Text chunks of /v1/completions carry zero usage: they stay.
  const std::string completions =
      ProxyFixture("v1_completions_stream_usage.sse");
  const std::string expected = WithoutEvent(completions, "\"choices\":[]");
  CHECK(Filter(completions, 0, &stripped) == expected);
  CHECK(stripped == 1);
  CHECK(expected.find("\"completion_tokens\":0") != std::string::npos);
  CHECK(expected.find("data: [DONE]\n\n") != std::string::npos);
}

TEST_CASE("The filter accepts CRLF events", "[proxy][parse]") {
  const std::string chat = Crlf(ProxyFixture("v1_chat_stream_usage.sse"));
  CHECK(Filter(chat, 0) == WithoutEvent(chat, "\"choices\":[]", "\r\n\r\n"));
}

TEST_CASE("The filter's output does not depend on where pieces split",
          "[proxy][parse]") {
  for (const char* name :
       {"v1_chat_stream_usage.sse", "v1_completions_stream_usage.sse",
        "v1_chat_stream_old_shape.sse", "v1_chat_stream_cut.sse"}) {
    for (const std::string& stream :
         {ProxyFixture(name), Crlf(ProxyFixture(name))}) {
      INFO(name);
      const std::string expected = Filter(stream, 0);
      for (size_t split = 0; split <= stream.size(); ++split) {
        if (Filter(stream, split) != expected) {
          FAIL_CHECK("split at " << split);
          break;
        }
      }

      UsageChunkFilter bytewise;
      std::string forward;
      for (char c : stream) forward += bytewise.Feed({&c, 1});
      forward += bytewise.Finish();
      CHECK(forward == expected);
    }
  }
}

TEST_CASE("A complete event is forwarded in the call that completes it",
          "[proxy][parse]") {
  const std::string first =
      "data: {\"choices\":[{\"delta\":{\"content\":\"Te\"}}]}\n\n";
  const std::string second =
      "data: {\"choices\":[{\"delta\":{\"content\":\"al.\"}}]}\n\n";
  UsageChunkFilter filter;

  CHECK(filter.Feed(first + second.substr(0, 10)) == first);
  CHECK(filter.Feed(second.substr(10, second.size() - 11)).empty());
  CHECK(filter.Feed("\n") == second);
}

TEST_CASE("A cut-off event is forwarded at the end", "[proxy][parse]") {
  UsageChunkFilter filter;
  CHECK(filter.Feed("data: {\"choices\":[{\"delta\":{}}").empty());
  CHECK(filter.Finish() == "data: {\"choices\":[{\"delta\":{}}");
}

TEST_CASE("An event over the cap passes through unexamined", "[proxy][parse]") {
  const std::string big_usage = "data: {\"choices\":[],\"usage\":{\"pad\":\"" +
                                std::string(200, 'x') + "\"}}\n\n";
  const std::string stream = big_usage + "data: [DONE]\n\n";
  for (size_t split = 0; split <= stream.size(); split += 7) {
    UsageChunkFilter filter(64);
    std::string forward(filter.Feed(std::string_view(stream).substr(0, split)));
    forward += filter.Feed(std::string_view(stream).substr(split));
    forward += filter.Finish();
    CHECK(forward == stream);
    CHECK(filter.stripped_events() == 0);
  }
}

TEST_CASE("Only an empty choices array with a usage object is usage-only",
          "[proxy][parse]") {
  CHECK(IsUsageOnlyEvent(
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3}}\n\n"));
  CHECK(IsUsageOnlyEvent("data:{\"usage\":{},\"choices\":[]}\r\n\r\n"));
  // Data lines join with a newline, which JSON takes as white space.
  CHECK(IsUsageOnlyEvent("data: {\"choices\":[],\ndata: \"usage\":{}}\n\n"));
  // The last of repeated keys wins, as in a parsed document.
  CHECK(
      IsUsageOnlyEvent("data: {\"choices\":[1],\"choices\":[],"
                       "\"usage\":null,\"usage\":{}}\n\n"));

  CHECK_FALSE(IsUsageOnlyEvent("data: {\"choices\":[null],\"usage\":{}}\n\n"));
  CHECK_FALSE(IsUsageOnlyEvent("data: {\"choices\":{},\"usage\":{}}\n\n"));
  CHECK_FALSE(IsUsageOnlyEvent("data: {\"choices\":[],\"usage\":null}\n\n"));
  CHECK_FALSE(IsUsageOnlyEvent("data: {\"choices\":[],\"usage\":[]}\n\n"));
  CHECK_FALSE(IsUsageOnlyEvent("data: {\"usage\":{}}\n\n"));
  CHECK_FALSE(IsUsageOnlyEvent("data: {\"choices\":[],\"usage\":{}\n\n"));
  CHECK_FALSE(IsUsageOnlyEvent(": {\"choices\":[],\"usage\":{}}\n\n"));
  CHECK_FALSE(IsUsageOnlyEvent(
      "data: {\"message\":{\"usage\":{}},\"choices\":[]}\n\n"));
}

}  // namespace
}  // namespace ollama_exporter::proxy
