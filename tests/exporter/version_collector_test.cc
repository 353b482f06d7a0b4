#include "exporter/version_collector.h"

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "exporter/ollama_client.h"

#include "canned_server.h"
#include "exporter_testing.h"

namespace ollama_exporter {
namespace {

using testing::Fixture;
using testing::SeriesLines;
using Lines = std::vector<std::string>;

std::string ParsedVersion(std::string_view fixture) {
  std::string version = "unchanged";
  Status status = ParseVersionReply(Fixture(fixture), &version);
  INFO(status.ToString());
  CHECK(status.ok());
  return version;
}

TEST_CASE("ParseVersionReply keeps the version string as Ollama sends it",
          "[version]") {
  CHECK(ParsedVersion("version_release.json") == "0.32.15");
  CHECK(ParsedVersion("version_release_candidate.json") == "0.33.0-rc2");
  CHECK(ParsedVersion("version_source_build.json") == "0.0.0");
  CHECK(ParsedVersion("version_git_describe.json") ==
        "0.31.4-12-g9f3e0d1-dirty");
  CHECK(ParsedVersion("version_extra_fields.json") == "0.29.1");
}

TEST_CASE("ParseVersionReply rejects replies without a usable version",
          "[version]") {
  auto message = [](std::string_view json) {
    std::string version = "unchanged";
    Status status = ParseVersionReply(json, &version);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(version == "unchanged");
    return status.message();
  };
  CHECK(message(Fixture("version_missing.json")) ==
        "reply has no \"version\" field");
  CHECK(message(Fixture("version_null.json")) ==
        "\"version\" is null, not a string");
  CHECK(message(Fixture("version_number.json")) ==
        "\"version\" is a number, not a string");
  CHECK(message(Fixture("version_empty.json")) == "\"version\" is empty");
  CHECK(message("") == "reply is empty");
  CHECK(message("404 page not found") ==
        "reply is not JSON: \"404 page not found\"");
  CHECK(message("{\"version\":\"0.32") ==
        "reply is not JSON: \"{\"version\":\"0.32\"");
  CHECK(message("[\"0.32.15\"]") ==
        "reply is an array, not a JSON object: \"[\"0.32.15\"]\"");
  CHECK(message("\"0.32.15\"") ==
        "reply is a string, not a JSON object: \"\"0.32.15\"\"");
  CHECK(message("null") == "reply is null, not a JSON object: \"null\"");
}

TEST_CASE("VersionFamilies exports ollama_version_info", "[version]") {
  std::vector<prometheus::MetricFamily> families = VersionFamilies("0.32.15");
  REQUIRE(families.size() == 1);
  CHECK(families[0].type == prometheus::MetricType::Gauge);
  CHECK(families[0].help ==
        "Version of the Ollama server as reported by /api/version; always 1.");
  CHECK(SeriesLines(families, "ollama_version_info") ==
        Lines{"ollama_version_info{version=\"0.32.15\"} 1"});
}

TEST_CASE("VersionCollector fetches, parses and appends its family",
          "[version]") {
  testing::CannedServer& server = testing::CannedServer::Shared();
  OllamaClientOptions options;
  options.base_url = server.url();
  options.timeout_ms = 2000;
  std::unique_ptr<OllamaClient> client;
  REQUIRE(OllamaClient::Create(options, &client).ok());
  VersionCollector collector(client.get());
  CHECK(collector.name() == "version");

  std::vector<prometheus::MetricFamily> out(1);  // Kept: Collect appends.
  SECTION("a good reply") {
    server.Answer("/api/version", 200, Fixture("version_release.json"));
    Status status = collector.Collect(&out);
    INFO(status.ToString());
    REQUIRE(status.ok());
    REQUIRE(out.size() == 2);
    CHECK(SeriesLines(out, "ollama_version_info") ==
          Lines{"ollama_version_info{version=\"0.32.15\"} 1"});
  }
  SECTION("an unusable reply is a failed precondition naming the endpoint") {
    server.Answer("/api/version", 200, "{\"version\":7}");
    Status status = collector.Collect(&out);
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message() ==
          "version collector: GET /api/version: \"version\" is a number, "
          "not a string");
    CHECK(out.size() == 1);
  }
  SECTION("an HTTP error keeps the client's code, with context") {
    server.Answer("/api/version", 500, "{\"error\":\"boom\"}");
    Status status = collector.Collect(&out);
    CHECK(status.code() == StatusCode::kUnavailable);
    CHECK(
        status.message() ==
        "version collector: GET /api/version: HTTP 500: {\"error\":\"boom\"}");
    CHECK(out.size() == 1);
  }
}

}  // namespace
}  // namespace ollama_exporter
