#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::proxy::testing {

// One request as the upstream read it.
struct UpstreamRequest {
  std::string method;
  std::string target;  // Raw request target: path and query.
  std::vector<std::pair<std::string, std::string>> headers;
  bool chunked = false;  // Sent with Transfer-Encoding: chunked.
  uint64_t body_size = 0;
  uint64_t body_hash = 0;  // FNV-1a 64 of the whole body.
  std::string body;        // The first kMaxKeptBody bytes.

  // The value of the first header named `name` (any case); "" if absent.
  std::string Header(const std::string& name) const;
  bool HasHeader(const std::string& name) const;
};

// A hand-written HTTP/1.1 upstream on 127.0.0.1 whose replies follow a
// script picked by the request path's last segment, so that tests control
// every byte and timing, and see for themselves when the proxy closes its
// connection (plain sockets, independent of the code under test):
//   echo          200, Content-Length, the request body echoed back
//   length        200, Content-Length "hello length\n", extra headers
//                 (X-Upstream, two Set-Cookie, Connection, Keep-Alive)
//   gzip          200, Content-Encoding: gzip, Content-Length, gzip bytes
//   stream        200 chunked NDJSON: line 0, then each further line only
//                 once it takes a token given by Release (or 10 s passed,
//                 counted by gate_timeouts()), kStreamLines lines in all
//   cut           200 chunked: one line, then the connection is closed
//   drip          200 chunked: a line every 20 ms until the peer closes
//   hang          nothing at all until the peer closes
//   close         the connection closed before any byte of reply
//   status-NNN    status NNN, {"error":"scripted NNN"}, Content-Length
//   nocontent     204 without body
// Connections are kept alive between requests unless the script ended
// them. "drip" and "hang" record the time the peer closed (PeerClosed).
//
// Thread safety: all methods from any thread. Destruction stops within
// about a second (held scripts end).
class ScriptedUpstream {
 public:
  static constexpr int kStreamLines = 4;
  static constexpr size_t kMaxKeptBody = 1 << 20;

  static Status Start(std::unique_ptr<ScriptedUpstream>* upstream);
  ~ScriptedUpstream();

  std::string url() const;  // "http://127.0.0.1:<port>"

  int port() const { return port_; }

  // The NDJSON line `i` of the "stream" script, newline included.
  static std::string StreamLine(int i);

  // Gives `lines` tokens: each lets a "stream" script send one more line.
  void Release(int lines = 1);

  // Waits up to `timeout_ms` until a held "drip" or "hang" script saw its
  // peer close; true if it did.
  bool WaitPeerClosed(int timeout_ms);

  // Requests read so far, oldest first.
  std::vector<UpstreamRequest> Requests() const;
  // Waits up to `timeout_ms` for at least `count` requests.
  bool WaitRequests(size_t count, int timeout_ms) const;

  int connections_accepted() const { return accepted_.load(); }

  int gate_timeouts() const { return gate_timeouts_.load(); }

 private:
  ScriptedUpstream() = default;
  void AcceptLoop();
  void Serve(int fd);
  // Runs the script for `request`; false when the connection must close.
  bool Reply(int fd, const UpstreamRequest& request);
  // Blocks until the peer closes `fd` or the upstream stops.
  void AwaitPeerClose(int fd, bool drip);

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> gate_timeouts_{0};

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::vector<std::thread> connections_;   // Guarded by mu_.
  std::vector<UpstreamRequest> requests_;  // Guarded by mu_.
  int tokens_ = 0;                         // Guarded by mu_.
  int peers_closed_ = 0;                   // Guarded by mu_.
};

}  // namespace ollama_exporter::proxy::testing
