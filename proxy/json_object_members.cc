#include "proxy/json_object_members.h"

#include "proxy/json_scan.h"

namespace ollama_exporter::proxy {
namespace {

size_t SkipSpace(std::string_view text, size_t pos) {
  while (pos < text.size() && IsJsonSpace(text[pos])) ++pos;
  return pos;
}

// The offset just past the string whose opening quote is at `pos`, or npos.
size_t SkipString(std::string_view text, size_t pos) {
  for (++pos; pos < text.size(); ++pos) {
    if (text[pos] == '\\') {
      ++pos;
    } else if (text[pos] == '"') {
      return pos + 1;
    }
  }
  return std::string_view::npos;
}

// The offset just past the value starting at `pos`, or npos. Containers
// are skipped by counting brackets outside strings, without recursion, so
// deep nesting costs no stack.
size_t SkipValue(std::string_view text, size_t pos) {
  if (pos >= text.size()) return std::string_view::npos;
  if (text[pos] == '"') return SkipString(text, pos);
  if (text[pos] != '{' && text[pos] != '[') {
    while (pos < text.size() && !IsJsonSpace(text[pos]) && text[pos] != ',' &&
           text[pos] != '}' && text[pos] != ']') {
      ++pos;
    }
    return pos;
  }
  size_t depth = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      pos = SkipString(text, pos);
      if (pos == std::string_view::npos) return pos;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (--depth == 0) return pos + 1;
    }
    ++pos;
  }
  return std::string_view::npos;
}

}  // namespace

bool ListObjectMembers(std::string_view text, size_t open_brace,
                       std::vector<JsonMemberSpan>* members,
                       size_t* close_brace) {
  members->clear();
  if (open_brace >= text.size() || text[open_brace] != '{') return false;
  size_t pos = SkipSpace(text, open_brace + 1);
  if (pos < text.size() && text[pos] == '}') {
    *close_brace = pos;
    return true;
  }
  while (pos < text.size()) {
    JsonMemberSpan member;
    if (text[pos] != '"') return false;
    member.key_begin = pos;
    member.key_end = SkipString(text, pos);
    if (member.key_end == std::string_view::npos) return false;
    pos = SkipSpace(text, member.key_end);
    if (pos >= text.size() || text[pos] != ':') return false;
    member.value_begin = SkipSpace(text, pos + 1);
    member.value_end = SkipValue(text, member.value_begin);
    if (member.value_end == std::string_view::npos) return false;
    members->push_back(member);
    pos = SkipSpace(text, member.value_end);
    if (pos >= text.size()) return false;
    if (text[pos] == '}') {
      *close_brace = pos;
      return true;
    }
    if (text[pos] != ',') return false;
    pos = SkipSpace(text, pos + 1);
  }
  return false;
}

}  // namespace ollama_exporter::proxy
