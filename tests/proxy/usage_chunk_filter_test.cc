#include "proxy/usage_chunk_filter.h"

#include <string>

#include <catch2/catch.hpp>

#include "parse_testing.h"

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

std::string Filter(bool strip, const std::string& stream, size_t split,
                   size_t* stripped = nullptr) {
  UsageChunkFilter filter(strip);
  std::string forward;
  filter.Feed(std::string_view(stream).substr(0, split), &forward);
  filter.Feed(std::string_view(stream).substr(split), &forward);
  filter.Finish(&forward);
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
  CHECK(Filter(true, chat, 0, &stripped) ==
        WithoutEvent(chat, "\"choices\":[]"));
  CHECK(stripped == 1);

  // Text chunks of /v1/completions carry zero usage: they stay.
  const std::string completions =
      ProxyFixture("v1_completions_stream_usage.sse");
  const std::string expected = WithoutEvent(completions, "\"choices\":[]");
  CHECK(Filter(true, completions, 0, &stripped) == expected);
  CHECK(stripped == 1);
  CHECK(expected.find("\"completion_tokens\":0") != std::string::npos);
  CHECK(expected.find("data: [DONE]\n\n") != std::string::npos);
}

TEST_CASE("The filter accepts CRLF events", "[proxy][parse]") {
  const std::string chat = Crlf(ProxyFixture("v1_chat_stream_usage.sse"));
  CHECK(Filter(true, chat, 0) ==
        WithoutEvent(chat, "\"choices\":[]", "\r\n\r\n"));
}

TEST_CASE("The filter's output does not depend on where pieces split",
          "[proxy][parse]") {
  for (const char* name :
       {"v1_chat_stream_usage.sse", "v1_completions_stream_usage.sse",
        "v1_chat_stream_old_shape.sse", "v1_chat_stream_cut.sse"}) {
    for (const std::string& stream :
         {ProxyFixture(name), Crlf(ProxyFixture(name))}) {
      INFO(name);
      const std::string expected = Filter(true, stream, 0);
      for (size_t split = 0; split <= stream.size(); ++split) {
        if (Filter(true, stream, split) != expected) {
          FAIL_CHECK("split at " << split);
          break;
        }
        if (Filter(false, stream, split) != stream) {
          FAIL_CHECK("disabled filter changed bytes, split at " << split);
          break;
        }
      }

      UsageChunkFilter bytewise(true);
      std::string forward;
      for (char c : stream) bytewise.Feed({&c, 1}, &forward);
      bytewise.Finish(&forward);
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
  UsageChunkFilter filter(true);
  std::string forward;

  filter.Feed(first + second.substr(0, 10), &forward);
  CHECK(forward == first);

  filter.Feed(second.substr(10, second.size() - 11), &forward);
  CHECK(forward == first);

  filter.Feed("\n", &forward);
  CHECK(forward == first + second);
}

TEST_CASE("A cut-off event is forwarded at the end", "[proxy][parse]") {
  UsageChunkFilter filter(true);
  std::string forward;
  filter.Feed("data: {\"choices\":[{\"delta\":{}}", &forward);
  CHECK(forward.empty());
  filter.Finish(&forward);
  CHECK(forward == "data: {\"choices\":[{\"delta\":{}}");
}

TEST_CASE("An event over the cap passes through unexamined", "[proxy][parse]") {
  const std::string big_usage = "data: {\"choices\":[],\"usage\":{\"pad\":\"" +
                                std::string(200, 'x') + "\"}}\n\n";
  const std::string stream = big_usage + "data: [DONE]\n\n";
  for (size_t split = 0; split <= stream.size(); split += 7) {
    UsageChunkFilter filter(true, 64);
    std::string forward;
    filter.Feed(std::string_view(stream).substr(0, split), &forward);
    filter.Feed(std::string_view(stream).substr(split), &forward);
    filter.Finish(&forward);
    CHECK(forward == stream);
    CHECK(filter.stripped_events() == 0);
  }
}

TEST_CASE("A disabled filter forwards every piece at once", "[proxy][parse]") {
  UsageChunkFilter filter(false);
  std::string forward;
  filter.Feed("data: {\"choices\":[],\"usage\":{}}\n", &forward);
  CHECK(forward == "data: {\"choices\":[],\"usage\":{}}\n");
  filter.Finish(&forward);
  CHECK(forward == "data: {\"choices\":[],\"usage\":{}}\n");
  CHECK(filter.stripped_events() == 0);
}

}  // namespace
}  // namespace ollama_exporter::proxy
