#include "http/history_handler.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/time_format.h"
#include "http/query_params.h"

namespace ollama_exporter::http {
namespace {

using nlohmann::ordered_json;

const tsdb::Labels& UpLabels() {
  static const tsdb::Labels labels{{tsdb::kMetricNameLabel, "ollama_up"}};
  return labels;
}

const tsdb::Labels& InstalledLabels() {
  static const tsdb::Labels labels{
      {tsdb::kMetricNameLabel, "ollama_models_installed"}};
  return labels;
}

const tsdb::Labels& LoadedLabels() {
  static const tsdb::Labels labels{
      {tsdb::kMetricNameLabel, "ollama_models_loaded"}};
  return labels;
}

Status Invalid(std::string_view name, std::string_view value,
               std::string_view why) {
  return Status::InvalidArgument("invalid " + std::string(name) + " \"" +
                                 std::string(value) +
                                 "\": " + std::string(why));
}

// Whether `text` is entirely one decimal number as std::from_chars reads
// it; *error tells a usable *value from one out of double's range.
bool IsNumber(std::string_view text, double* value, std::errc* error) {
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, *value);
  *error = result.ec;
  return !text.empty() && result.ptr == end &&
         (result.ec == std::errc() ||
          result.ec == std::errc::result_out_of_range);
}

Status ParseHours(const std::string* text, double* hours) {
  if (text == nullptr) {
    *hours = kDefaultHistoryHours;
    return Status::Ok();
  }
  std::errc error;
  if (!IsNumber(*text, hours, &error)) {
    return Invalid("hours", *text, "must be a number");
  }
  if (error != std::errc()) {
    return Invalid("hours", *text,
                   "must be greater than 0 and at most 8784 (366 days)");
  }
  if (!std::isfinite(*hours)) {
    return Invalid("hours", *text, "must be a finite number");
  }
  if (*hours <= 0) return Invalid("hours", *text, "must be greater than 0");
  if (*hours > kMaxHistoryHours) {
    return Invalid("hours", *text, "must be at most 8784 (366 days)");
  }
  return Status::Ok();
}

Status ParseLimit(const std::string* text, int64_t* limit) {
  if (text == nullptr) {
    *limit = kDefaultHistoryLimit;
    return Status::Ok();
  }
  std::string_view digits = *text;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  if (digits.empty() ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    double number;
    std::errc error;
    return IsNumber(*text, &number, &error)
               ? Invalid("limit", *text, "must be a whole number")
               : Invalid("limit", *text, "must be a number");
  }

  // Saturate: any limit past the cap means the cap.
  int64_t value = 0;
  for (char c : digits) {
    value = std::min<int64_t>(value * 10 + (c - '0'), kMaxHistoryLimit + 1);
  }
  if (negative || value == 0) {
    return Invalid("limit", *text, "must be greater than 0");
  }
  *limit = std::min(value, kMaxHistoryLimit);
  return Status::Ok();
}

// Counts are stored as doubles; anything odd reads as 0.
int64_t ToCount(double value) {
  if (!std::isfinite(value) || value < 0) return 0;
  return std::llround(std::min(value, 1e15));
}

// The series with exactly `labels` (the poll-level series carry no other
// label), or none when it was never stored.
Status FindSeries(const tsdb::SeriesReader& store, const tsdb::Labels& labels,
                  std::optional<uint32_t>* id) {
  tsdb::Matcher matcher;
  Status status =
      tsdb::Matcher::Make(tsdb::Matcher::Op::kEqual, tsdb::kMetricNameLabel,
                          labels.at(tsdb::kMetricNameLabel), &matcher);
  std::vector<tsdb::SeriesInfo> series;
  if (status.ok()) status = store.Select({matcher}, &series);
  if (!status.ok()) return status;
  id->reset();
  for (const tsdb::SeriesInfo& info : series) {
    if (info.labels == labels) *id = info.id;
  }
  return Status::Ok();
}

// Samples of the series `labels` in [start_ms, end_ms] by timestamp. One
// range read rather than a point read per poll: a day holds 5,760 polls.
Status ValuesByTime(const tsdb::SeriesReader& store, const tsdb::Labels& labels,
                    int64_t start_ms, int64_t end_ms,
                    std::unordered_map<int64_t, double>* out) {
  std::optional<uint32_t> id;
  Status status = FindSeries(store, labels, &id);
  if (!status.ok() || !id) return status;
  std::vector<tsdb::Sample> samples;
  status = store.Read(*id, start_ms, end_ms, &samples);
  if (!status.ok()) return status;
  out->reserve(samples.size());
  for (const tsdb::Sample& sample : samples) {
    (*out)[sample.timestamp_ms] = sample.value;
  }
  return Status::Ok();
}

// The polls in [start_ms, end_ms], newest first, as dashboard entries.
Status ReadPolls(const tsdb::SeriesReader& store, int64_t start_ms,
                 int64_t end_ms, int64_t limit, ordered_json* data) {
  *data = ordered_json::array();
  std::optional<uint32_t> up_id;
  Status status = FindSeries(store, UpLabels(), &up_id);
  if (!status.ok() || !up_id) return status;
  std::vector<tsdb::Sample> polls;
  status = store.ReadNewestFirst(*up_id, start_ms, end_ms,
                                 static_cast<size_t>(limit), &polls);
  if (!status.ok() || polls.empty()) return status;

  // The counts stored by the same polls; a failed call stored none.
  const int64_t oldest_ms = polls.back().timestamp_ms;
  const int64_t newest_ms = polls.front().timestamp_ms;
  std::unordered_map<int64_t, double> installed;
  std::unordered_map<int64_t, double> loaded;
  status =
      ValuesByTime(store, InstalledLabels(), oldest_ms, newest_ms, &installed);
  if (status.ok()) {
    status = ValuesByTime(store, LoadedLabels(), oldest_ms, newest_ms, &loaded);
  }
  if (!status.ok()) return status;

  for (const tsdb::Sample& poll : polls) {
    auto count = [&poll](const std::unordered_map<int64_t, double>& values) {
      auto it = values.find(poll.timestamp_ms);
      return it == values.end() ? 0 : ToCount(it->second);
    };
    data->push_back({{"timestamp", FormatIsoMillis(poll.timestamp_ms)},
                     {"running", poll.value == 1},
                     {"modelCount", count(installed)},
                     {"activeInferences", count(loaded)}});
  }
  return Status::Ok();
}

// Error messages quote parameter values, which may be any bytes; replacing
// invalid UTF-8 keeps the reply valid JSON and keeps dump() from throwing.
Response Reply(int status, const ordered_json& body) {
  return BodyResponse(
      status, kApplicationJson,
      body.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
}

Response Failure(int status, const std::string& error, int64_t now_ms) {
  return Reply(status, {{"success", false},
                        {"error", error},
                        {"timestamp", FormatIsoMillis(now_ms)}});
}

}  // namespace

Response ServeHistory(const Request& request, const tsdb::SeriesReader& store,
                      int64_t now_ms) {
  QueryParams params;
  Status status = QueryParams::Parse(request.query_string, &params);
  double hours = 0;
  int64_t limit = 0;
  if (status.ok()) status = ParseHours(params.Find("hours"), &hours);
  if (status.ok()) status = ParseLimit(params.Find("limit"), &limit);
  if (!status.ok()) return Failure(400, status.message(), now_ms);

  const int64_t window_ms = std::llround(hours * 3600 * 1000);
  ordered_json data;
  status = ReadPolls(store, now_ms - window_ms, now_ms, limit, &data);
  if (!status.ok()) {
    status = status.WithContext("reading the poll history");
    if (status.code() == StatusCode::kUnavailable ||
        status.code() == StatusCode::kDeadlineExceeded) {
      LOG_WARN("history failed", {log::Field("err", status)});
      return Failure(503, status.ToString(), now_ms);
    }
    LOG_ERROR("history failed", {log::Field("err", status)});
    return Failure(500, status.ToString(), now_ms);
  }
  return Reply(200, {{"success", true},
                     {"data", std::move(data)},
                     {"timestamp", FormatIsoMillis(now_ms)}});
}

}  // namespace ollama_exporter::http
