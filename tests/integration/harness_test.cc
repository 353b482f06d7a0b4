// The process helpers the end-to-end tests rely on, tried on /bin/sh.

#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "exporter_process.h"
#include "promtool.h"
#include "require_ok.h"
#include "subprocess.h"
#include "testing/temp_dir.h"

namespace ollama_exporter::integration {
namespace {

using Clock = std::chrono::steady_clock;

// Writes an executable shell script into `dir` and returns its path.
std::string WriteScript(const testing::TempDir& dir, const std::string& body) {
  const std::string path = dir.File("script.sh");
  std::ofstream(path) << "#!/bin/sh\n" << body;
  chmod(path.c_str(), 0755);
  return path;
}

TEST_CASE("RunProcess captures exit code, stdout and stderr",
          "[integration][subprocess]") {
  ProcessResult result;
  REQUIRE_OK(
      RunProcess({"/bin/sh", "-c", "cat; echo out; echo err >&2; exit 3"},
                 "in\n", 5000, &result));
  CHECK(result.exit_code == 3);
  CHECK(result.out == "in\nout\n");
  CHECK(result.err == "err\n");
}

TEST_CASE("RunProcess reports signals, missing programs and timeouts",
          "[integration][subprocess]") {
  ProcessResult result;
  REQUIRE_OK(RunProcess({"/bin/sh", "-c", "kill -9 $$"}, "", 5000, &result));
  CHECK(result.exit_code == 128 + 9);

  REQUIRE_OK(RunProcess({"/nonexistent/program"}, "", 5000, &result));
  CHECK(result.exit_code == 127);

  const auto start = Clock::now();
  const Status status = RunProcess(
      {"/bin/sh", "-c", "echo partial; exec sleep 30"}, "", 300, &result);
  CHECK(status.code() == StatusCode::kDeadlineExceeded);
  CHECK(Clock::now() - start < std::chrono::seconds(5));
  CHECK(result.out == "partial\n");
}

TEST_CASE("ExporterProcess learns the port from the listening line",
          "[integration][exporter_process]") {
  std::unique_ptr<testing::TempDir> dir;
  REQUIRE_OK(testing::TempDir::Create("oe-harness", &dir));
  ExporterOptions options;
  options.binary = WriteScript(
      *dir, "echo \"$@\" > " + dir->File("args") + "\n" +
                "echo 'time=x level=info msg=starting' >&2\n"
                "echo 'time=x level=info source=main.cc:1 msg=listening "
                "address=127.0.0.1:43210 telemetry_path=/metrics' >&2\n"
                "exec sleep 30\n");
  options.ollama_url = "http://127.0.0.1:1";
  options.storage_path = dir->File("data");
  options.extra_args = {"--log.level=debug"};

  std::unique_ptr<ExporterProcess> process;
  REQUIRE_OK(ExporterProcess::Start(options, &process));
  CHECK(process->port() == 43210);
  CHECK(process->running());
  CHECK(process->Log().rfind("time=x level=info msg=starting\n", 0) == 0);
  std::ifstream args_file(dir->File("args"));
  std::string args;
  std::getline(args_file, args);
  CHECK(args ==
        "--web.listen-address=127.0.0.1:0 --ollama.url=http://127.0.0.1:1 "
        "--storage.path=" +
            dir->File("data") +
            " --scrape.interval=200ms --scrape.timeout=150ms "
            "--log.level=debug");

  int exit_code = -1;
  REQUIRE_OK(process->Terminate(5000, &exit_code));
  CHECK(exit_code == 128 + 15);  // sleep does not catch SIGTERM.
  CHECK_FALSE(process->running());
}

// Sets an environment variable for one test, unsetting it afterwards.
class ScopedVariable {
 public:
  ScopedVariable(std::string name, const std::string& value)
      : name_(std::move(name)) {
    setenv(name_.c_str(), value.c_str(), 1);
  }

  ~ScopedVariable() { unsetenv(name_.c_str()); }

 private:
  const std::string name_;
};

bool Contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// The lines of the file at `path`.
std::vector<std::string> Lines(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

TEST_CASE("EnvironmentWithoutProxies drops *_proxy variables of any case",
          "[integration][subprocess]") {
  // Names libcurl does not read, so that no request here is proxied.
  const ScopedVariable lower("oe_harness_test_proxy", "127.0.0.1:9");
  const ScopedVariable upper("OE_HARNESS_TEST_PROXY", "127.0.0.1:9");
  const ScopedVariable kept("OE_HARNESS_TEST_PROXY_KEPT", "yes");
  const ScopedVariable bare("_proxy", "127.0.0.1:9");

  const std::vector<std::string> environment = EnvironmentWithoutProxies();
  CHECK(Contains(environment, "OE_HARNESS_TEST_PROXY_KEPT=yes"));
  for (const std::string& variable : environment) {
    INFO(variable);
    CHECK(variable.find("_proxy=") == std::string::npos);
    CHECK(variable.find("_PROXY=") == std::string::npos);
  }
}

TEST_CASE("ExporterProcess can run the binary without proxy variables",
          "[integration][exporter_process]") {
  const ScopedVariable proxy("OE_HARNESS_TEST_PROXY", "127.0.0.1:9");
  std::unique_ptr<testing::TempDir> dir;
  REQUIRE_OK(testing::TempDir::Create("oe-harness", &dir));
  ExporterOptions options;
  options.binary =
      WriteScript(*dir, "env > " + dir->File("env") + "\n" +
                            "echo 'msg=listening address=127.0.0.1:43210' >&2\n"
                            "exec sleep 30\n");

  std::unique_ptr<ExporterProcess> process;
  SECTION("by default it inherits them") {
    REQUIRE_OK(ExporterProcess::Start(options, &process));
    CHECK(
        Contains(Lines(dir->File("env")), "OE_HARNESS_TEST_PROXY=127.0.0.1:9"));
  }
  SECTION("without_proxies drops them and keeps the rest") {
    options.without_proxies = true;
    const ScopedVariable kept("OE_HARNESS_TEST_KEPT", "yes");
    REQUIRE_OK(ExporterProcess::Start(options, &process));
    const std::vector<std::string> lines = Lines(dir->File("env"));
    CHECK_FALSE(Contains(lines, "OE_HARNESS_TEST_PROXY=127.0.0.1:9"));
    CHECK(Contains(lines, "OE_HARNESS_TEST_KEPT=yes"));
  }
}

TEST_CASE("ExporterProcess reports an early exit with its log",
          "[integration][exporter_process]") {
  std::unique_ptr<testing::TempDir> dir;
  REQUIRE_OK(testing::TempDir::Create("oe-harness", &dir));
  ExporterOptions options;
  options.binary = WriteScript(*dir, "echo 'bad flag' >&2\nexit 2\n");

  std::unique_ptr<ExporterProcess> process;
  const Status status = ExporterProcess::Start(options, &process);
  CHECK(status.code() == StatusCode::kFailedPrecondition);
  CHECK(status.message().find("code 2") != std::string::npos);
  CHECK(status.message().find("bad flag") != std::string::npos);
  CHECK(process == nullptr);
}

TEST_CASE("PromtoolCheckMetrics tells clean, lint and parse failures apart",
          "[integration][promtool]") {
  ProcessResult result;
  REQUIRE_OK(PromtoolCheckMetrics(
      "# HELP a_total Things.\n# TYPE a_total counter\na_total 1\n", &result));
  CHECK(result.exit_code == 0);

  REQUIRE_OK(PromtoolCheckMetrics("# TYPE a counter\na 1\n", &result));
  CHECK(result.exit_code == 3);

  REQUIRE_OK(PromtoolCheckMetrics("a{ 1\n", &result));
  CHECK(result.exit_code == 1);
}

}  // namespace
}  // namespace ollama_exporter::integration
