// The exporter against an Ollama that hangs, fails or talks nonsense.

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "rig.h"
#include "rig_checks.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kWaitMs = 5000;

bool Healthy(const MetricsText& m) {
  return m.Value("ollama_models_loaded") == 2 &&
         m.Value("ollama_models_installed") == 3;
}

double Success(const MetricsText& m, const char* collector) {
  return m
      .Value("ollama_exporter_collector_success", {{"collector", collector}})
      .value_or(-1);
}

TEST_CASE("Exporter times out a hanging /api/ps and keeps polling",
          "[integration][misbehaviour]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  ExporterProcess& exporter = rig->exporter();
  REQUIRE_OK(exporter.WaitForMetrics(Healthy, kWaitMs));

  rig->ollama().SetBehaviour(Endpoint::kPs, Behaviour::Hang());
  MetricsText m;
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) { return Success(m, "ps") == 0; }, kWaitMs, &m));
  CHECK(rig->ollama().HeldRequests() >= 1);
  CHECK(m.Value("ollama_up") == 1);
  CHECK_FALSE(m.Value("ollama_models_loaded").has_value());
  CHECK(m.CountWithPrefix("ollama_loaded_model") == 0);
  CHECK(m.Value("ollama_models_installed") == 3);
  CHECK(m.Value("ollama_version_info", {{"version", "0.32.15"}}) == 1);
  CHECK(Success(m, "version") == 1);
  CHECK(Success(m, "tags") == 1);
  // The timeout (150ms) bounds the duration.
  CHECK(m.Value("ollama_exporter_collector_duration_seconds",
                {{"collector", "ps"}})
            .value_or(0) == Approx(0.15).margin(0.1));

  // Polls go on, and /metrics answers quickly meanwhile.
  const int version_requests = rig->ollama().RequestCount("/api/version");
  const int ps_requests = rig->ollama().RequestCount("/api/ps");
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    REQUIRE_OK(exporter.Metrics(&m));
    CHECK(std::chrono::steady_clock::now() - start <
          std::chrono::milliseconds(500));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(rig->ollama().RequestCount("/api/version") >= version_requests + 3);
  CHECK(rig->ollama().RequestCount("/api/ps") >= ps_requests + 3);
  CHECK(Success(m, "ps") == 0);
  RequirePromtoolClean(exporter);

  // Released, ps comes back.
  rig->ollama().SetBehaviour(Endpoint::kPs, Behaviour::Normal());
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) { return Success(m, "ps") == 1; }, kWaitMs, &m));
  CHECK(m.Value("ollama_loaded_model_vram_bytes", Model(kQwen)) ==
        6918709248.0);
}

TEST_CASE("Exporter counts a slow reply within the timeout as success",
          "[integration][misbehaviour]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  rig->ollama().SetBehaviour(Endpoint::kTags, Behaviour::Slow(60));
  REQUIRE_OK(rig->StartExporter());

  MetricsText m;
  REQUIRE_OK(rig->exporter().WaitForMetrics(Healthy, kWaitMs, &m));
  CHECK(Success(m, "tags") == 1);
  CHECK(m.Value("ollama_exporter_collector_duration_seconds",
                {{"collector", "tags"}})
            .value_or(0) >= 0.06);
}

TEST_CASE("Exporter drops only the tags series when /api/tags fails",
          "[integration][misbehaviour]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  ExporterProcess& exporter = rig->exporter();
  REQUIRE_OK(exporter.WaitForMetrics(Healthy, kWaitMs));

  SECTION("HTTP 500 with an error body") {
    rig->ollama().SetBehaviour(
        Endpoint::kTags,
        Behaviour::HttpStatus(500,
                              R"({"error":"model list cache unavailable"})"));
  }
  SECTION("garbage") {
    rig->ollama().SetBehaviour(Endpoint::kTags, Behaviour::Garbage());
  }
  SECTION("a plain-text 404") {
    rig->ollama().SetBehaviour(
        Endpoint::kTags,
        Behaviour::HttpStatus(404, "404 page not found", Behaviour::kTextType));
  }
  SECTION("a closed connection") {
    rig->ollama().SetBehaviour(Endpoint::kTags, Behaviour::Close());
  }

  MetricsText m;
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) { return Success(m, "tags") == 0; }, kWaitMs,
      &m));
  CHECK(m.Value("ollama_up") == 1);
  CHECK_FALSE(m.Value("ollama_models_installed").has_value());
  CHECK(m.CountWithPrefix("ollama_model_") == 0);
  CHECK(m.Value("ollama_version_info", {{"version", "0.32.15"}}) == 1);
  CHECK(m.Value("ollama_models_loaded") == 2);
  CHECK(m.Value("ollama_loaded_model_context_length", Model(kQwen)) == 8192);
  CHECK(Success(m, "version") == 1);
  CHECK(Success(m, "ps") == 1);
  CHECK(m.Value("ollama_exporter_collector_failures_total",
                {{"collector", "tags"}})
            .value_or(0) >= 1);
  RequirePromtoolClean(exporter);
}

TEST_CASE("Exporter reports Ollama down when every endpoint talks garbage",
          "[integration][misbehaviour]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  for (Endpoint e : {Endpoint::kVersion, Endpoint::kTags, Endpoint::kPs}) {
    rig->ollama().SetBehaviour(e, Behaviour::Garbage());
  }
  REQUIRE_OK(rig->StartExporter());

  // ollama_up appears with the first poll; the health gauges before it.
  MetricsText m;
  REQUIRE_OK(rig->exporter().WaitForMetrics(
      [](const MetricsText& m) { return m.Value("ollama_up").has_value(); },
      kWaitMs, &m));
  CHECK(m.Value("ollama_up") == 0);
  CHECK(OllamaSeries(m) == 0);
  CHECK(Success(m, "version") == 0);
  CHECK(Success(m, "tags") == 0);
  CHECK(Success(m, "ps") == 0);
  RequirePromtoolClean(rig->exporter());
}

}  // namespace
}  // namespace ollama_exporter::integration
