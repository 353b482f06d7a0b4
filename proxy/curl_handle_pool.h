#pragma once

#include <mutex>
#include <vector>

namespace ollama_exporter::proxy {

// libcurl easy handles kept between requests, so each keeps its open
// connection to upstream and the next request skips the TCP handshake. A
// handle is lent to one request at a time and never shared by threads.
//
// Thread safety: Lease() and the Lease's destruction from any thread.
// Ownership: owns every handle; each Lease must end before the pool.
class CurlHandlePool {
 public:
  // One handle, on loan until destroyed. handle() is a CURL*, or nullptr
  // when libcurl could not make one.
  class Lease {
   public:
    Lease(CurlHandlePool* pool, void* handle) : pool_(pool), handle_(handle) {}

    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    void* handle() const { return handle_; }

   private:
    CurlHandlePool* pool_;
    void* handle_;
  };

  CurlHandlePool() = default;
  ~CurlHandlePool();
  CurlHandlePool(const CurlHandlePool&) = delete;
  CurlHandlePool& operator=(const CurlHandlePool&) = delete;

  // An idle handle (options reset, connections kept) or a new one.
  Lease Take();

 private:
  void Return(void* handle);

  std::mutex mu_;
  std::vector<void*> idle_;  // CURL*; guarded by mu_.
};

}  // namespace ollama_exporter::proxy
