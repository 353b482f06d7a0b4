#include "proxy/client_socket.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdlib>
#include <utility>

namespace ollama_exporter::proxy {
namespace {

// The IPv4 address and port of a socket name, or false for other kinds.
bool Ipv4Name(const sockaddr_storage& name, in_addr* address, int* port) {
  if (name.ss_family != AF_INET) return false;
  const auto* ipv4 = reinterpret_cast<const sockaddr_in*>(&name);
  *address = ipv4->sin_addr;
  *port = ntohs(ipv4->sin_port);
  return true;
}

}  // namespace

ClientSocketWatch::ClientSocketWatch(int server_port, std::string peer_address,
                                     int peer_port)
    : server_port_(server_port),
      peer_address_(std::move(peer_address)),
      peer_port_(peer_port) {}

int ClientSocketWatch::FindSocket() const {
  in_addr wanted_peer{};
  if (inet_pton(AF_INET, peer_address_.c_str(), &wanted_peer) != 1) return -1;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;

  int found = -1;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    sockaddr_storage name{};
    socklen_t length = sizeof(name);
    in_addr address{};
    int port = 0;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&name),
                    &length) != 0 ||
        !Ipv4Name(name, &address, &port) || port != server_port_) {
      continue;
    }
    length = sizeof(name);
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&name),
                    &length) != 0 ||
        !Ipv4Name(name, &address, &port) || port != peer_port_ ||
        address.s_addr != wanted_peer.s_addr) {
      continue;
    }
    found = static_cast<int>(fd);
    break;
  }
  closedir(dir);
  return found;
}

bool ClientSocketWatch::PeerClosed() {
  if (!searched_) {
    searched_ = true;
    fd_ = FindSocket();
  }
  if (fd_ < 0) return false;

  // POLLRDHUP: the peer shut down its sending side, which an HTTP client
  // does only when it closes; pipelined next requests show as POLLIN only.
  pollfd watched{fd_, POLLRDHUP, 0};
  if (poll(&watched, 1, 0) != 1) return false;
  return (watched.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace ollama_exporter::proxy
