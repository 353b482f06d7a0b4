#include "proxy/include_usage_rewrite.h"

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "proxy/json_key.h"
#include "proxy/json_object_members.h"

namespace ollama_exporter::proxy {
namespace {

using nlohmann::json;

// The last member whose decoded key Go would match to `name`, or nullptr.
const JsonMemberSpan* LastMember(std::string_view text,
                                 const std::vector<JsonMemberSpan>& members,
                                 std::string_view name) {
  const JsonMemberSpan* found = nullptr;
  for (const JsonMemberSpan& member : members) {
    const json key = json::parse(
        text.substr(member.key_begin, member.key_end - member.key_begin),
        nullptr, false);
    if (key.is_string() &&
        KeyMatches(key.get_ref<const std::string&>(), name)) {
      found = &member;
    }
  }
  return found;
}

// Puts `member` first in the object opening at text[open_brace].
void InsertFirst(std::string* body, size_t open_brace, bool object_empty,
                 std::string_view member) {
  std::string insertion(member);
  if (!object_empty) insertion += ',';
  body->insert(open_brace + 1, insertion);
}

}  // namespace

bool InjectIncludeUsage(std::string* body) {
  // Only valid JSON is edited; ListObjectMembers refuses non-objects.
  if (!json::accept(*body)) return false;

  const std::string_view text = *body;
  const size_t open_brace = text.find_first_not_of(" \t\r\n");
  std::vector<JsonMemberSpan> members;
  size_t close_brace;
  if (!ListObjectMembers(text, open_brace, &members, &close_brace)) {
    return false;
  }

  const JsonMemberSpan* options = LastMember(text, members, "stream_options");
  if (options == nullptr) {
    InsertFirst(body, open_brace, members.empty(),
                R"("stream_options":{"include_usage":true})");
    return true;
  }
  const char first = text[options->value_begin];
  if (first == 'n') {
    body->replace(options->value_begin,
                  options->value_end - options->value_begin,
                  R"({"include_usage":true})");
    return true;
  }
  if (first != '{') return false;

  std::vector<JsonMemberSpan> option_members;
  if (!ListObjectMembers(text, options->value_begin, &option_members,
                         &close_brace)) {
    return false;
  }
  const JsonMemberSpan* include_usage =
      LastMember(text, option_members, "include_usage");
  if (include_usage == nullptr) {
    InsertFirst(body, options->value_begin, option_members.empty(),
                R"("include_usage":true)");
  } else {
    // Ollama answers 400 to a value that is neither a boolean nor null.
    const char value_first = text[include_usage->value_begin];
    if (value_first != 't' && value_first != 'f' && value_first != 'n') {
      return false;
    }
    body->replace(include_usage->value_begin,
                  include_usage->value_end - include_usage->value_begin,
                  "true");
  }
  return true;
}

}  // namespace ollama_exporter::proxy
