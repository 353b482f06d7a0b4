#include "exporter/reply_json.h"

#include <algorithm>
#include <limits>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "exporter/rfc3339.h"

namespace ollama_exporter {
namespace {

using nlohmann::json;

constexpr size_t kSnippetBytes = 60;

// The start of a reply, quoted, as one printable ASCII line for a message.
std::string Snippet(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r";
  size_t begin = text.find_first_not_of(kSpace);
  text = begin == std::string_view::npos
             ? std::string_view()
             : text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
  std::string quoted = "\"";
  for (char c : text.substr(0, kSnippetBytes)) {
    quoted += c >= 0x20 && c < 0x7f ? c : '?';
  }
  quoted += text.size() > kSnippetBytes ? "...\"" : "\"";
  return quoted;
}

// The field, or nullptr when `object` is not an object or lacks `key`.
const json* Field(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<int64_t> ClampedNumber(const json* value) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (value == nullptr || !value->is_number()) return std::nullopt;
  if (value->is_number_unsigned()) {
    uint64_t number = value->get<uint64_t>();
    return number > static_cast<uint64_t>(kMax) ? kMax
                                                : static_cast<int64_t>(number);
  }
  if (value->is_number_integer()) {
    return std::max<int64_t>(0, value->get<int64_t>());
  }
  // 2^63 is exactly representable, so this comparison clamps safely.
  double number = value->get<double>();
  if (!(number > 0)) return 0;
  if (number >= 9223372036854775808.0) return kMax;
  return static_cast<int64_t>(number);
}

}  // namespace

Status ParseJsonObject(std::string_view text, json* object) {
  if (text.empty()) return Status::FailedPrecondition("reply is empty");
  // nlohmann stops at a NUL as at the end of input; JSON never holds one.
  if (text.find('\0') != std::string_view::npos) {
    return Status::FailedPrecondition("reply holds a NUL byte: " +
                                      Snippet(text));
  }
  json parsed = json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                            /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::FailedPrecondition("reply is not JSON: " + Snippet(text));
  }
  if (!parsed.is_object()) {
    return Status::FailedPrecondition("reply is " + DescribeType(parsed) +
                                      ", not a JSON object: " + Snippet(text));
  }
  *object = std::move(parsed);
  return Status::Ok();
}

std::string DescribeType(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    default:
      return value.is_number() ? "a number" : value.type_name();
  }
}

Status ForEachModel(
    std::string_view text,
    const std::function<void(const json& entry, std::string name)>& visit,
    int* skipped) {
  json reply;
  Status status = ParseJsonObject(text, &reply);
  if (!status.ok()) return status;
  const json* models = Field(reply, "models");
  if (models == nullptr) {
    return Status::FailedPrecondition("reply has no \"models\" field: " +
                                      Snippet(text));
  }
  if (!models->is_array() && !models->is_null()) {
    return Status::FailedPrecondition("\"models\" is " + DescribeType(*models) +
                                      ", not an array: " + Snippet(text));
  }

  *skipped = 0;
  if (models->is_null()) return Status::Ok();
  std::unordered_set<std::string> seen;
  for (const json& entry : *models) {
    std::string name = StringField(entry, "name");
    if (name.empty()) name = StringField(entry, "model");
    if (name.empty() || !seen.insert(name).second) {
      ++*skipped;
      continue;
    }
    visit(entry, std::move(name));
  }
  return Status::Ok();
}

std::string StringField(const json& object, const char* key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_string()
             ? value->get_ref<const std::string&>()
             : std::string();
}

int64_t BytesField(const json& object, const char* key) {
  return ClampedNumber(Field(object, key)).value_or(0);
}

std::optional<int64_t> CountField(const json& object, const char* key) {
  return ClampedNumber(Field(object, key));
}

// 0001-01-01T00:00:00Z in Unix milliseconds.
constexpr int64_t kGoZeroTimeMs = -62135596800000;

std::optional<int64_t> TimestampField(const json& object, const char* key) {
  const json* value = Field(object, key);
  int64_t unix_ms;
  if (value == nullptr || !value->is_string() ||
      !ParseRfc3339(value->get_ref<const std::string&>(), &unix_ms).ok() ||
      unix_ms == kGoZeroTimeMs) {
    return std::nullopt;
  }
  return unix_ms;
}

ModelDetails DetailsField(const json& entry) {
  ModelDetails details;
  const json* object = Field(entry, "details");
  if (object == nullptr) return details;
  details.format = StringField(*object, "format");
  details.family = StringField(*object, "family");
  details.parameter_size = StringField(*object, "parameter_size");
  details.quantization_level = StringField(*object, "quantization_level");
  const json* families = Field(*object, "families");
  if (families != nullptr && families->is_array()) {
    for (const json& family : *families) {
      if (family.is_string()) details.families.push_back(family);
    }
  }
  return details;
}

}  // namespace ollama_exporter
