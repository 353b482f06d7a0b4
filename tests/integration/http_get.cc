#include "http_get.h"

#include <mutex>

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

// Frees the easy handle on every return path.
struct EasyHandle {
  CURL* curl = curl_easy_init();

  ~EasyHandle() { curl_easy_cleanup(curl); }
};

}  // namespace

Status HttpRequest(HttpMethod method, const std::string& url, int timeout_ms,
                   HttpReply* reply) {
  InitCurlOnce();
  EasyHandle handle;
  if (handle.curl == nullptr) return Status::Internal("curl_easy_init");
  CURL* curl = handle.curl;

  std::string body;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  if (method == HttpMethod::kHead) curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (method == HttpMethod::kPost)
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");

  const CURLcode code = curl_easy_perform(curl);
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
