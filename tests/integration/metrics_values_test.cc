// /metrics of the real exporter through Ollama's state changes.

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "rig.h"
#include "rig_checks.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kWaitMs = 5000;

void CheckThreeInstalledTwoLoaded(const MetricsText& m) {
  CHECK(m.Value("ollama_up") == 1);
  CHECK(m.Value("ollama_version_info", {{"version", "0.32.15"}}) == 1);
  CHECK(m.Named("ollama_version_info").size() == 1);

  CHECK(m.Value("ollama_models_installed") == 3);
  CHECK(m.Value("ollama_model_size_bytes", Model(kQwen)) == 5225388164.0);
  CHECK(m.Value("ollama_model_size_bytes", Model(kCoder)) == 1285493011.0);
  CHECK(m.Value("ollama_model_size_bytes", Model(kCloud)) == 384);
  CHECK(m.Named("ollama_model_size_bytes").size() == 3);
  CHECK(m.Value("ollama_model_info", {{"model", kQwen},
                                      {"family", "qwen3"},
                                      {"parameter_size", "8.2B"},
                                      {"quantization", "Q4_K_M"},
                                      {"format", "gguf"},
                                      {"remote", "false"}}) == 1);
  CHECK(m.Value("ollama_model_info", {{"model", kCoder},
                                      {"family", "qwen2"},
                                      {"parameter_size", "1.5B"},
                                      {"quantization", "Q5_K_M"},
                                      {"format", "gguf"},
                                      {"remote", "false"}}) == 1);
  CHECK(m.Value("ollama_model_info", {{"model", kCloud},
                                      {"family", "gptoss"},
                                      {"parameter_size", "116.8B"},
                                      {"quantization", ""},
                                      {"format", ""},
                                      {"remote", "true"}}) == 1);
  // 2026-08-02T19:41:07.330918114+02:00 and 2026-07-11T08:03:55.9+02:00.
  CHECK(m.Value("ollama_model_modified_timestamp_seconds", Model(kQwen))
            .value_or(0) == Approx(1785692467.331).margin(0.002));
  CHECK(m.Value("ollama_model_modified_timestamp_seconds", Model(kCoder))
            .value_or(0) == Approx(1783749835.9).margin(0.002));

  CHECK(m.Value("ollama_models_loaded") == 2);
  CHECK(m.Value("ollama_loaded_model_size_bytes", Model(kQwen)) ==
        6918709248.0);
  CHECK(m.Value("ollama_loaded_model_size_bytes", Model(kCoder)) ==
        1900000000.0);
  CHECK(m.Value("ollama_loaded_model_vram_bytes", Model(kQwen)) ==
        6918709248.0);
  CHECK(m.Value("ollama_loaded_model_vram_bytes", Model(kCoder)) == 0);
  CHECK(m.Value("ollama_loaded_model_context_length", Model(kQwen)) == 8192);
  CHECK_FALSE(
      m.Value("ollama_loaded_model_context_length", Model(kCoder)).has_value());
  // 2318-11-30T09:12:44.61830527+01:00 (pinned) and
  // 2026-08-21T12:17:02.0041+02:00 (in the past).
  CHECK(m.Value("ollama_loaded_model_expires_timestamp_seconds", Model(kQwen))
            .value_or(0) == Approx(11010586364.618).margin(0.002));
  CHECK(m.Value("ollama_loaded_model_expires_timestamp_seconds", Model(kCoder))
            .value_or(0) == Approx(1787307422.004).margin(0.002));
}

TEST_CASE(
    "Exporter reports installed and loaded models through every "
    "state change of Ollama",
    "[integration][metrics]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  ExporterProcess& exporter = rig->exporter();
  MetricsText m;

  // Three installed, two loaded.
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) {
        return m.Value("ollama_models_loaded") == 2 &&
               m.Value("ollama_models_installed") == 3;
      },
      kWaitMs, &m));
  CheckThreeInstalledTwoLoaded(m);
  RequirePromtoolClean(exporter);

  // The Tiny-Coder is unloaded: its loaded series go at the next poll.
  std::vector<PsModel> loaded = TwoLoaded();
  loaded.pop_back();
  rig->Serve(ThreeInstalled(), loaded);
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) { return m.Value("ollama_models_loaded") == 1; },
      kWaitMs, &m));
  CHECK(m.Named("ollama_loaded_model_size_bytes").size() == 1);
  CHECK(m.Named("ollama_loaded_model_vram_bytes").size() == 1);
  CHECK(m.Named("ollama_loaded_model_expires_timestamp_seconds").size() == 1);
  CHECK_FALSE(
      m.Value("ollama_loaded_model_size_bytes", Model(kCoder)).has_value());
  CHECK(m.Value("ollama_model_size_bytes", Model(kCoder)) == 1285493011.0);

  // Nothing installed, nothing loaded.
  rig->Serve({}, {});
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) {
        return m.Value("ollama_models_installed") == 0 &&
               m.Value("ollama_models_loaded") == 0;
      },
      kWaitMs, &m));
  CHECK(m.Value("ollama_up") == 1);
  CHECK(m.CountWithPrefix("ollama_model_") == 0);
  CHECK(m.CountWithPrefix("ollama_loaded_model") == 0);
  RequirePromtoolClean(exporter);

  // Ollama goes away: /metrics still answers, with only our own metrics.
  rig->ollama().Down();
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) { return m.Value("ollama_up") == 0; }, kWaitMs,
      &m));
  CHECK(OllamaSeries(m) == 0);
  CHECK(m.Value("ollama_exporter_collector_success",
                {{"collector", "version"}}) == 0);
  CHECK(m.Named("ollama_exporter_build_info").size() == 1);
  CHECK(m.Named("process_resident_memory_bytes").size() == 1);
  RequirePromtoolClean(exporter);

  // Back, with the models.
  rig->Serve(ThreeInstalled(), TwoLoaded());
  REQUIRE_OK(rig->ollama().Up());
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) {
        return m.Value("ollama_up") == 1 &&
               m.Value("ollama_models_loaded") == 2 &&
               m.Value("ollama_models_installed") == 3;
      },
      kWaitMs, &m));
  CheckThreeInstalledTwoLoaded(m);
}

TEST_CASE("Exporter exposes its own health, build and process metrics",
          "[integration][metrics]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  const double started = NowSeconds();
  REQUIRE_OK(rig->StartExporter());
  ExporterProcess& exporter = rig->exporter();
  MetricsText m;
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) { return m.Value("ollama_models_loaded") == 2; },
      kWaitMs, &m));

  for (const char* collector : {"version", "tags", "ps"}) {
    CAPTURE(collector);
    const LabelSet labels = {{"collector", collector}};
    CHECK(m.Value("ollama_exporter_collector_success", labels) == 1);
    CHECK(m.Value("ollama_exporter_collector_failures_total", labels) == 0);
    const double duration =
        m.Value("ollama_exporter_collector_duration_seconds", labels)
            .value_or(-1);
    CHECK(duration >= 0);
    CHECK(duration < 0.15);  // Bounded by --scrape.timeout.
  }
  CHECK(m.TypeOf("ollama_exporter_collector_failures_total") == "counter");
  CHECK(m.TypeOf("ollama_exporter_collector_success") == "gauge");

  const double last_poll =
      m.Value("ollama_exporter_last_successful_poll_timestamp_seconds")
          .value_or(0);
  CHECK(last_poll >= started - 1);
  CHECK(last_poll <= NowSeconds() + 1);

  const std::vector<MetricSample> build = m.Named("ollama_exporter_build_info");
  REQUIRE(build.size() == 1);
  CHECK(build[0].value == 1);
  REQUIRE(build[0].labels.count("version") == 1);
  REQUIRE(build[0].labels.count("revision") == 1);
  CHECK_FALSE(build[0].labels.at("version").empty());
  CHECK_FALSE(build[0].labels.at("revision").empty());

  CHECK(m.Value("process_resident_memory_bytes").value_or(0) > 1e6);
  CHECK(m.Value("process_start_time_seconds").value_or(0) >= started - 2);
  CHECK(m.Value("process_start_time_seconds").value_or(0) <= NowSeconds());
  CHECK(m.Value("process_cpu_seconds_total").value_or(-1) >= 0);
  CHECK(m.TypeOf("process_cpu_seconds_total") == "counter");
  CHECK(m.Value("process_open_fds").value_or(0) >= 3);

  // A later poll moves the last successful poll time on.
  REQUIRE_OK(exporter.WaitForMetrics(
      [last_poll](const MetricsText& m) {
        return m.Value("ollama_exporter_last_successful_poll_timestamp_seconds")
                   .value_or(0) > last_poll;
      },
      kWaitMs));

  // Failures are counted per collector and the success time stays put
  // once nothing answers.
  rig->ollama().SetBehaviour(Endpoint::kTags,
                             Behaviour::HttpStatus(500, R"({"error":"x"})"));
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) {
        return m.Value("ollama_exporter_collector_failures_total",
                       {{"collector", "tags"}})
                   .value_or(0) >= 2;
      },
      kWaitMs, &m));
  const double tags_failures = *m.Value(
      "ollama_exporter_collector_failures_total", {{"collector", "tags"}});
  CHECK(m.Value("ollama_exporter_collector_failures_total",
                {{"collector", "ps"}}) == 0);
  REQUIRE_OK(exporter.WaitForMetrics(
      [tags_failures](const MetricsText& m) {
        return m.Value("ollama_exporter_collector_failures_total",
                       {{"collector", "tags"}})
                   .value_or(0) > tags_failures;
      },
      kWaitMs));

  rig->ollama().Down();
  REQUIRE_OK(exporter.WaitForMetrics(
      [](const MetricsText& m) { return m.Value("ollama_up") == 0; }, kWaitMs,
      &m));
  const double last_success =
      *m.Value("ollama_exporter_last_successful_poll_timestamp_seconds");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  REQUIRE_OK(exporter.Metrics(&m));
  CHECK(m.Value("ollama_exporter_last_successful_poll_timestamp_seconds") ==
        last_success);
  CHECK(m.Value("ollama_exporter_collector_failures_total",
                {{"collector", "version"}})
            .value_or(0) >= 2);
}

TEST_CASE(
    "Exporter escapes model names with hosts, slashes, colons, quotes "
    "and backslashes",
    "[integration][metrics]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  const std::vector<std::string> names = {
      "registry.lan:5000/team/model:v2", "hf.co/user/Repo-GGUF:Q4_K_M",
      "we\"ird\\name:latest", "tab\there:1", "uni/\xc3\xa9t\xc3\xa9:latest"};
  std::vector<TagsModel> tags;
  std::vector<PsModel> ps;
  for (size_t i = 0; i < names.size(); ++i) {
    TagsModel installed;
    installed.name = names[i];
    installed.size = 1000 + static_cast<int64_t>(i);
    installed.family = "llama";
    installed.parameter_size = "8B";
    installed.quantization_level = "Q4_0";
    tags.push_back(installed);
    PsModel loaded;
    loaded.name = names[i];
    loaded.size = 2000 + static_cast<int64_t>(i);
    loaded.size_vram = 3000 + static_cast<int64_t>(i);
    loaded.context_length = 4096;
    ps.push_back(loaded);
  }
  rig->Serve(tags, ps);
  REQUIRE_OK(rig->StartExporter());

  MetricsText m;
  std::string body;
  REQUIRE_OK(rig->exporter().WaitForMetrics(
      [&](const MetricsText& m) {
        return m.Value("ollama_models_loaded") == names.size();
      },
      kWaitMs, &m));
  for (size_t i = 0; i < names.size(); ++i) {
    CAPTURE(names[i]);
    CHECK(m.Value("ollama_model_size_bytes", Model(names[i])) == 1000 + i);
    CHECK(m.Value("ollama_loaded_model_size_bytes", Model(names[i])) ==
          2000 + i);
    CHECK(m.Value("ollama_loaded_model_vram_bytes", Model(names[i])) ==
          3000 + i);
  }
  REQUIRE_OK(rig->exporter().Metrics(&m, &body));
  RequirePromtoolClean(body);
}

}  // namespace
}  // namespace ollama_exporter::integration
