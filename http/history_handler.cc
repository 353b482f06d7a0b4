#include "http/history_handler.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/time_format.h"
#include "http/query_params.h"
#include "tsdb/stale_marker.h"

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

// The proxy stores this unlabelled counter with every poll while it runs.
const tsdb::Labels& ProxyOnLabels() {
  static const tsdb::Labels labels{
      {tsdb::kMetricNameLabel, "ollama_exporter_proxy_model_overflows_total"}};
  return labels;
}

constexpr char kInFlightName[] = "ollama_requests_in_flight";

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

// Samples of the series `labels` in [start_ms, end_ms], oldest first; none
// when the series was never stored.
Status ReadSeries(const tsdb::SeriesReader& store, const tsdb::Labels& labels,
                  int64_t start_ms, int64_t end_ms,
                  std::vector<tsdb::Sample>* out) {
  out->clear();
  std::optional<uint32_t> id;
  Status status = FindSeries(store, labels, &id);
  if (!status.ok() || !id) return status;
  return store.Read(*id, start_ms, end_ms, out);
}

// The value each poll (newest first) stored in `samples` (oldest first),
// as a count; nullopt for a poll that stored none or a staleness marker
// (the call failed). One merge walk: both lists are ordered by time.
std::vector<std::optional<int64_t>> CountsAtPolls(
    const std::vector<tsdb::Sample>& polls,
    const std::vector<tsdb::Sample>& samples) {
  std::vector<std::optional<int64_t>> counts;
  counts.reserve(polls.size());
  size_t next = samples.size();
  for (const tsdb::Sample& poll : polls) {
    while (next > 0 && samples[next - 1].timestamp_ms > poll.timestamp_ms) {
      --next;
    }
    bool stored = next > 0 &&
                  samples[next - 1].timestamp_ms == poll.timestamp_ms &&
                  !tsdb::IsStaleMarker(samples[next - 1].value);
    counts.push_back(
        stored ? std::optional<int64_t>(ToCount(samples[next - 1].value))
               : std::nullopt);
  }
  return counts;
}

// Requests in flight at each poll (newest first), summed over the models'
// ollama_requests_in_flight series, or -1 for a poll made while the proxy
// was off.
Status InFlightAtPolls(const tsdb::SeriesReader& store,
                       const std::vector<tsdb::Sample>& polls,
                       std::vector<int64_t>* in_flight) {
  const int64_t oldest_ms = polls.back().timestamp_ms;
  const int64_t newest_ms = polls.front().timestamp_ms;
  std::vector<tsdb::Sample> proxy_on;
  Status status =
      ReadSeries(store, ProxyOnLabels(), oldest_ms, newest_ms, &proxy_on);
  if (!status.ok()) return status;
  // The proxy was on at a poll that stored its counter, whatever its value.
  const std::vector<std::optional<int64_t>> on = CountsAtPolls(polls, proxy_on);
  in_flight->clear();
  for (const std::optional<int64_t>& stored : on) {
    in_flight->push_back(stored ? 0 : -1);
  }
  if (proxy_on.empty()) return Status::Ok();

  tsdb::Matcher matcher;
  status = tsdb::Matcher::Make(tsdb::Matcher::Op::kEqual,
                               tsdb::kMetricNameLabel, kInFlightName, &matcher);
  std::vector<tsdb::SeriesInfo> series;
  if (status.ok()) status = store.Select({matcher}, &series);
  std::vector<tsdb::Sample> samples;
  for (const tsdb::SeriesInfo& info : series) {
    if (!status.ok()) break;
    status = store.Read(info.id, oldest_ms, newest_ms, &samples);
    if (!status.ok()) break;
    const std::vector<std::optional<int64_t>> counts =
        CountsAtPolls(polls, samples);
    for (size_t i = 0; i < polls.size(); ++i) {
      if ((*in_flight)[i] >= 0) (*in_flight)[i] += counts[i].value_or(0);
    }
  }
  return status;
}

// The history entries in [start_ms, end_ms], newest first, written
// straight into *data as a JSON array: a day of polls is 5,760 entries,
// and a JSON tree for them costs more than the store reads do.
Status WritePolls(const tsdb::SeriesReader& store, int64_t start_ms,
                  int64_t end_ms, int64_t limit, std::string* data) {
  *data = "[]";
  std::optional<uint32_t> up_id;
  Status status = FindSeries(store, UpLabels(), &up_id);
  if (!status.ok() || !up_id) return status;
  std::vector<tsdb::Sample> polls;
  status = store.ReadNewestFirst(*up_id, start_ms, end_ms,
                                 static_cast<size_t>(limit), &polls);
  if (!status.ok() || polls.empty()) return status;

  // The counts stored by the same polls.
  const int64_t oldest_ms = polls.back().timestamp_ms;
  const int64_t newest_ms = polls.front().timestamp_ms;
  std::vector<tsdb::Sample> installed;
  std::vector<tsdb::Sample> loaded;
  status =
      ReadSeries(store, InstalledLabels(), oldest_ms, newest_ms, &installed);
  if (status.ok()) {
    status = ReadSeries(store, LoadedLabels(), oldest_ms, newest_ms, &loaded);
  }
  if (!status.ok()) return status;
  const std::vector<std::optional<int64_t>> model_counts =
      CountsAtPolls(polls, installed);
  const std::vector<std::optional<int64_t>> loaded_counts =
      CountsAtPolls(polls, loaded);
  std::vector<int64_t> in_flight;
  status = InFlightAtPolls(store, polls, &in_flight);
  if (!status.ok()) return status;

  data->clear();
  data->reserve(polls.size() * 100);
  data->push_back('[');
  for (size_t i = 0; i < polls.size(); ++i) {
    if (i > 0) data->push_back(',');
    data->append("{\"timestamp\":\"");
    AppendIsoMillis(polls[i].timestamp_ms, data);
    data->append(polls[i].value == 1 ? "\",\"running\":true"
                                     : "\",\"running\":false");
    data->append(",\"modelCount\":");
    data->append(std::to_string(model_counts[i].value_or(0)));
    data->append(",\"activeInferences\":");
    data->append(std::to_string(
        in_flight[i] >= 0 ? in_flight[i] : loaded_counts[i].value_or(0)));
    data->push_back('}');
  }
  data->push_back(']');
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
  std::string data;
  status = WritePolls(store, now_ms - window_ms, now_ms, limit, &data);
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
  std::string body = "{\"success\":true,\"data\":";
  body += data;
  body += ",\"timestamp\":\"";
  AppendIsoMillis(now_ms, &body);
  body += "\"}";
  return BodyResponse(200, kApplicationJson, std::move(body));
}

}  // namespace ollama_exporter::http
