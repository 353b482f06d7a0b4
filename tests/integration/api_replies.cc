#include "api_replies.h"

#include <time.h>

#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::json;

// Parses without exceptions; *json is "discarded" on bad input.
Status ParseJson(std::string_view text, Json* json) {
  *json = Json::parse(text.begin(), text.end(), nullptr, false);
  if (json->is_discarded()) return Status::InvalidArgument("not JSON");
  if (!json->is_object()) return Status::InvalidArgument("not an object");
  return Status::Ok();
}

const Json* Member(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

Status StringMember(const Json& object, const char* key, std::string* out) {
  const Json* value = Member(object, key);
  if (value == nullptr || !value->is_string()) {
    return Status::InvalidArgument(std::string(key) + " is not a string");
  }
  *out = value->get<std::string>();
  return Status::Ok();
}

Status IntMember(const Json& object, const char* key, int64_t* out) {
  const Json* value = Member(object, key);
  if (value == nullptr || !value->is_number_integer() ||
      (value->is_number_unsigned() &&
       value->get<uint64_t>() >
           static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
    return Status::InvalidArgument(std::string(key) + " is not an integer");
  }
  *out = value->get<int64_t>();
  return Status::Ok();
}

Status BoolMember(const Json& object, const char* key, bool* out) {
  const Json* value = Member(object, key);
  if (value == nullptr || !value->is_boolean()) {
    return Status::InvalidArgument(std::string(key) + " is not a boolean");
  }
  *out = value->get<bool>();
  return Status::Ok();
}

Status TimeMember(const Json& object, const char* key, int64_t* out) {
  std::string text;
  Status status = StringMember(object, key, &text);
  if (!status.ok()) return status;
  return ParseIsoMillis(text, out).WithContext(key);
}

Status ParseHistoryEntry(const Json& json, HistoryEntry* entry) {
  if (!json.is_object()) return Status::InvalidArgument("not an object");
  Status status = TimeMember(json, "timestamp", &entry->timestamp_ms);
  if (status.ok()) status = BoolMember(json, "running", &entry->running);
  if (status.ok()) status = IntMember(json, "modelCount", &entry->model_count);
  if (status.ok()) {
    status = IntMember(json, "activeInferences", &entry->active_inferences);
  }
  return status;
}

// Digits of text[pos, pos+count) as a number; false if any is not a digit.
bool Digits(std::string_view text, size_t pos, size_t count, int* value) {
  *value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    *value = *value * 10 + (text[i] - '0');
  }
  return true;
}

bool IsLeap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

}  // namespace

Status ParseHistoryReply(std::string_view text, HistoryReply* out) {
  Json json;
  Status status = ParseJson(text, &json);
  if (!status.ok()) return status;

  HistoryReply reply;
  status = BoolMember(json, "success", &reply.success);
  if (!status.ok()) return status;
  if (!reply.success) {
    status = StringMember(json, "error", &reply.error);
    if (!status.ok()) return status;
    *out = std::move(reply);
    return Status::Ok();
  }

  const Json* data = Member(json, "data");
  if (data == nullptr || !data->is_array()) {
    return Status::InvalidArgument("data is not an array");
  }
  for (size_t i = 0; i < data->size(); ++i) {
    HistoryEntry entry;
    status = ParseHistoryEntry((*data)[i], &entry);
    if (!status.ok()) {
      return status.WithContext("data[" + std::to_string(i) + "]");
    }
    reply.data.push_back(entry);
  }
  status = TimeMember(json, "timestamp", &reply.timestamp_ms);
  if (!status.ok()) return status;
  *out = std::move(reply);
  return Status::Ok();
}

Status ParseRangeReply(std::string_view text, RangeReply* out) {
  Json json;
  Status status = ParseJson(text, &json);
  if (!status.ok()) return status;

  RangeReply reply;
  status = StringMember(json, "status", &reply.status);
  if (!status.ok()) return status;
  if (reply.status == "error") {
    status = StringMember(json, "errorType", &reply.error_type);
    if (status.ok()) status = StringMember(json, "error", &reply.error);
    if (!status.ok()) return status;
    *out = std::move(reply);
    return Status::Ok();
  }
  if (reply.status != "success") {
    return Status::InvalidArgument("status is \"" + reply.status + "\"");
  }

  const Json* data = Member(json, "data");
  if (data == nullptr || !data->is_object()) {
    return Status::InvalidArgument("data is not an object");
  }
  status = StringMember(*data, "resultType", &reply.result_type);
  if (!status.ok()) return status;
  const Json* result = Member(*data, "result");
  if (result == nullptr || !result->is_array()) {
    return Status::InvalidArgument("result is not an array");
  }
  for (const Json& item : *result) {
    const Json* metric = item.is_object() ? Member(item, "metric") : nullptr;
    const Json* values = item.is_object() ? Member(item, "values") : nullptr;
    if (metric == nullptr || !metric->is_object() || values == nullptr ||
        !values->is_array()) {
      return Status::InvalidArgument("series without metric and values");
    }
    RangeSeries series;
    for (const auto& [name, value] : metric->items()) {
      if (!value.is_string()) {
        return Status::InvalidArgument("label " + name + " is not a string");
      }
      series.metric[name] = value.get<std::string>();
    }
    for (const Json& pair : *values) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() ||
          !pair[1].is_string()) {
        return Status::InvalidArgument("value is not [number, string]");
      }
      series.values.emplace_back(pair[0].get<double>(),
                                 pair[1].get<std::string>());
    }
    reply.result.push_back(std::move(series));
  }
  *out = std::move(reply);
  return Status::Ok();
}

Status ParseIsoMillis(std::string_view text, int64_t* unix_ms) {
  // 2026-08-21T12:00:00.123Z
  // 0123456789012345678901234
  const Status bad =
      Status::InvalidArgument("\"" + std::string(text.substr(0, 40)) +
                              "\" is not YYYY-MM-DDTHH:MM:SS.mmmZ");
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' ||
      text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z') {
    return bad;
  }
  int year, month, day, hour, minute, second, millis;
  if (!Digits(text, 0, 4, &year) || !Digits(text, 5, 2, &month) ||
      !Digits(text, 8, 2, &day) || !Digits(text, 11, 2, &hour) ||
      !Digits(text, 14, 2, &minute) || !Digits(text, 17, 2, &second) ||
      !Digits(text, 20, 3, &millis)) {
    return bad;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0) ||
      hour > 23 || minute > 59 || second > 59) {
    return bad;
  }

  struct tm utc {};

  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  *unix_ms = static_cast<int64_t>(timegm(&utc)) * 1000 + millis;
  return Status::Ok();
}

}  // namespace ollama_exporter::integration
