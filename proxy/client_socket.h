#pragma once

#include <string>

namespace ollama_exporter::proxy {

// Tells whether the client of a CivetWeb connection has closed its side
// while the relay has nothing to write to it (waiting minutes for a model
// to load, say), so the upstream request can be canceled.
//
// CivetWeb 1.15 does not expose a connection's socket, so on the first
// call the watch looks for it among the process's open descriptors: the
// TCP socket whose local port is the listening port and whose peer is the
// client's address and port (both from mg_request_info). That pair names
// one connection, and the socket stays open while the request is served.
// When it is not found (the client reset the connection before the first
// look), the watch cannot tell and keeps answering false; the next write
// to the client then notices.
//
// Thread safety: none; one request's worker thread.
class ClientSocketWatch {
 public:
  ClientSocketWatch(int server_port, std::string peer_address, int peer_port);

  // True once the peer has closed or reset the connection. Never blocks.
  bool PeerClosed();

 private:
  int FindSocket() const;

  const int server_port_;
  const std::string peer_address_;
  const int peer_port_;
  bool searched_ = false;
  int fd_ = -1;  // Borrowed from CivetWeb; never closed here.
};

}  // namespace ollama_exporter::proxy
