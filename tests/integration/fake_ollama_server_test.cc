// The fake_ollama_server program, run as a child process.

#include <signal.h>

#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "exporter_process.h"
#include "http_get.h"
#include "require_ok.h"
#include "stream_client.h"
#include "subprocess.h"
#include "testing/temp_dir.h"

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::json;

TEST_CASE("fake_ollama_server prints its URL and serves the script",
          "[integration][fake_ollama_server]") {
  std::unique_ptr<testing::TempDir> dir;
  REQUIRE_OK(testing::TempDir::Create("fake_ollama_server", &dir));
  const std::string out = dir->File("out");
  pid_t pid = 0;
  REQUIRE_OK(Spawn({OE_FAKE_OLLAMA_SERVER, "--model=tiny:1b",
                    R"(--script={"chunks":2,"chunk_delay_ms":20})"},
                   "/dev/null", out, dir->File("err"), &pid));

  std::string url;
  const bool printed = Eventually(
      [&] {
        const std::string text = ReadFileText(out);
        if (text.empty() || text.back() != '\n') return false;
        url = text.substr(0, text.size() - 1);
        return true;
      },
      5000, 20);
  if (!printed) kill(pid, SIGKILL);
  REQUIRE(printed);
  CHECK(url.rfind("http://127.0.0.1:", 0) == 0);

  StreamRequest request;
  request.url = url + "/api/generate";
  request.body = R"({"model":"tiny:1b","prompt":"hi"})";
  StreamReply reply;
  CHECK_OK(PostStreaming(request, &reply));
  CHECK(NdjsonLines(reply.body).size() == 3);
  CHECK(reply.pieces.size() == 3);

  HttpReply served;
  CHECK_OK(HttpGet(url + "/fake/wait?count=1&timeout_ms=5000", 10000, &served));
  const Json records = Json::parse(served.body, nullptr, false);
  REQUIRE(records.is_array());
  REQUIRE(records.size() == 1);
  CHECK(records[0]["model"] == "tiny:1b");
  CHECK(records[0]["content_chunks_sent"] == 2);

  kill(pid, SIGTERM);
  int exit_code = -1;
  const bool exited = WaitForExit(pid, 5000, &exit_code);
  if (!exited) kill(pid, SIGKILL);
  CHECK(exited);
  CHECK(exit_code == 0);
}

TEST_CASE("fake_ollama_server explains bad flags",
          "[integration][fake_ollama_server]") {
  ProcessResult result;
  REQUIRE_OK(RunProcess({OE_FAKE_OLLAMA_SERVER, R"(--script={"chunks":"x"})"},
                        "", 5000, &result));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--script: script member chunks") != std::string::npos);

  REQUIRE_OK(RunProcess({OE_FAKE_OLLAMA_SERVER, "--help"}, "", 5000, &result));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("usage: fake_ollama_server") != std::string::npos);
}

}  // namespace
}  // namespace ollama_exporter::integration
