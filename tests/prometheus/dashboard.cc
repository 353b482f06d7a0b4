#include "dashboard.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace ollama_exporter::prometheus_test {
namespace {

using nlohmann::json;

std::string StringField(const json& object, const char* name) {
  if (!object.is_object()) return "";
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The panels of the top level and of every row, in order.
std::vector<const json*> AllPanels(const json& dashboard) {
  std::vector<const json*> panels;
  if (!dashboard.is_object() || !dashboard.contains("panels") ||
      !dashboard["panels"].is_array()) {
    return panels;
  }
  for (const json& panel : dashboard["panels"]) {
    panels.push_back(&panel);
    if (panel.is_object() && panel.contains("panels") &&
        panel["panels"].is_array()) {
      for (const json& nested : panel["panels"]) panels.push_back(&nested);
    }
  }
  return panels;
}

bool IsRow(const json& panel) { return StringField(panel, "type") == "row"; }

// A variable reference starting at text[i], which is '$' or '['. Sets
// *name and *length (of the whole reference) when there is one.
bool MatchReference(std::string_view text, size_t i, std::string* name,
                    size_t* length) {
  if (text[i] == '[') {
    if (text.substr(i, 2) != "[[") return false;
    const size_t end = text.find("]]", i + 2);
    if (end == std::string_view::npos || end == i + 2) return false;
    *name = std::string(text.substr(i + 2, end - i - 2));
    *length = end + 2 - i;
    return true;
  }
  if (i + 1 < text.size() && text[i + 1] == '{') {
    const size_t end = text.find('}', i + 2);
    if (end == std::string_view::npos || end == i + 2) return false;
    std::string_view inner = text.substr(i + 2, end - i - 2);
    *name = std::string(inner.substr(0, inner.find(':')));
    *length = end + 1 - i;
    return !name->empty();
  }
  size_t end = i + 1;
  while (end < text.size() && IsNameChar(text[end])) ++end;
  if (end == i + 1) return false;
  *name = std::string(text.substr(i + 1, end - i - 1));
  *length = end - i;
  return true;
}

}  // namespace

Status LoadDashboard(const std::string& path, json* dashboard) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  json parsed = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::InvalidArgument(path + " is not valid JSON");
  }
  *dashboard = std::move(parsed);
  return Status::Ok();
}

std::vector<const json*> DataPanels(const json& dashboard) {
  std::vector<const json*> data;
  for (const json* panel : AllPanels(dashboard)) {
    if (!IsRow(*panel)) data.push_back(panel);
  }
  return data;
}

std::vector<const json*> RowPanels(const json& dashboard) {
  std::vector<const json*> rows;
  for (const json* panel : AllPanels(dashboard)) {
    if (IsRow(*panel)) rows.push_back(panel);
  }
  return rows;
}

std::vector<PanelQuery> PanelQueries(const json& dashboard) {
  std::vector<PanelQuery> queries;
  for (const json* panel : DataPanels(dashboard)) {
    if (!panel->is_object() || !panel->contains("targets") ||
        !(*panel)["targets"].is_array()) {
      continue;
    }
    for (const json& target : (*panel)["targets"]) {
      PanelQuery query;
      const auto id = panel->find("id");
      query.panel_id =
          id != panel->end() && id->is_number_integer() ? id->get<int>() : 0;
      query.panel_title = StringField(*panel, "title");
      query.ref_id = StringField(target, "refId");
      query.expr = StringField(target, "expr");
      queries.push_back(std::move(query));
    }
  }
  return queries;
}

std::vector<DashboardVariable> Variables(const json& dashboard) {
  std::vector<DashboardVariable> variables;
  if (!dashboard.is_object() || !dashboard.contains("templating")) {
    return variables;
  }
  const json& list = dashboard["templating"].value("list", json::array());
  for (const json& entry : list) {
    DashboardVariable variable;
    variable.name = StringField(entry, "name");
    variable.type = StringField(entry, "type");
    if (variable.type == "query") variable.query = StringField(entry, "query");
    variables.push_back(std::move(variable));
  }
  return variables;
}

std::vector<std::string> ReferencedVariables(std::string_view text) {
  std::vector<std::string> names;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' && text[i] != '[') continue;
    std::string name;
    size_t length = 0;
    if (!MatchReference(text, i, &name, &length)) continue;
    names.push_back(std::move(name));
    i += length - 1;
  }
  return names;
}

std::string ExpandVariables(std::string_view text,
                            const std::map<std::string, std::string>& values) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    std::string name;
    size_t length = 0;
    if ((text[i] == '$' || text[i] == '[') &&
        MatchReference(text, i, &name, &length)) {
      const auto value = values.find(name);
      if (value != values.end()) {
        out += value->second;
        i += length - 1;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

Status ParseLabelValuesQuery(std::string_view query, std::string* selector,
                             std::string* label) {
  constexpr std::string_view kPrefix = "label_values(";
  const size_t comma = query.rfind(',');
  if (query.substr(0, kPrefix.size()) != kPrefix || query.empty() ||
      query.back() != ')' || comma == std::string_view::npos ||
      comma < kPrefix.size()) {
    return Status::InvalidArgument("not label_values(selector, label): " +
                                   std::string(query));
  }
  std::string_view name = query.substr(comma + 1);
  name.remove_suffix(1);
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (name.empty()) {
    return Status::InvalidArgument("label_values without a label: " +
                                   std::string(query));
  }
  *selector = std::string(query.substr(kPrefix.size(), comma - kPrefix.size()));
  *label = std::string(name);
  return Status::Ok();
}

}  // namespace ollama_exporter::prometheus_test
