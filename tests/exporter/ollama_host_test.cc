#include "exporter/ollama_host.h"

#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter {
namespace {

std::string Url(std::string_view ollama_host) {
  std::string url = "unchanged";
  Status status = OllamaUrlFromHost(ollama_host, &url);
  INFO("OLLAMA_HOST=" << ollama_host << ": " << status.ToString());
  CHECK(status.ok());
  return url;
}

TEST_CASE("OLLAMA_HOST resolves as the ollama CLI reads it", "[ollama_host]") {
  struct Case {
    const char* ollama_host;
    const char* url;
  };

  const Case cases[] = {
      // Unset and bind addresses dial loopback on the default port.
      {"", "http://127.0.0.1:11434"},
      {"   ", "http://127.0.0.1:11434"},
      {"\"\"", "http://127.0.0.1:11434"},
      {"0.0.0.0", "http://127.0.0.1:11434"},
      {"0.0.0.0:9000", "http://127.0.0.1:9000"},
      {":9999", "http://127.0.0.1:9999"},
      {"::", "http://[::1]:11434"},
      {"[::]", "http://[::1]:11434"},
      {"[::]:8080", "http://[::1]:8080"},
      // Host forms without a scheme are http on 11434.
      {"example.lan", "http://example.lan:11434"},
      {"example.lan:8000", "http://example.lan:8000"},
      {"10.1.2.3", "http://10.1.2.3:11434"},
      {"127.0.0.1:11434", "http://127.0.0.1:11434"},
      {"[::1]:8080", "http://[::1]:8080"},
      {"[::1]", "http://[::1]:11434"},
      {"::1", "http://[::1]:11434"},
      {"fd00::2", "http://[fd00::2]:11434"},
      // A scheme sets the default port: 80 or 443, not 11434.
      {"http://h", "http://h:80"},
      {"http://h:11434", "http://h:11434"},
      {"https://h", "https://h:443"},
      {"HTTPS://h", "https://h:443"},
      {"http://", "http://127.0.0.1:80"},
      {"https://0.0.0.0", "https://127.0.0.1:443"},
      // A path is kept as a prefix, without a trailing slash.
      {"https://h/llm", "https://h:443/llm"},
      {"https://gw.example.net/llm/v2/", "https://gw.example.net:443/llm/v2"},
      {"http://h:8080/", "http://h:8080"},
      {"h:1/prefix", "http://h:1/prefix"},
      // Whitespace and quotes are trimmed, in that order, then again.
      {"\"  host:1 \"", "http://host:1"},
      {"  'example.lan:7'  ", "http://example.lan:7"},
      {"\t\"http://h\"\n", "http://h:80"},
      // Unusable ports fall back to the scheme's default.
      {"h:99999", "http://h:11434"},
      {"h:65536", "http://h:11434"},
      {"h:65535", "http://h:65535"},
      {"h:0", "http://h:11434"},
      {"h:-1", "http://h:11434"},
      {"h:abc", "http://h:11434"},
      {"h:", "http://h:11434"},
      {"h:0080", "http://h:80"},
      {"https://h:99999", "https://h:443"},
      {"[::1]:x", "http://[::1]:11434"},
      // The one special name.
      {"ollama.com", "https://ollama.com:443"},
      {"ollama.com:11434", "http://ollama.com:11434"},
  };
  for (const Case& c : cases) {
    INFO("OLLAMA_HOST=\"" << c.ollama_host << "\"");
    CHECK(Url(c.ollama_host) == c.url);
  }
}

TEST_CASE("OLLAMA_HOST with another scheme is an error", "[ollama_host]") {
  const char* host =
      GENERATE("ftp://x", "unix:///run/ollama.sock", "://h", "ws://h:1");
  std::string url = "unchanged";
  Status status = OllamaUrlFromHost(host, &url);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(url == "unchanged");
  CHECK(status.message().find(std::string("OLLAMA_HOST \"") + host) == 0);
}

TEST_CASE("OLLAMA_HOST errors say what to use instead", "[ollama_host]") {
  std::string url;
  CHECK(OllamaUrlFromHost("ftp://x", &url).message() ==
        "OLLAMA_HOST \"ftp://x\": unsupported scheme \"ftp\" (use http or "
        "https)");
}

TEST_CASE("RedactCredentials hides the user and password of a URL",
          "[ollama_host]") {
  CHECK(RedactCredentials("http://user:pw@127.0.0.1:11434") ==
        "http://xxxxx@127.0.0.1:11434");
  CHECK(RedactCredentials("https://token@gw.lan:443/llm/a@b") ==
        "https://xxxxx@gw.lan:443/llm/a@b");
  CHECK(RedactCredentials("http://127.0.0.1:11434/p@th") ==
        "http://127.0.0.1:11434/p@th");
  CHECK(RedactCredentials("http://127.0.0.1:11434") ==
        "http://127.0.0.1:11434");
  CHECK(RedactCredentials("not a url @ all") == "not a url @ all");
}

}  // namespace
}  // namespace ollama_exporter
