#include "inference_script.h"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
struct Field {
  const char* name;
  T InferenceScript::*member;
};

template <typename T>
struct StatsField {
  const char* name;
  T FinalStats::*member;
};

constexpr std::array<Field<int>, 8> kIntFields = {{
    {"chunks", &InferenceScript::chunks},
    {"thinking_chunks", &InferenceScript::thinking_chunks},
    {"chunk_delay_ms", &InferenceScript::chunk_delay_ms},
    {"first_byte_delay_ms", &InferenceScript::first_byte_delay_ms},
    {"hold_timeout_ms", &InferenceScript::hold_timeout_ms},
    {"error_after_chunks", &InferenceScript::error_after_chunks},
    {"close_after_chunks", &InferenceScript::close_after_chunks},
    {"status", &InferenceScript::status},
}};

constexpr std::array<Field<bool>, 3> kBoolFields = {{
    {"hang_before_first_byte", &InferenceScript::hang_before_first_byte},
    {"hold_last_chunk", &InferenceScript::hold_last_chunk},
    {"old_chat_sse", &InferenceScript::old_chat_sse},
}};

constexpr std::array<Field<std::string>, 2> kStringFields = {{
    {"error_message", &InferenceScript::error_message},
    {"status_message", &InferenceScript::status_message},
}};

constexpr std::array<StatsField<int64_t>, 6> kStatsFields = {{
    {"total_duration", &FinalStats::total_duration},
    {"load_duration", &FinalStats::load_duration},
    {"prompt_eval_count", &FinalStats::prompt_eval_count},
    {"prompt_eval_duration", &FinalStats::prompt_eval_duration},
    {"eval_count", &FinalStats::eval_count},
    {"eval_duration", &FinalStats::eval_duration},
}};

// The counts that may be -1 ("never"); every other number must be >= 0.
bool MayBeNegativeOne(const std::string& name) {
  return name == "error_after_chunks" || name == "close_after_chunks";
}

Status ParseStats(const Json& json, FinalStats* stats) {
  if (!json.is_object()) {
    return Status::InvalidArgument("script member stats: not an object");
  }
  for (const auto& [name, value] : json.items()) {
    if (name == "done_reason") {
      if (!value.is_string()) {
        return Status::InvalidArgument("stats.done_reason: not a string");
      }
      stats->done_reason = value.get<std::string>();
      continue;
    }
    bool known = false;
    for (const auto& field : kStatsFields) {
      if (name != field.name) continue;
      if (!value.is_number_integer() || value.get<int64_t>() < 0) {
        return Status::InvalidArgument("stats." + name +
                                       ": not an integer >= 0");
      }
      stats->*field.member = value.get<int64_t>();
      known = true;
    }
    if (!known) {
      return Status::InvalidArgument("unknown stats member " + name);
    }
  }
  return Status::Ok();
}

Status ParseMember(const std::string& name, const Json& value,
                   InferenceScript* script) {
  if (name == "stats") return ParseStats(value, &script->stats);
  for (const auto& field : kIntFields) {
    if (name != field.name) continue;
    const int64_t low = MayBeNegativeOne(name) ? -1 : 0;
    if (!value.is_number_integer() || value.get<int64_t>() < low ||
        value.get<int64_t>() > 100000000) {
      return Status::InvalidArgument("script member " + name +
                                     ": not an integer in range");
    }
    script->*field.member = value.get<int>();
    return Status::Ok();
  }
  for (const auto& field : kBoolFields) {
    if (name != field.name) continue;
    if (!value.is_boolean()) {
      return Status::InvalidArgument("script member " + name +
                                     ": not a boolean");
    }
    script->*field.member = value.get<bool>();
    return Status::Ok();
  }
  for (const auto& field : kStringFields) {
    if (name != field.name) continue;
    if (!value.is_string()) {
      return Status::InvalidArgument("script member " + name +
                                     ": not a string");
    }
    script->*field.member = value.get<std::string>();
    return Status::Ok();
  }
  return Status::InvalidArgument("unknown script member " + name);
}

}  // namespace

bool FinalStats::operator==(const FinalStats& other) const {
  return total_duration == other.total_duration &&
         load_duration == other.load_duration &&
         prompt_eval_count == other.prompt_eval_count &&
         prompt_eval_duration == other.prompt_eval_duration &&
         eval_count == other.eval_count &&
         eval_duration == other.eval_duration &&
         done_reason == other.done_reason;
}

std::string ScriptChunkText(int index) {
  static constexpr std::array<const char*, 6> kWords = {
      "Blue", " light", " scatters.", " Short", " waves", " win."};
  return kWords[static_cast<size_t>(index) % kWords.size()];
}

std::string ScriptThinkingText(int index) {
  return "Think " + std::to_string(index) + ". ";
}

Status ParseInferenceScript(std::string_view json, InferenceScript* script) {
  const Json parsed = Json::parse(json, nullptr, false);
  if (parsed.is_discarded()) {
    return Status::InvalidArgument("script is not JSON");
  }
  if (!parsed.is_object()) {
    return Status::InvalidArgument("script is not a JSON object");
  }
  InferenceScript result = *script;
  for (const auto& [name, value] : parsed.items()) {
    Status status = ParseMember(name, value, &result);
    if (!status.ok()) return status;
  }
  if (result.status < 100 || result.status > 599) {
    return Status::InvalidArgument("script member status: not 100-599");
  }
  *script = std::move(result);
  return Status::Ok();
}

std::string InferenceScriptJson(const InferenceScript& script) {
  Json json;
  for (const auto& field : kIntFields) json[field.name] = script.*field.member;
  for (const auto& field : kBoolFields) {
    json[field.name] = script.*field.member;
  }
  for (const auto& field : kStringFields) {
    json[field.name] = script.*field.member;
  }
  Json stats;
  for (const auto& field : kStatsFields) {
    stats[field.name] = script.stats.*field.member;
  }
  stats["done_reason"] = script.stats.done_reason;
  json["stats"] = std::move(stats);
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ollama_exporter::integration
