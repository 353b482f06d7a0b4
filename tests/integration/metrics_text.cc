#include "metrics_text.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <utility>

namespace ollama_exporter::integration {
namespace {

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Reads a metric name (colons allowed) or label name at *pos.
bool ReadName(std::string_view line, size_t* pos, bool metric,
              std::string* name) {
  const size_t start = *pos;
  while (*pos < line.size() &&
         (IsNameChar(line[*pos]) || (metric && line[*pos] == ':'))) {
    ++*pos;
  }
  if (*pos == start ||
      !(IsNameStart(line[start]) || (metric && line[start] == ':'))) {
    return false;
  }
  *name = std::string(line.substr(start, *pos - start));
  return true;
}

void SkipBlanks(std::string_view line, size_t* pos) {
  while (*pos < line.size() && (line[*pos] == ' ' || line[*pos] == '\t')) {
    ++*pos;
  }
}

// Reads `"..."` with \\ \" \n escapes at *pos.
bool ReadQuoted(std::string_view line, size_t* pos, std::string* value) {
  if (*pos >= line.size() || line[*pos] != '"') return false;
  ++*pos;
  value->clear();
  while (*pos < line.size()) {
    const char c = line[(*pos)++];
    if (c == '"') return true;
    if (c != '\\') {
      value->push_back(c);
      continue;
    }
    if (*pos >= line.size()) return false;
    const char escaped = line[(*pos)++];
    if (escaped == '\\' || escaped == '"') {
      value->push_back(escaped);
    } else if (escaped == 'n') {
      value->push_back('\n');
    } else {
      return false;
    }
  }
  return false;
}

// Reads {name="value",...} at *pos, which points at '{'.
Status ReadLabels(std::string_view line, size_t* pos, LabelSet* labels) {
  ++*pos;
  while (true) {
    SkipBlanks(line, pos);
    if (*pos >= line.size()) return Status::InvalidArgument("unclosed {");
    if (line[*pos] == '}') {
      ++*pos;
      return Status::Ok();
    }
    std::string name, value;
    if (!ReadName(line, pos, false, &name)) {
      return Status::InvalidArgument("bad label name");
    }
    SkipBlanks(line, pos);
    if (*pos >= line.size() || line[*pos] != '=') {
      return Status::InvalidArgument("no = after label " + name);
    }
    ++*pos;
    SkipBlanks(line, pos);
    if (!ReadQuoted(line, pos, &value)) {
      return Status::InvalidArgument("bad value of label " + name);
    }
    if (!labels->emplace(name, std::move(value)).second) {
      return Status::InvalidArgument("repeated label " + name);
    }
    SkipBlanks(line, pos);
    if (*pos < line.size() && line[*pos] == ',')
      ++*pos;
    else if (*pos < line.size() && line[*pos] != '}') {
      return Status::InvalidArgument("expected , or } after label " + name);
    }
  }
}

// A whole token as a float: decimals, exponents, NaN, +Inf, -Inf.
bool ParseValue(std::string_view token, double* value) {
  if (token.empty() || token.size() > 64) return false;
  const std::string text(token);
  errno = 0;
  char* end = nullptr;
  const double parsed = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return false;
  if (errno == ERANGE && std::isinf(parsed)) return false;
  *value = parsed;
  return true;
}

bool ParseTimestamp(std::string_view token) {
  if (token.empty() || token.size() > 19) return false;
  size_t i = token[0] == '-' ? 1 : 0;
  if (i == token.size()) return false;
  for (; i < token.size(); ++i) {
    if (token[i] < '0' || token[i] > '9') return false;
  }
  return true;
}

Status ParseSample(std::string_view line, MetricSample* sample) {
  size_t pos = 0;
  if (!ReadName(line, &pos, true, &sample->name)) {
    return Status::InvalidArgument("bad metric name");
  }
  if (pos < line.size() && line[pos] == '{') {
    Status status = ReadLabels(line, &pos, &sample->labels);
    if (!status.ok()) return status;
  }
  if (pos >= line.size() || (line[pos] != ' ' && line[pos] != '\t')) {
    return Status::InvalidArgument("no value");
  }
  SkipBlanks(line, &pos);
  size_t end = pos;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
  if (!ParseValue(line.substr(pos, end - pos), &sample->value)) {
    return Status::InvalidArgument("bad value");
  }
  pos = end;
  SkipBlanks(line, &pos);
  if (pos == line.size()) return Status::Ok();
  end = pos;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
  if (!ParseTimestamp(line.substr(pos, end - pos))) {
    return Status::InvalidArgument("bad timestamp");
  }
  pos = end;
  SkipBlanks(line, &pos);
  if (pos != line.size()) return Status::InvalidArgument("trailing text");
  return Status::Ok();
}

// "# TYPE name type" -> name, type. False when malformed.
bool ParseTypeComment(std::string_view line, std::string* name,
                      std::string* type) {
  constexpr std::string_view kPrefix = "# TYPE ";
  if (line.substr(0, kPrefix.size()) != kPrefix) return false;
  size_t pos = kPrefix.size();
  if (!ReadName(line, &pos, true, name)) return false;
  if (pos >= line.size() || line[pos] != ' ') return false;
  *type = std::string(line.substr(pos + 1));
  static const std::set<std::string, std::less<>> kTypes = {
      "counter", "gauge", "histogram", "summary", "untyped"};
  return kTypes.count(*type) == 1;
}

std::string Shorten(std::string_view line) {
  constexpr size_t kMax = 120;
  if (line.size() <= kMax) return std::string(line);
  return std::string(line.substr(0, kMax)) + "...";
}

}  // namespace

Status MetricsText::Parse(std::string_view text, MetricsText* out) {
  MetricsText parsed;
  std::set<std::pair<std::string, LabelSet>> seen;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size()
                                                         : newline + 1);
    ++line_number;
    const std::string where =
        "line " + std::to_string(line_number) + " \"" + Shorten(line) + "\"";

    if (line.empty()) continue;
    if (line[0] == '#') {
      const bool type_line =
          line.substr(0, 6) == "# TYPE" && (line.size() == 6 || line[6] == ' ');
      if (!type_line) continue;
      std::string name, type;
      if (!ParseTypeComment(line, &name, &type)) {
        return Status::InvalidArgument("malformed TYPE at " + where);
      }
      parsed.types_[name] = type;
      continue;
    }

    MetricSample sample;
    Status status = ParseSample(line, &sample);
    if (!status.ok()) return status.WithContext(where);
    if (!seen.emplace(sample.name, sample.labels).second) {
      return Status::InvalidArgument("repeated series at " + where);
    }
    parsed.samples_.push_back(std::move(sample));
  }
  *out = std::move(parsed);
  return Status::Ok();
}

std::optional<double> MetricsText::Value(std::string_view name,
                                         const LabelSet& labels) const {
  for (const MetricSample& sample : samples_) {
    if (sample.name == name && sample.labels == labels) return sample.value;
  }
  return std::nullopt;
}

std::vector<MetricSample> MetricsText::Named(std::string_view name) const {
  std::vector<MetricSample> named;
  for (const MetricSample& sample : samples_) {
    if (sample.name == name) named.push_back(sample);
  }
  return named;
}

size_t MetricsText::CountWithPrefix(std::string_view prefix) const {
  size_t count = 0;
  for (const MetricSample& sample : samples_) {
    if (std::string_view(sample.name).substr(0, prefix.size()) == prefix) {
      ++count;
    }
  }
  return count;
}

std::string MetricsText::TypeOf(std::string_view family) const {
  auto it = types_.find(family);
  return it == types_.end() ? "" : it->second;
}

}  // namespace ollama_exporter::integration
