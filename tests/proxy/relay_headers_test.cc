#include "proxy/relay_headers.h"

#include <catch2/catch.hpp>

#include "proxy/upstream_url.h"

namespace ollama_exporter::proxy {
namespace {

TEST_CASE("Hop-by-hop headers are recognised in any case",
          "[proxy][relay_headers]") {
  for (const char* name :
       {"connection", "Keep-Alive", "TE", "trailer", "Transfer-Encoding",
        "UPGRADE", "Proxy-Authorization", "proxy-connection"}) {
    CHECK(IsHopByHop(name, ""));
  }
  CHECK_FALSE(IsHopByHop("Content-Type", ""));
  CHECK_FALSE(IsHopByHop("Authorization", ""));
  CHECK(IsHopByHop("X-Secret", "keep-alive, x-secret"));
}

TEST_CASE("Request headers for upstream drop Host, Origin and framing",
          "[proxy][relay_headers]") {
  std::vector<Header> client = {{"Host", "proxy:11435"},
                                {"Origin", "http://evil.example"},
                                {"Content-Type", "application/json"},
                                {"Content-Length", "12"},
                                {"Expect", "100-continue"},
                                {"Connection", "keep-alive, X-Hop"},
                                {"X-Hop", "1"},
                                {"Authorization", "Bearer k"},
                                {"Accept-Encoding", "gzip"},
                                {"X-Empty", ""}};

  CHECK(UpstreamRequestHeaderLines(client, false) ==
        std::vector<std::string>{"Content-Type: application/json",
                                 "Authorization: Bearer k",
                                 "Accept-Encoding: gzip", "X-Empty;"});
  CHECK(UpstreamRequestHeaderLines(client, true) ==
        std::vector<std::string>{"Content-Type: application/json",
                                 "Authorization: Bearer k", "X-Empty;"});
}

TEST_CASE("UpstreamHead reads the final head after interim ones",
          "[proxy][relay_headers]") {
  UpstreamHead head;
  CHECK_FALSE(head.AddLine("HTTP/1.1 100 Continue\r\n"));
  CHECK_FALSE(head.AddLine("\r\n"));
  CHECK_FALSE(head.complete());
  CHECK_FALSE(head.AddLine("HTTP/1.1 404 Not Found\r\n"));
  CHECK_FALSE(head.AddLine("Content-Type: application/json\r\n"));
  CHECK_FALSE(head.AddLine("Content-Length: 18\r\n"));
  CHECK_FALSE(head.AddLine("Connection: keep-alive\r\n"));
  CHECK_FALSE(head.AddLine("X-Long: a\r\n"));
  CHECK_FALSE(head.AddLine("  b\r\n"));
  CHECK(head.AddLine("\r\n"));
  CHECK_FALSE(head.AddLine("X-Trailer: ignored\r\n"));

  CHECK(head.status() == 404);
  CHECK(head.content_type() == "application/json");
  CHECK(head.content_length() == 18u);
  std::vector<Header> kept = head.ClientHeaders();
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].name == "Content-Type");
  CHECK(kept[1].value == "a b");
}

TEST_CASE("UpstreamHead trusts Content-Length only when unambiguous",
          "[proxy][relay_headers]") {
  auto length_of = [](std::vector<std::string> lines) {
    UpstreamHead head;
    head.AddLine("HTTP/1.1 200 OK");
    for (const std::string& line : lines) head.AddLine(line);
    head.AddLine("");
    return head.content_length();
  };
  CHECK(length_of({"Content-Length: 5", "content-length: 5"}) == 5u);
  CHECK_FALSE(length_of({}).has_value());
  CHECK_FALSE(length_of({"Content-Length: 5", "Content-Length: 6"}));
  CHECK_FALSE(length_of({"Content-Length: -1"}));
  CHECK_FALSE(length_of({"Content-Length: 5x"}));
  CHECK_FALSE(length_of({"Content-Length: 5", "Transfer-Encoding: chunked"}));
}

TEST_CASE("UpstreamHead survives malformed status lines",
          "[proxy][relay_headers]") {
  for (const char* line : {"HTTP/1.1", "HTTP/1.1 ", "HTTP/1.1 2x0 OK",
                           "HTTP/1.1 099 x", "garbage"}) {
    UpstreamHead head;
    head.AddLine(line);
    CHECK(head.status() == 0);
  }
}

TEST_CASE("Upstream URLs become a base for request paths",
          "[proxy][relay_headers]") {
  std::string base;
  REQUIRE(ParseUpstreamUrl("http://127.0.0.1:11434", &base).ok());
  CHECK(base == "http://127.0.0.1:11434");
  REQUIRE(ParseUpstreamUrl("https://gw.example.net/ollama/", &base).ok());
  CHECK(base == "https://gw.example.net/ollama");

  for (const char* bad :
       {"ftp://host", "http://", "http://h/?q=1", "http://u@h", "nonsense"}) {
    Status status = ParseUpstreamUrl(bad, &base);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.message().find(bad) != std::string::npos);
  }
}

}  // namespace
}  // namespace ollama_exporter::proxy
