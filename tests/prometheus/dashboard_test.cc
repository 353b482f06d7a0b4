// The dashboard JSON as Grafana needs it: every panel queries the
// datasource variable, ids are unique, every variable resolves.

#include "dashboard.h"

#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "promql_selectors.h"
#include "require_ok.h"

namespace ollama_exporter::prometheus_test {
namespace {

using nlohmann::json;

constexpr char kDatasourceUid[] = "${datasource}";

// Variables Grafana itself defines.
const std::set<std::string> kBuiltins = {
    "__rate_interval", "__interval", "__interval_ms", "__range", "__range_s"};

json Dashboard() {
  json dashboard;
  REQUIRE_OK(
      LoadDashboard(OE_GRAFANA_DIR "/dashboards/ollama.json", &dashboard));
  return dashboard;
}

bool UsesDatasourceVariable(const json& owner) {
  return owner.contains("datasource") &&
         owner["datasource"] ==
             json({{"type", "prometheus"}, {"uid", kDatasourceUid}});
}

TEST_CASE("Dashboard takes its data source as an import input and a variable",
          "[grafana]") {
  const json dashboard = Dashboard();
  REQUIRE(dashboard["__inputs"].is_array());
  REQUIRE(dashboard["__inputs"].size() == 1);
  const json& input = dashboard["__inputs"][0];
  CHECK(input["name"] == "DS_PROMETHEUS");
  CHECK(input["type"] == "datasource");
  CHECK(input["pluginId"] == "prometheus");

  const std::vector<DashboardVariable> variables = Variables(dashboard);
  REQUIRE(variables.size() == 3);
  CHECK(variables[0].name == "datasource");
  CHECK(variables[0].type == "datasource");
  const json& datasource = dashboard["templating"]["list"][0];
  CHECK(datasource["query"] == "prometheus");
  CHECK(datasource["current"]["value"] == "${DS_PROMETHEUS}");
  CHECK(variables[1].name == "instance");
  CHECK(variables[1].query == "label_values(ollama_up, instance)");
  CHECK(variables[2].name == "model");
  CHECK(variables[2].query ==
        R"(label_values(ollama_model_info{instance=~"$instance"}, model))");
  for (size_t i = 1; i < variables.size(); ++i) {
    INFO("variable " << variables[i].name);
    CHECK(variables[i].type == "query");
    CHECK(UsesDatasourceVariable(dashboard["templating"]["list"][i]));
  }
}

TEST_CASE("Dashboard panels have unique ids and query the datasource variable",
          "[grafana]") {
  const json dashboard = Dashboard();
  const std::vector<const json*> panels = DataPanels(dashboard);
  REQUIRE(panels.size() >= 16);

  std::set<int> ids;
  for (const json* panel : RowPanels(dashboard)) {
    CHECK(ids.insert((*panel)["id"].get<int>()).second);
  }
  for (const json* panel : panels) {
    INFO("panel " << panel->dump().substr(0, 200));
    REQUIRE((*panel)["id"].is_number_integer());
    CHECK((*panel)["id"].get<int>() > 0);
    CHECK(ids.insert((*panel)["id"].get<int>()).second);
    CHECK(!(*panel)["title"].get<std::string>().empty());
    CHECK(UsesDatasourceVariable(*panel));

    const json& grid = (*panel)["gridPos"];
    CHECK(grid["x"].get<int>() >= 0);
    CHECK(grid["x"].get<int>() + grid["w"].get<int>() <= 24);
    CHECK(grid["h"].get<int>() > 0);

    REQUIRE((*panel)["targets"].is_array());
    CHECK(!(*panel)["targets"].empty());
    std::set<std::string> ref_ids;
    for (const json& target : (*panel)["targets"]) {
      CHECK(UsesDatasourceVariable(target));
      CHECK(ref_ids.insert(target["refId"].get<std::string>()).second);
      CHECK(!target["expr"].get<std::string>().empty());
    }
  }
}

TEST_CASE("Every variable the dashboard refers to is defined before its use",
          "[grafana]") {
  const json dashboard = Dashboard();
  std::set<std::string> defined = kBuiltins;
  for (const DashboardVariable& variable : Variables(dashboard)) {
    for (const std::string& name : ReferencedVariables(variable.query)) {
      INFO(variable.name << " refers to " << name);
      CHECK(defined.count(name) == 1);
    }
    defined.insert(variable.name);
  }

  for (const json* panel : DataPanels(dashboard)) {
    std::string texts = (*panel)["title"].get<std::string>();
    for (const json& target : (*panel)["targets"]) {
      texts += " " + target["expr"].get<std::string>();
    }
    for (const std::string& name : ReferencedVariables(texts)) {
      INFO("panel " << (*panel)["id"] << " refers to " << name);
      CHECK(defined.count(name) == 1);
    }
  }
}

TEST_CASE("Every dashboard query filters on the instance variable",
          "[grafana]") {
  for (const PanelQuery& query : PanelQueries(Dashboard())) {
    const std::vector<VectorSelector> selectors = ExtractSelectors(query.expr);
    INFO("panel " << query.panel_id << " " << query.ref_id << ": "
                  << query.expr);
    CHECK(!selectors.empty());
    for (const VectorSelector& selector : selectors) {
      CHECK(selector.ToString() !=
            WithoutLabels(selector, {"instance"}).ToString());
    }
  }
}

TEST_CASE("Dashboard draws what issue 4 asks for", "[grafana]") {
  std::string all_exprs;
  for (const PanelQuery& query : PanelQueries(Dashboard())) {
    all_exprs += query.expr + "\n";
  }
  const char* const kWanted[] = {
      "ollama_up{",
      "ollama_version_info{",
      "ollama_models_installed{",
      "ollama_models_loaded{",
      "ollama_loaded_model_vram_bytes{",
      "- ollama_loaded_model_vram_bytes{",
      "/ ollama_loaded_model_size_bytes{",
      "ollama_loaded_model_expires_timestamp_seconds{",
      "rate(ollama_requests_total{",
      "outcome!=\"ok\"",
      "increase(ollama_eval_tokens_per_second_bucket{",
      "histogram_quantile(0.95, sum by (le, model) (\n"
      "  rate(ollama_eval_tokens_per_second_bucket{",
      "rate(ollama_time_to_first_token_seconds_bucket{",
      "rate(ollama_generated_tokens_total{",
      "ollama_requests_in_flight{",
  };
  for (const char* wanted : kWanted) {
    INFO("looking for " << wanted);
    CHECK(all_exprs.find(wanted) != std::string::npos);
  }

  const json dashboard = Dashboard();
  const std::vector<const json*> panels = DataPanels(dashboard);
  const auto heatmap = std::find_if(
      panels.begin(), panels.end(),
      [](const json* panel) { return (*panel)["type"] == "heatmap"; });
  REQUIRE(heatmap != panels.end());
  CHECK((**heatmap)["targets"][0]["format"] == "heatmap");
}

}  // namespace
}  // namespace ollama_exporter::prometheus_test
