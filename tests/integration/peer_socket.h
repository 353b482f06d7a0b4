#pragma once

namespace ollama_exporter::integration {

// The fake's side of one TCP connection on 127.0.0.1, found by its ports,
// for what CivetWeb cannot do: tell that the client hung up while the
// handler has nothing to read, and cut a kept-alive connection.
//
// Thread safety: one object per connection, used by its handler thread.
// Ownership: borrows the descriptor, which CivetWeb owns and closes.
class PeerSocket {
 public:
  // Finds the descriptor of this process's connection whose local port is
  // `local_port` and remote port `remote_port`; invalid when none is.
  PeerSocket(int local_port, int remote_port);

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
