#include "http_get.h"

#include <mutex>
#include <utility>

#include <curl/curl.h>

namespace ollama_exporter::integration {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_ALL); });
}

size_t Append(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

}  // namespace

Status HttpRequest(HttpMethod method, const std::string& url, int timeout_ms,
                   HttpReply* reply) {
  HttpClient client;
  return client.Request(method, url, timeout_ms, reply);
}

HttpClient::HttpClient() {
  InitCurlOnce();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() { curl_easy_cleanup(curl_); }

Status HttpClient::Request(HttpMethod method, const std::string& url,
                           int timeout_ms, HttpReply* reply) {
  if (curl_ == nullptr) return Status::Internal("curl_easy_init");
  CURL* curl = curl_;

  std::string body;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  // The handle may have sent another method before.
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  if (method == HttpMethod::kHead) curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (method == HttpMethod::kPost)
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");

  const CURLcode code = curl_easy_perform(curl);
  // The buffer dies with this call; the body string too.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, nullptr);
  long opened = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened);
  connections_opened_ += opened;
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Status::DeadlineExceeded(url + ": " + error);
  }
  if (code != CURLE_OK) {
    return Status::Unavailable(url + ": " +
                               (error[0] ? error : curl_easy_strerror(code)));
  }
  HttpReply result;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  const char* type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
  if (type != nullptr) result.content_type = type;
  result.body = std::move(body);
  *reply = std::move(result);
  return Status::Ok();
}

std::string UrlEscape(std::string_view text) {
  InitCurlOnce();
  char* escaped =
      curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) return "";
  std::string result(escaped);
  curl_free(escaped);
  return result;
}

}  // namespace ollama_exporter::integration
