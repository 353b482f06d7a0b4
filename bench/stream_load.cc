#include "stream_load.h"

#include <chrono>
#include <memory>
#include <vector>

#include <curl/curl.h>

namespace ollama_exporter::bench {
namespace {

size_t CountBytes(char* /*data*/, size_t size, size_t count, void* bytes) {
  *static_cast<int64_t*>(bytes) += static_cast<int64_t>(size * count);
  return size * count;
}

struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};

}  // namespace

Status RunStreamLoad(const std::string& url, const std::string& body,
                     int streams, double seconds, StreamLoadResult* result) {
  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  if (!multi) return Status::Internal("curl_multi_init failed");
  curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS,
                    static_cast<long>(streams));
  curl_slist* headers =
      curl_slist_append(nullptr, "Content-Type: application/json");
  int64_t bytes = 0;
  std::vector<std::unique_ptr<CURL, EasyDeleter>> easies;
  for (int i = 0; i < streams; ++i) {
    CURL* easy = curl_easy_init();
    if (easy == nullptr) {
      curl_slist_free_all(headers);
      return Status::Internal("curl_easy_init failed");
    }
    easies.emplace_back(easy);
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, CountBytes);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &bytes);
    curl_multi_add_handle(multi.get(), easy);
  }

  // Restart each transfer as it ends, until the window closes.
  Status status = Status::Ok();
  int64_t completed = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  while (status.ok() && std::chrono::steady_clock::now() < end) {
    int running = 0;
    curl_multi_perform(multi.get(), &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      long http_status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http_status);
      if (message->data.result != CURLE_OK || http_status != 200) {
        status = Status::Unavailable("POST " + url + ": " +
                                     curl_easy_strerror(message->data.result) +
                                     ", HTTP " + std::to_string(http_status));
        break;
      }
      ++completed;
      curl_multi_remove_handle(multi.get(), easy);
      curl_multi_add_handle(multi.get(), easy);
    }
    curl_multi_poll(multi.get(), nullptr, 0, 10, nullptr);
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  for (auto& easy : easies) curl_multi_remove_handle(multi.get(), easy.get());
  curl_slist_free_all(headers);
  if (!status.ok()) return status;
  result->bytes = bytes;
  result->completed = completed;
  result->seconds = elapsed;
  return Status::Ok();
}

}  // namespace ollama_exporter::bench
