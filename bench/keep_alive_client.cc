#include "keep_alive_client.h"

#include <cstddef>

namespace ollama_exporter::bench {
namespace {

size_t Append(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

}  // namespace

KeepAliveClient::KeepAliveClient() : curl_(curl_easy_init()) {
  if (curl_ == nullptr) return;
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  // The servers under test are on loopback; a proxy from the environment
  // would measure something else.
  curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");
}

KeepAliveClient::~KeepAliveClient() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
}

Status KeepAliveClient::Get(const std::string& url, std::string* body,
                            long* http_status) {
  if (curl_ == nullptr) return Status::Unavailable("curl_easy_init failed");
  body->clear();
  *http_status = 0;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, body);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(curl_);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, nullptr);
  long opened = 0;
  curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &opened);
  connections_opened_ += opened;
  if (code != CURLE_OK) {
    return Status::Unavailable("GET " + url + ": " +
                               (error[0] != '\0' ? error
                                                 : curl_easy_strerror(code)));
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, http_status);
  return Status::Ok();
}

}  // namespace ollama_exporter::bench
