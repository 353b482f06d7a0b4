#include "stream_probe.h"

#include <curl/curl.h>

#include "paced_upstream.h"

namespace ollama_exporter::bench {
namespace {

constexpr long kTimeoutMs = 10000;

size_t OnWrite(char* data, size_t size, size_t count, void* piece_callback) {
  const auto& on_piece =
      *static_cast<const StreamProbe::OnPiece*>(piece_callback);
  on_piece(SteadyNanos(), std::string_view(data, size * count));
  return size * count;
}

}  // namespace

StreamProbe::StreamProbe()
    : curl_(curl_easy_init()),
      headers_(curl_slist_append(nullptr, "Content-Type: application/json")) {}

StreamProbe::~StreamProbe() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_slist_free_all(static_cast<curl_slist*>(headers_));
}

Status StreamProbe::Post(const std::string& url, const std::string& body,
                         const OnPiece& on_piece) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return Status::Internal("curl_easy_init failed");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, kTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &on_piece);
  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Status::DeadlineExceeded("POST " + url);
  }
  if (code != CURLE_OK) {
    return Status::Unavailable("POST " + url + ": " + curl_easy_strerror(code));
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return Status::FailedPrecondition("POST " + url + ": HTTP " +
                                      std::to_string(status));
  }
  return Status::Ok();
}

}  // namespace ollama_exporter::bench
