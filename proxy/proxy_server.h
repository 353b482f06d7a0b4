#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"

#include "proxy/exchange_observer.h"

namespace ollama_exporter::proxy {

struct ProxyServerOptions {
  // "host:port", ":port" (all interfaces) or "port", as
  // common/listen_address.h reads it. IPv6 is refused. Port 0 picks a
  // free port.
  std::string listen_address = "127.0.0.1:11435";
  // Ollama's base URL; may carry a path prefix ("http://host/ollama").
  std::string upstream_url = "http://127.0.0.1:11434";
  // Connections served at once. Each streaming client holds one for the
  // whole stream, and an idle keep-alive connection holds one too.
  int num_threads = 128;
  // Limit on connecting to upstream only; replies may take any time.
  int connect_timeout_ms = 10000;
  // Cap on an observed request's body (read whole so the observer can
  // rewrite it); larger ones get 413. Other bodies stream unlimited.
  size_t max_observed_body_bytes = 64 << 20;
};

// The streaming proxy in front of Ollama: a CivetWeb listener (separate
// from http::Server) that relays every request, any method and path with
// its raw query string, to `upstream_url` + path through libcurl, and
// streams the reply back:
// - Status, headers and body are relayed as they are; hop-by-hop headers
//   (Connection, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade,
//   Proxy-*) are not; upstream gets its own Host and no Origin. Bodies are
//   never decompressed. An observed request is sent without
//   Accept-Encoding so its reply stays readable.
// - A reply with a Content-Length keeps it; any other is chunked to the
//   client. What one read from upstream brought (head, pieces) is sent
//   in one write as soon as libcurl has delivered it, before the relay
//   waits for more, so each NDJSON line or SSE event arrives at once. The
//   head goes out only once upstream's head is complete. Client
//   connections are kept alive.
// - An upstream reply that breaks off mid-body ends the client's chunked
//   reply without the terminating chunk (the connection is closed), so the
//   client sees a truncated stream.
// - Upstream unreachable or failing before its status line: 502
//   {"error":"no reply from ollama at <url>: <cause>"}; warned about in
//   the log at most once a minute while it lasts.
// - No total timeout: a model load may take minutes before the first
//   byte. A client that disconnects cancels the upstream request: at once
//   when a write to it fails, within about 1.5 s while the relay is
//   waiting for upstream.
// - Upstream connections are reused between requests; TCP_NODELAY on
//   both sides.
// For each request, the factory's observer (if any) sees the exchange as
// described in exchange_observer.h and upstream_relay.h.
//
// Thread safety: Start() and destruction from one thread. Requests run on
// CivetWeb's worker threads and call the factory from there.
// Destruction stops accepting, cuts every relay in flight within about a
// second (their clients' streams end without the terminating chunk, their
// observers get kUpstreamFailed), and returns once CivetWeb has stopped
// (CivetWeb 1.15 takes up to 2 s more for that).
class ProxyServer {
 public:
  // Binds and starts serving. kInvalidArgument for a malformed or IPv6
  // listen address, an upstream URL ParseUpstreamUrl refuses, or
  // num_threads, connect_timeout_ms or max_observed_body_bytes below 1;
  // kUnavailable (naming the address and CivetWeb's reason) when the
  // address cannot be bound. `factory` may be nullptr (nothing observed);
  // otherwise it must outlive the server. On error *server is unchanged.
  static Status Start(const ProxyServerOptions& options,
                      ExchangeObserverFactory* factory,
                      std::unique_ptr<ProxyServer>* server);

  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  // "127.0.0.1:41234": the address bound, with the port picked for port 0.
  std::string bound_address() const;

 private:
  class Impl;
  explicit ProxyServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace ollama_exporter::proxy
