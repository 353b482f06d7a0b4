#include "proxy/client_socket.h"

#include <utility>

#include "common/connection_socket.h"

namespace ollama_exporter::proxy {

ClientSocketWatch::ClientSocketWatch(int server_port, std::string peer_address,
                                     int peer_port)
    : server_port_(server_port),
      peer_address_(std::move(peer_address)),
      peer_port_(peer_port) {}

bool ClientSocketWatch::PeerClosed() {
  if (!searched_) {
    searched_ = true;
    fd_ = FindConnectionSocket(server_port_, peer_address_, peer_port_);
  }
  return PeerHasClosed(fd_);
}

}  // namespace ollama_exporter::proxy
