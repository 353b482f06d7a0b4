#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace ollama_exporter::proxy {

// How the relay of one request ended, as the transport saw it.
enum class ExchangeEnd {
  kComplete,        // Upstream reply fully relayed.
  kUpstreamFailed,  // Could not connect, or the upstream reply broke off.
  kClientGone,      // The client disconnected; the upstream call was cut.
};

// "complete", "upstream_failed", "client_gone": for logs and tests.
inline std::string_view ExchangeEndName(ExchangeEnd end) {
  switch (end) {
    case ExchangeEnd::kComplete:
      return "complete";
    case ExchangeEnd::kUpstreamFailed:
      return "upstream_failed";
    case ExchangeEnd::kClientGone:
      return "client_gone";
  }
  return "unknown";
}

// Watches one relayed request. The transport calls, in order and from one
// thread: OnRequestBody once, OnResponseStart at most once, OnResponseBytes
// for each piece of body as it arrives, OnEnd exactly once. A request that
// never goes upstream (its body over the cap, its client gone while
// sending it) gets no call at all.
class ExchangeObserver {
 public:
  virtual ~ExchangeObserver() = default;

  // The whole request body, before it goes upstream; the observer may
  // rewrite it (the transport then sends the new Content-Length).
  virtual void OnRequestBody(std::string* body) = 0;

  // Upstream's status line and Content-Type (empty when absent).
  virtual void OnResponseStart(int status, std::string_view content_type) = 0;

  // One piece of upstream body. Returns what the client must receive for
  // it, at once: normally `piece` itself, else bytes the observer holds,
  // valid until its next call.
  virtual std::string_view OnResponseBytes(std::string_view piece) = 0;

  // The end of the exchange. Returns any bytes the observer still held
  // back, valid while it lives; the transport sends them if the client is
  // still there.
  virtual std::string_view OnEnd(ExchangeEnd end) = 0;
};

// Makes the observer of each request. Called on the transport's worker
// threads, so implementations must be thread-safe.
class ExchangeObserverFactory {
 public:
  virtual ~ExchangeObserverFactory() = default;

  // An observer for this request, or nullptr for a path that is relayed
  // unmeasured (its body is then streamed, not buffered).
  virtual std::unique_ptr<ExchangeObserver> Observe(std::string_view method,
                                                    std::string_view path) = 0;
};

}  // namespace ollama_exporter::proxy
