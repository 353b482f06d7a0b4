#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace ollama_exporter::prometheus_test {

// One query of a dashboard panel.
struct PanelQuery {
  int panel_id = 0;
  std::string panel_title;
  std::string ref_id;
  std::string expr;
};

// One template variable of the dashboard (templating.list).
struct DashboardVariable {
  std::string name;
  std::string type;   // "datasource", "query", ...
  std::string query;  // For "query": label_values(...); "" otherwise.
};

// Reads and parses the dashboard JSON at `path`. kNotFound when it cannot
// be read, kInvalidArgument (with the parser's message) when it is not
// JSON; *dashboard is then unchanged.
Status LoadDashboard(const std::string& path, nlohmann::json* dashboard);

// Every panel that draws something, rows left out and the panels of
// collapsed rows included, in dashboard order. Pointers into `dashboard`.
std::vector<const nlohmann::json*> DataPanels(const nlohmann::json& dashboard);

// Every row panel, for id checks.
std::vector<const nlohmann::json*> RowPanels(const nlohmann::json& dashboard);

// The expr of every target of every DataPanels() panel; a target without
// a string expr gets "".
std::vector<PanelQuery> PanelQueries(const nlohmann::json& dashboard);

// templating.list in order; fields that are absent or not strings are "".
std::vector<DashboardVariable> Variables(const nlohmann::json& dashboard);

// The names `text` refers to as $name, ${name}, ${name:format} or
// [[name]], in order of appearance, repeats included.
std::vector<std::string> ReferencedVariables(std::string_view text);

// `text` with every reference to a name in `values` replaced by its value;
// references to other names are left as they are.
std::string ExpandVariables(std::string_view text,
                            const std::map<std::string, std::string>& values);

// label_values(<selector>, <label>) split into its two arguments.
// kInvalidArgument for any other form.
Status ParseLabelValuesQuery(std::string_view query, std::string* selector,
                             std::string* label);

}  // namespace ollama_exporter::prometheus_test
