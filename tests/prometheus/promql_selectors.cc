#include "promql_selectors.h"

#include <algorithm>
#include <cctype>

namespace ollama_exporter::prometheus_test {
namespace {

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}

bool IsNameChar(char c) {
  return IsNameStart(c) || std::isdigit(static_cast<unsigned char>(c));
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)); }

// Words that are never metric names where they stand.
bool IsKeyword(std::string_view word) {
  static constexpr std::string_view kKeywords[] = {
      "and",   "or",       "unless",      "bool",   "offset", "inf",
      "nan",   "Inf",      "NaN",         "sum",    "avg",    "min",
      "max",   "count",    "stddev",      "stdvar", "topk",   "bottomk",
      "group", "quantile", "count_values"};
  return std::find(std::begin(kKeywords), std::end(kKeywords), word) !=
         std::end(kKeywords);
}

// Words followed by a parenthesised list of label names.
bool TakesLabelList(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "by", "without", "on", "ignoring", "group_left", "group_right"};
  return std::find(std::begin(kWords), std::end(kWords), word) !=
         std::end(kWords);
}

// Index after the quoted string starting at `i`, or npos when unterminated.
size_t SkipString(std::string_view text, size_t i) {
  const char quote = text[i];
  for (size_t j = i + 1; j < text.size(); ++j) {
    if (text[j] == '\\' && quote != '`') {
      ++j;
    } else if (text[j] == quote) {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() && IsSpace(text[i])) ++i;
  return i;
}

// Index after the bracket group opened at `i` (`(` or `[`), strings
// skipped, or npos when unterminated.
size_t SkipGroup(std::string_view text, size_t i) {
  const char open = text[i];
  const char close = open == '(' ? ')' : ']';
  int depth = 0;
  for (size_t j = i; j < text.size(); ++j) {
    if (text[j] == '"' || text[j] == '\'' || text[j] == '`') {
      j = SkipString(text, j);
      if (j == std::string_view::npos) return j;
      --j;
    } else if (text[j] == open) {
      ++depth;
    } else if (text[j] == close && --depth == 0) {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

// Parses the matchers of the brace group at text[i] == '{'. Index after
// the closing brace, or npos when they cannot be read.
size_t ParseMatchers(std::string_view text, size_t i,
                     std::vector<LabelMatcher>* matchers) {
  size_t j = SkipSpace(text, i + 1);
  while (j < text.size() && text[j] != '}') {
    LabelMatcher matcher;
    const size_t name_start = j;
    while (j < text.size() && IsNameChar(text[j])) ++j;
    matcher.name = std::string(text.substr(name_start, j - name_start));
    j = SkipSpace(text, j);
    const size_t op_start = j;
    while (j < text.size() &&
           (text[j] == '=' || text[j] == '!' || text[j] == '~')) {
      ++j;
    }
    matcher.op = std::string(text.substr(op_start, j - op_start));
    j = SkipSpace(text, j);
    if (matcher.name.empty() || matcher.op.empty() || j >= text.size() ||
        (text[j] != '"' && text[j] != '\'' && text[j] != '`')) {
      return std::string_view::npos;
    }
    const size_t value_end = SkipString(text, j);
    if (value_end == std::string_view::npos) return value_end;
    matcher.quoted_value = std::string(text.substr(j, value_end - j));
    matchers->push_back(std::move(matcher));
    j = SkipSpace(text, value_end);
    if (j < text.size() && text[j] == ',') j = SkipSpace(text, j + 1);
  }
  return j < text.size() ? j + 1 : std::string_view::npos;
}

}  // namespace

std::string VectorSelector::ToString() const {
  if (matchers.empty()) return metric;
  std::string text = metric + "{";
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) text += ", ";
    text += matchers[i].name + matchers[i].op + matchers[i].quoted_value;
  }
  return text + "}";
}

std::vector<VectorSelector> ExtractSelectors(std::string_view expr) {
  std::vector<VectorSelector> selectors;
  size_t i = 0;
  while (i < expr.size()) {
    const char c = expr[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = SkipString(expr, i);
    } else if (c == '[' || c == '{') {
      // A range or a selector without a metric name: neither is wanted.
      i = c == '[' ? SkipGroup(expr, i) : expr.find('}', i);
      if (i != std::string_view::npos && c == '{') ++i;
    } else if (c == '#') {
      i = expr.find('\n', i);
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      while (i < expr.size() && (IsNameChar(expr[i]) || expr[i] == '.')) ++i;
    } else if (IsNameStart(c)) {
      const size_t start = i;
      while (i < expr.size() && IsNameChar(expr[i])) ++i;
      const std::string_view word = expr.substr(start, i - start);
      const size_t next = SkipSpace(expr, i);
      const bool paren = next < expr.size() && expr[next] == '(';
      if (TakesLabelList(word)) {
        i = paren ? SkipGroup(expr, next) : next;
      } else if (!paren && !IsKeyword(word)) {
        VectorSelector selector;
        selector.metric = std::string(word);
        if (next < expr.size() && expr[next] == '{') {
          i = ParseMatchers(expr, next, &selector.matchers);
          if (i == std::string_view::npos) break;
        }
        selectors.push_back(std::move(selector));
      }
    } else {
      ++i;
    }
    if (i == std::string_view::npos) break;
  }
  return selectors;
}

VectorSelector WithoutLabels(const VectorSelector& selector,
                             const std::vector<std::string>& labels) {
  VectorSelector kept;
  kept.metric = selector.metric;
  for (const LabelMatcher& matcher : selector.matchers) {
    if (std::find(labels.begin(), labels.end(), matcher.name) == labels.end()) {
      kept.matchers.push_back(matcher);
    }
  }
  return kept;
}

}  // namespace ollama_exporter::prometheus_test
