#pragma once

#include <string>

namespace ollama_exporter::proxy {

// Tells whether the client of a CivetWeb connection has closed its side
// while the relay has nothing to write to it (waiting minutes for a model
// to load, say), so the upstream request can be canceled.
//
// The watch finds the connection's socket (common/connection_socket.h)
// on the first call, from the listening port and the client's address and
// port (mg_request_info), and keeps it: it stays open while the request is
// served. When it is not found (the client reset the connection before
// the first look), the watch cannot tell and keeps answering false; the
// next write to the client then notices.
//
// Thread safety: none; one request's worker thread.
class ClientSocketWatch {
 public:
  ClientSocketWatch(int server_port, std::string peer_address, int peer_port);

  // True once the peer has closed or reset the connection. Never blocks.
  bool PeerClosed();

 private:
  const int server_port_;
  const std::string peer_address_;
  const int peer_port_;
  bool searched_ = false;
  int fd_ = -1;  // Borrowed from CivetWeb; never closed here.
};

}  // namespace ollama_exporter::proxy
