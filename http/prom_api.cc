#include "http/prom_api.h"

#include <cctype>
#include <utility>

#include "common/log.h"
#include "http/prom_json.h"

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
  body_params.MergeMissing(url_params);
  *params = std::move(body_params);
  return Status::Ok();
}

std::string_view ParamText(const QueryParams& params, std::string_view name) {
  const std::string* value = params.Find(name);
  return value == nullptr ? std::string_view() : std::string_view(*value);
}

Response ApiSuccess(std::string body) {
  return BodyResponse(200, kApplicationJson, std::move(body));
}

Response InvalidParam(std::string_view name, const Status& error) {
  return BadData("invalid parameter \"" + std::string(name) +
                 "\": " + error.message());
}

Response BadData(std::string_view message) {
  return ApiError(400, "bad_data", message);
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
