#pragma once

#include <string>

namespace ollama_exporter::integration {

// The fake's side of one TCP connection, found by its ends
// (common/connection_socket.h), for what CivetWeb cannot do: tell that the
// client hung up while the handler has nothing to read, and cut a
// kept-alive connection.
//
// Thread safety: one object per connection, used by its handler thread.
// Ownership: borrows the descriptor, which CivetWeb owns and closes.
class PeerSocket {
 public:
  // Finds the connection from `local_port` to `remote_address` (dotted
  // quad) port `remote_port`; invalid when there is none.
  PeerSocket(int local_port, const std::string& remote_address,
             int remote_port);

  bool valid() const { return fd_ >= 0; }

  // True when the client has closed its end (or the socket failed).
  // False when unknown (invalid).
  bool PeerClosed() const;

  // Shuts the connection down both ways, so the client sees it end at
  // once, mid-body, and CivetWeb drops it.
  void Cut() const;

 private:
  int fd_ = -1;
};

}  // namespace ollama_exporter::integration
