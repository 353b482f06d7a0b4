// Every PromQL expression of grafana/ and alerts/ evaluated by a real
// Prometheus (Debian's) that scrapes the real exporter, which polls the
// fake Ollama; and the exporter's own read API compared with Prometheus.

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/time_format.h"

#include "dashboard.h"
#include "prom_client.h"
#include "prometheus_server.h"
#include "promql_selectors.h"
#include "proxy_traffic.h"
#include "require_ok.h"
#include "rig.h"
#include "testing/loopback_port.h"

namespace ollama_exporter::prometheus_test {
namespace {

using integration::Eventually;
using integration::ExporterOptions;
using integration::PsModel;
using integration::Rig;
using nlohmann::json;

constexpr int kWaitMs = 30000;

// The proxy's histograms: Prometheus keeps them, the exporter's store
// keeps one record per request instead (ollama_inference_*).
const char* const kProxyHistograms[] = {
    "ollama_request_duration_seconds", "ollama_time_to_first_token_seconds",
    "ollama_load_duration_seconds",    "ollama_prompt_eval_duration_seconds",
    "ollama_eval_duration_seconds",    "ollama_eval_tokens_per_second",
};

// Alerts whose expression holds in the steady scenario: a CPU-only model
// next to GPU ones, and 26.9 GB of VRAM against the 24 GiB budget. The
// others must be quiet then; the failure phase makes the health alerts
// hold one by one, and alerts/tests/ shows every alert firing.
const std::set<std::string> kHoldingAlerts = {"OllamaModelOnCpu",
                                              "OllamaVramNearBudget"};

// Series /metrics serves that the exporter does not store: the store's
// own counters (exporter/poller.cc) and the proxy's histograms.
bool NotStored(const std::string& metric) {
  if (metric.rfind("ollama_exporter_storage_", 0) == 0) return true;
  for (const char* family : kProxyHistograms) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (metric == std::string(family) + suffix) return true;
    }
  }
  return false;
}

// The usual models plus a large one half in VRAM: on the GPU together
// 26.9 GB, above 90% of the 24 GiB budget.
std::vector<PsModel> LoadedNearBudget() {
  std::vector<PsModel> loaded = integration::TwoLoaded();
  PsModel large;
  large.name = "llama3.3:70b";
  large.size = 42000000000;
  large.size_vram = 20000000000;
  large.context_length = 4096;
  large.expires_at = "2318-11-30T09:12:44+01:00";
  loaded.push_back(large);
  return loaded;
}

std::string ScrapeConfig(const std::string& target) {
  return "global:\n"
         "  scrape_interval: 1s\n"
         "  scrape_timeout: 1s\n"
         "  evaluation_interval: 1s\n"
         "rule_files:\n"
         "  - " OE_ALERTS_DIR
         "/ollama.rules.yml\n"
         "scrape_configs:\n"
         "  - job_name: ollama\n"
         "    static_configs:\n"
         "      - targets: ['" +
         target + "']\n";
}

double NowSeconds() { return static_cast<double>(NowMillis()) / 1000; }

bool HasData(const PromClient& client, const std::string& expr) {
  QueryResult result;
  return client.Query(expr, NowSeconds(), &result).ok() && !result.empty();
}

// One rule as Prometheus loaded it (/api/v1/rules).
struct LoadedRule {
  std::string name;
  std::string type;  // "recording" or "alerting"
  std::string query;
  std::string health;
  std::string last_error;
};

std::vector<LoadedRule> LoadedRules(const PromClient& prometheus) {
  std::string body;
  REQUIRE_OK(prometheus.GetData("/api/v1/rules", &body));
  const json data = json::parse(body);
  std::vector<LoadedRule> rules;
  for (const json& group : data["groups"]) {
    for (const json& rule : group["rules"]) {
      rules.push_back({rule["name"], rule["type"], rule["query"],
                       rule["health"], rule.value("lastError", "")});
    }
  }
  return rules;
}

// "- record:" and "- alert:" lines of the rule file.
int RulesInFile() {
  std::ifstream in(OE_ALERTS_DIR "/ollama.rules.yml");
  static const std::regex kRule(R"(^\s*- (record|alert):)");
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, kRule)) ++count;
  }
  return count;
}

Labels WithoutTargetLabels(Labels labels) {
  labels.erase("instance");
  labels.erase("job");
  return labels;
}

bool SameValue(const std::string& a, const std::string& b) {
  const double x = std::stod(a);
  const double y = std::stod(b);
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  return std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y));
}

// Prometheus' instant answer against the exporter's: the same series, and
// each value Prometheus scraped is one the exporter stored within the
// 3 s before (a scrape interval plus the poll interval, with margin).
void CompareInstant(const PromClient& prometheus, const PromClient& exporter,
                    const std::string& selector, double at_s) {
  QueryResult scraped;
  QueryResult stored;
  QueryResult stored_recent;
  REQUIRE_OK(prometheus.Query(selector, at_s, &scraped));
  CHECK_OK(exporter.Query(selector, at_s, &stored));
  CHECK_OK(exporter.QueryRange(selector, at_s - 3, at_s, 0.1, &stored_recent));
  CHECK(!scraped.empty());

  std::map<Labels, std::string> scraped_values;
  for (const QuerySeries& series : scraped.series) {
    scraped_values[WithoutTargetLabels(series.labels)] =
        series.values.at(0).second;
  }
  std::set<Labels> stored_labels;
  for (const QuerySeries& series : stored.series) {
    stored_labels.insert(series.labels);
  }
  std::set<Labels> scraped_labels;
  for (const auto& [labels, value] : scraped_values) {
    scraped_labels.insert(labels);
  }
  CHECK(scraped_labels == stored_labels);

  for (const QuerySeries& series : stored_recent.series) {
    const auto scraped_value = scraped_values.find(series.labels);
    if (scraped_value == scraped_values.end()) continue;
    INFO(FormatLabels(series.labels) << " scraped " << scraped_value->second);
    CHECK(std::any_of(series.values.begin(), series.values.end(),
                      [&](const std::pair<double, std::string>& point) {
                        return SameValue(point.second, scraped_value->second);
                      }));
  }
}

// The raw samples of `selector[...]` from both: every sample Prometheus
// scraped at t has the same value among those the exporter stored between
// t - 2.5 s and t + 0.5 s.
void CompareRawSamples(const PromClient& prometheus, const PromClient& exporter,
                       const std::string& selector, double at_s) {
  QueryResult scraped;
  QueryResult stored;
  REQUIRE_OK(prometheus.Query(selector + "[5s]", at_s, &scraped));
  REQUIRE_OK(exporter.Query(selector + "[10s]", at_s, &stored));
  CHECK(scraped.result_type == "matrix");
  CHECK(stored.result_type == "matrix");
  std::map<Labels, const QuerySeries*> stored_series;
  for (const QuerySeries& series : stored.series) {
    stored_series[series.labels] = &series;
  }
  for (const QuerySeries& series : scraped.series) {
    const Labels labels = WithoutTargetLabels(series.labels);
    INFO(FormatLabels(labels));
    CHECK(stored_series.count(labels) == 1);
    if (stored_series.count(labels) == 0) continue;
    for (const auto& [t, value] : series.values) {
      INFO("scraped " << value << " at " << t);
      CHECK(std::any_of(stored_series[labels]->values.begin(),
                        stored_series[labels]->values.end(),
                        [&](const std::pair<double, std::string>& point) {
                          return point.first >= t - 2.5 &&
                                 point.first <= t + 0.5 &&
                                 SameValue(point.second, value);
                        }));
    }
  }
}

// The one step that needs the exporter's proxy: SendProxyTraffic's mix,
// sent before Prometheus first scrapes, so that every rate over it is 0
// and no alert over it holds by the chance of scrape timing.
void SendTrafficThroughProxy(int proxy_port, Rig* rig) {
  std::vector<long> statuses;
  REQUIRE_OK(SendProxyTraffic(proxy_port, integration::kQwen, &rig->ollama(),
                              &statuses));
  CHECK(statuses == std::vector<long>{200, 200, 200, 200, 200, 200, 404});
  CHECK_OK(rig->exporter().WaitForMetrics(
      [](const integration::MetricsText& metrics) {
        double requests = 0;
        for (const auto& sample : metrics.Named("ollama_requests_total")) {
          requests += sample.value;
        }
        return requests == 7;
      },
      kWaitMs));
}

// What every step below reads.
struct Scene {
  PromClient prometheus;
  PromClient exporter;
  std::string target;  // The exporter as Prometheus' instance label.
  json dashboard;
  std::map<std::string, std::string> variable_values;
};

// The dashboard's query variables list the instance and the models.
void CheckVariables(const Scene& scene) {
  for (const DashboardVariable& variable : Variables(scene.dashboard)) {
    if (variable.type != "query") continue;
    INFO(variable.name << ": " << variable.query);
    std::string selector;
    std::string label;
    REQUIRE_OK(ParseLabelValuesQuery(variable.query, &selector, &label));
    std::vector<std::string> found;
    REQUIRE_OK(scene.prometheus.LabelValues(
        label, ExpandVariables(selector, scene.variable_values), &found));
    const std::vector<std::string> expected =
        variable.name == "instance"
            ? std::vector<std::string>{scene.target}
            : std::vector<std::string>{integration::kCloud, integration::kCoder,
                                       integration::kQwen};
    CHECK(found == expected);
  }
}

void CheckPanelQueries(const Scene& scene) {
  for (const PanelQuery& query : PanelQueries(scene.dashboard)) {
    const std::string expr = ExpandVariables(query.expr, scene.variable_values);
    INFO("panel " << query.panel_id << " \"" << query.panel_title << "\" "
                  << query.ref_id << ": " << expr);
    QueryResult result;
    CHECK_OK(scene.prometheus.Query(expr, NowSeconds(), &result));
    CHECK(!result.empty());
  }
}

// Every rule loads and evaluates without error; recording rules return
// data, alert expressions hold exactly for kHoldingAlerts.
void CheckRules(const Scene& scene) {
  const std::vector<LoadedRule> rules = LoadedRules(scene.prometheus);
  CHECK(static_cast<int>(rules.size()) == RulesInFile());
  for (const LoadedRule& rule : rules) {
    INFO(rule.type << " " << rule.name << ": " << rule.query);
    CHECK(rule.health == "ok");
    CHECK(rule.last_error == "");

    QueryResult result;
    CHECK_OK(scene.prometheus.Query(rule.query, NowSeconds(), &result));
    if (rule.type == "alerting") {
      CHECK(result.empty() == (kHoldingAlerts.count(rule.name) == 0));
    } else {
      CHECK(!result.empty());
      CHECK(HasData(scene.prometheus, rule.name));
    }
  }
  CHECK(HasData(scene.prometheus,
                "ALERTS{alertname=\"OllamaModelOnCpu\", "
                "alertstate=\"pending\", model=\"" +
                    std::string(integration::kCoder) + "\"}"));
}

// Every ollama_* selector of the dashboard and the rules, without the
// labels Prometheus adds, read from both.
void CheckReadApi(const Scene& scene) {
  std::vector<std::string> exprs;
  for (const PanelQuery& query : PanelQueries(scene.dashboard)) {
    exprs.push_back(ExpandVariables(query.expr, scene.variable_values));
  }
  for (const LoadedRule& rule : LoadedRules(scene.prometheus)) {
    exprs.push_back(rule.query);
  }
  std::set<std::string> selectors;
  for (const std::string& expr : exprs) {
    for (const VectorSelector& selector : ExtractSelectors(expr)) {
      if (selector.metric.rfind("ollama_", 0) != 0) continue;
      if (NotStored(selector.metric)) continue;
      selectors.insert(WithoutLabels(selector, {"instance", "job"}).ToString());
    }
  }
  REQUIRE(selectors.size() >= 10);

  const double at_s = NowSeconds() - 1;
  for (const std::string& selector : selectors) {
    INFO("selector " << selector);
    CompareInstant(scene.prometheus, scene.exporter, selector, at_s);
    CompareRawSamples(scene.prometheus, scene.exporter, selector, at_s);
  }
}

// The health alerts, quiet so far, hold once a collector, Ollama and at
// last the exporter fail. Ends the scenario.
void CheckHealthAlertsHold(const Scene& scene, Rig* rig) {
  std::map<std::string, std::string> alerts;
  for (const LoadedRule& rule : LoadedRules(scene.prometheus)) {
    if (rule.type == "alerting") alerts[rule.name] = rule.query;
  }
  const auto holds = [&](const char* alert) {
    return Eventually([&] { return HasData(scene.prometheus, alerts[alert]); },
                      kWaitMs, 200);
  };
  REQUIRE(alerts.size() == 9);

  REQUIRE(!HasData(scene.prometheus, alerts["OllamaExporterPollsFailing"]));
  rig->ollama().SetBehaviour(
      integration::Endpoint::kTags,
      integration::Behaviour::HttpStatus(500, R"({"error":"boom"})"));
  CHECK(holds("OllamaExporterPollsFailing"));

  REQUIRE(!HasData(scene.prometheus, alerts["OllamaDown"]));
  rig->ollama().Down();
  CHECK(holds("OllamaDown"));

  REQUIRE(!HasData(scene.prometheus, alerts["OllamaExporterDown"]));
  rig->exporter().Kill();
  CHECK(holds("OllamaExporterDown"));
}

TEST_CASE(
    "Every dashboard and rule expression returns data from a real "
    "Prometheus scraping the exporter",
    "[prometheus][integration]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  rig->Serve(integration::ThreeInstalled(), LoadedNearBudget());
  ExporterOptions options = rig->Options();
  options.scrape_interval = "500ms";
  options.scrape_timeout = "400ms";
  options.without_proxies = true;
  int proxy_port = 0;
  REQUIRE_OK(testing::PickFreeLoopbackPort(&proxy_port));
  options.extra_args.push_back("--proxy.listen-address=127.0.0.1:" +
                               std::to_string(proxy_port));
  REQUIRE_OK(rig->StartExporterWith(options));
  SendTrafficThroughProxy(proxy_port, rig.get());
  const std::string target =
      "127.0.0.1:" + std::to_string(rig->exporter().port());
  std::unique_ptr<PrometheusServer> server;
  REQUIRE_OK(PrometheusServer::Start(ScrapeConfig(target), &server));
  Scene scene{
      PromClient(server->port()),
      PromClient(rig->exporter().port()),
      target,
      {},
      {{"instance", target}, {"model", ".*"}, {"__rate_interval", "1m"}}};
  REQUIRE_OK(LoadDashboard(OE_GRAFANA_DIR "/dashboards/ollama.json",
                           &scene.dashboard));

  // Five scrapes, and the rules evaluated over them.
  REQUIRE(Eventually(
      [&] {
        return HasData(scene.prometheus,
                       "count_over_time(up{job=\"ollama\"}[1m]) >= 5") &&
               HasData(scene.prometheus,
                       "model:ollama_loaded_model_gpu_share:ratio");
      },
      kWaitMs, 200));

  CheckVariables(scene);
  CheckPanelQueries(scene);
  CheckRules(scene);
  CheckReadApi(scene);
  CheckHealthAlertsHold(scene, rig.get());
}

}  // namespace
}  // namespace ollama_exporter::prometheus_test
