#include "proxy/curl_handle_pool.h"

#include <curl/curl.h>

namespace ollama_exporter::proxy {

CurlHandlePool::Lease::~Lease() {
  if (handle_ != nullptr) pool_->Return(handle_);
}

CurlHandlePool::~CurlHandlePool() {
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

CurlHandlePool::Lease CurlHandlePool::Take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return Lease(this, handle);
    }
  }
  return Lease(this, curl_easy_init());
}

void CurlHandlePool::Return(void* handle) {
  // Options go, the connection cache stays (curl_easy_reset keeps it).
  curl_easy_reset(static_cast<CURL*>(handle));
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(handle);
}

}  // namespace ollama_exporter::proxy
