#include "peer_socket.h"

#include <sys/socket.h>

#include "common/connection_socket.h"

namespace ollama_exporter::integration {

PeerSocket::PeerSocket(int local_port, const std::string& remote_address,
                       int remote_port)
    : fd_(FindConnectionSocket(local_port, remote_address, remote_port)) {}

bool PeerSocket::PeerClosed() const { return PeerHasClosed(fd_); }

void PeerSocket::Cut() const {
  if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
}

}  // namespace ollama_exporter::integration
