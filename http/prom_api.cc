#include "http/prom_api.h"

#include <cctype>
#include <utility>

#include "common/log.h"
#include "http/prom_json.h"
#include "http/prom_time.h"
#include "http/selector_parser.h"

namespace ollama_exporter::http {
namespace {

bool IsFormBody(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (content_type.size() < kForm.size()) return false;
  for (size_t i = 0; i < kForm.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(content_type[i])) != kForm[i]) {
      return false;
    }
  }
  return content_type.size() == kForm.size() ||
         content_type[kForm.size()] == ';' || content_type[kForm.size()] == ' ';
}

Response ApiError(int http_status, std::string_view error_type,
                  std::string_view message) {
  return BodyResponse(http_status, kApplicationJson,
                      RenderApiError(error_type, message));
}

// `error` as the trouble with parameter `name`, in Prometheus' words.
Status InParameter(std::string_view name, const Status& error) {
  return error.WithContext("invalid parameter \"" + std::string(name) + "\"");
}

// Parses the time parameter `name` into *unix_ms unless it is absent or
// empty, which Prometheus reads as "no bound".
Status ParseOptionalTime(const QueryParams& params, std::string_view name,
                         int64_t* unix_ms) {
  const std::string_view text = ParamText(params, name);
  if (text.empty()) return Status::Ok();
  return InParameter(name, ParseTimestamp(text, unix_ms));
}

}  // namespace

Status ReadApiParams(const Request& request, QueryParams* params) {
  QueryParams url_params;
  Status status = QueryParams::Parse(request.query_string, &url_params);
  if (!status.ok()) return status;
  if (request.method != "POST" || !IsFormBody(request.content_type)) {
    *params = std::move(url_params);
    return Status::Ok();
  }
  QueryParams body_params;
  status = QueryParams::Parse(request.body, &body_params);
  if (!status.ok()) return status.WithContext("request body");
  body_params.Append(url_params);
  *params = std::move(body_params);
  return Status::Ok();
}

std::string_view ParamText(const QueryParams& params, std::string_view name) {
  const std::string* value = params.Find(name);
  return value == nullptr ? std::string_view() : std::string_view(*value);
}

Status ParseTimeWindow(const QueryParams& params, TimeWindow* window) {
  TimeWindow parsed;
  Status status = ParseOptionalTime(params, "start", &parsed.start_ms);
  if (status.ok()) status = ParseOptionalTime(params, "end", &parsed.end_ms);
  if (!status.ok()) return status;
  *window = parsed;
  return Status::Ok();
}

Status ParseMatchParams(const QueryParams& params,
                        std::vector<std::vector<tsdb::Matcher>>* sets) {
  std::vector<std::vector<tsdb::Matcher>> parsed;
  for (const std::string& text : params.FindAll("match[]")) {
    std::vector<tsdb::Matcher> matchers;
    Status status = ParseMetricSelector(text, &matchers);
    if (!status.ok()) return status;
    if (!HasNonEmptyMatcher(matchers)) {
      return Status::InvalidArgument(
          "match[] must contain at least one non-empty matcher");
    }
    parsed.push_back(std::move(matchers));
  }
  *sets = std::move(parsed);
  return Status::Ok();
}

Response ApiSuccess(std::string body) {
  return BodyResponse(200, kApplicationJson, std::move(body));
}

Response InvalidParam(std::string_view name, const Status& error) {
  return BadData(InParameter(name, error).message());
}

Response BadData(std::string_view message) {
  return ApiError(400, "bad_data", message);
}

Response QueryFailure(const Status& error) {
  if (error.code() == StatusCode::kInvalidArgument) {
    return ApiError(422, "execution", error.message());
  }
  return StoreError(error);
}

Response StoreError(const Status& error) {
  switch (error.code()) {
    case StatusCode::kUnavailable:
      LOG_WARN("query failed", {log::Field("err", error)});
      return ApiError(503, "unavailable", error.ToString());
    case StatusCode::kDeadlineExceeded:
      LOG_WARN("query failed", {log::Field("err", error)});
      return ApiError(503, "timeout", error.ToString());
    default:
      LOG_ERROR("query failed", {log::Field("err", error)});
      return ApiError(500, "internal", error.ToString());
  }
}

}  // namespace ollama_exporter::http
