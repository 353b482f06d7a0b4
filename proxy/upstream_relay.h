#pragma once

#include <atomic>
#include <cstddef>
#include <string>

#include "proxy/connect_failure_log.h"
#include "proxy/curl_handle_pool.h"
#include "proxy/exchange_observer.h"

struct mg_connection;

namespace ollama_exporter::proxy {

// What the relay takes from ProxyServerOptions, which holds the defaults.
struct RelaySettings {
  // From ParseUpstreamUrl: the request's raw path and query are appended.
  std::string upstream_base;
  long connect_timeout_ms = 0;
  // Cap on an observed request's body, which is read whole; larger ones
  // get 413. Unobserved bodies are streamed and not limited.
  size_t max_observed_body_bytes = 0;
};

// Relays requests from CivetWeb connections to upstream with libcurl and
// streams each reply back (see ProxyServer for the full behaviour).
//
// For each request, an ExchangeObserver from the factory (when it returns
// one) sees the exchange as exchange_observer.h orders it. When the request
// never goes upstream (a body over the cap, a client gone while sending
// it), the observer is destroyed without any call.
//
// Thread safety: Serve() from many threads at once, each with its own
// connection; Stop() from any thread.
// Ownership: borrows the factory, which must outlive the relay.
class UpstreamRelay {
 public:
  // `factory` may be nullptr: every request is relayed unobserved.
  UpstreamRelay(RelaySettings settings, ExchangeObserverFactory* factory);
  UpstreamRelay(const UpstreamRelay&) = delete;
  UpstreamRelay& operator=(const UpstreamRelay&) = delete;

  // Relays the request on `conn` and answers the client. Returns the
  // status sent (for CivetWeb's bookkeeping), or 499 when the client left
  // before a head. Throws nothing.
  int Serve(mg_connection* conn);

  // Cuts every transfer in flight within about a second (their clients'
  // replies end as if upstream broke off) and refuses later requests
  // with 503. A transfer cut from then on ends as kUpstreamFailed, even
  // when a client read or write failed first (a stopping CivetWeb fails
  // them all), so call it before stopping CivetWeb.
  void Stop() { stopping_.store(true); }

 private:
  const RelaySettings settings_;
  ExchangeObserverFactory* const factory_;
  CurlHandlePool handles_;
  ConnectFailureLog failure_log_;
  std::atomic<bool> stopping_{false};
};

}  // namespace ollama_exporter::proxy
