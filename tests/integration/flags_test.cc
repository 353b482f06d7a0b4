// Command line, start-up failures and shutdown of the real binary.

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "rig.h"
#include "rig_checks.h"
#include "subprocess.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kExitMs = 10000;

ProcessResult Run(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {OE_EXPORTER_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult result;
  const Status status = RunProcess(argv, "", kExitMs, &result);
  INFO("stdout: " << result.out << "\nstderr: " << result.err);
  REQUIRE(status.ok());
  return result;
}

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_CASE("Exporter rejects bad flags with exit code 2 and one line",
          "[integration][flags]") {
  SECTION("a bad duration") {
    const ProcessResult result = Run({"--scrape.interval=abc"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(Lines(result.err) == 1);
    CHECK(result.err.find("--scrape.interval") != std::string::npos);
    CHECK(result.err.find("abc") != std::string::npos);
  }
  SECTION("an unknown flag") {
    const ProcessResult result = Run({"--bogus"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(Lines(result.err) == 1);
    CHECK(result.err.find("--bogus") != std::string::npos);
  }
  SECTION("a timeout longer than the interval") {
    const ProcessResult result =
        Run({"--scrape.interval=1s", "--scrape.timeout=2s"});
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("--scrape.timeout") != std::string::npos);
  }
}

TEST_CASE("Exporter prints its version and help", "[integration][flags]") {
  const ProcessResult version = Run({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("ollama_exporter") == 0);

  const ProcessResult help = Run({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* flag :
       {"--web.listen-address", "--ollama.url", "--scrape.interval",
        "--scrape.timeout", "--storage.path", "--storage.retention"}) {
    CAPTURE(flag);
    CHECK(help.out.find(flag) != std::string::npos);
  }
}

TEST_CASE("Exporter's build_info matches --version", "[integration][flags]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  MetricsText m;
  REQUIRE_OK(rig->exporter().Metrics(&m));
  const std::vector<MetricSample> build = m.Named("ollama_exporter_build_info");
  REQUIRE(build.size() == 1);

  const ProcessResult version = Run({"--version"});
  CHECK(version.out.find(build[0].labels.at("version")) != std::string::npos);
  CHECK(version.out.find(build[0].labels.at("revision")) != std::string::npos);
}

TEST_CASE("A second exporter on the same storage fails clearly",
          "[integration][flags]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());

  ProcessResult second;
  REQUIRE_OK(
      RunProcess(ExporterCommandLine(rig->Options()), "", kExitMs, &second));
  INFO(second.err);
  CHECK(second.exit_code != 0);
  CHECK(second.err.find("level=error") != std::string::npos);
  CHECK(second.err.find(rig->storage_path()) != std::string::npos);

  // The first one is unharmed.
  MetricsText m;
  REQUIRE_OK(rig->exporter().Metrics(&m));
  CHECK(m.Value("ollama_up") == 1);
}

TEST_CASE("An exporter on a taken port fails clearly", "[integration][flags]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());

  std::unique_ptr<testing::TempDir> other_storage;
  REQUIRE_OK(testing::TempDir::Create("oe-storage", &other_storage));
  ExporterOptions options = rig->Options();
  options.storage_path = other_storage->path();
  const std::string address =
      "127.0.0.1:" + std::to_string(rig->exporter().port());
  options.listen_address = address;
  ProcessResult second;
  REQUIRE_OK(RunProcess(ExporterCommandLine(options), "", kExitMs, &second));
  INFO(second.err);
  CHECK(second.exit_code != 0);
  CHECK(second.err.find("level=error") != std::string::npos);
  CHECK(second.err.find(address) != std::string::npos);
}

TEST_CASE("Exporter stops on SIGTERM within seconds while a poll hangs",
          "[integration][flags]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  rig->ollama().SetBehaviour(Endpoint::kPs, Behaviour::Hang());
  ExporterOptions options = rig->Options();
  options.scrape_interval = "30s";
  options.scrape_timeout = "30s";
  REQUIRE_OK(rig->StartExporterWith(options));
  REQUIRE(Eventually([&] { return rig->ollama().HeldRequests() == 1; }, 5000));

  const auto start = std::chrono::steady_clock::now();
  int exit_code = -1;
  REQUIRE_OK(rig->exporter().Terminate(10000, &exit_code));
  const auto took = std::chrono::steady_clock::now() - start;
  INFO(rig->exporter().Log());
  CHECK(exit_code == 0);
  CHECK(took < std::chrono::seconds(5));
  CHECK(rig->exporter().Log().find("msg=\"shutting down\"") !=
        std::string::npos);
}

}  // namespace
}  // namespace ollama_exporter::integration
