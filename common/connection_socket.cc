#include "common/connection_socket.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdlib>

namespace ollama_exporter {
namespace {

// The IPv4 address and port of a socket name, or false for other kinds.
bool Ipv4Name(const sockaddr_storage& name, in_addr* address, int* port) {
  if (name.ss_family != AF_INET) return false;
  const auto* ipv4 = reinterpret_cast<const sockaddr_in*>(&name);
  *address = ipv4->sin_addr;
  *port = ntohs(ipv4->sin_port);
  return true;
}

bool HasEnds(int fd, int local_port, in_addr peer_address, int peer_port) {
  sockaddr_storage name{};
  socklen_t length = sizeof(name);
  in_addr address{};
  int port = 0;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&name), &length) != 0 ||
      !Ipv4Name(name, &address, &port) || port != local_port) {
    return false;
  }
  length = sizeof(name);
  return getpeername(fd, reinterpret_cast<sockaddr*>(&name), &length) == 0 &&
         Ipv4Name(name, &address, &port) && port == peer_port &&
         address.s_addr == peer_address.s_addr;
}

}  // namespace

int FindConnectionSocket(int local_port, const std::string& peer_address,
                         int peer_port) {
  in_addr wanted_peer{};
  if (inet_pton(AF_INET, peer_address.c_str(), &wanted_peer) != 1) return -1;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    if (HasEnds(static_cast<int>(fd), local_port, wanted_peer, peer_port)) {
      found = static_cast<int>(fd);
      break;
    }
  }
  closedir(dir);
  return found;
}

bool PeerHasClosed(int fd) {
  if (fd < 0) return false;
  pollfd watched{fd, POLLRDHUP, 0};
  if (poll(&watched, 1, 0) != 1) return false;
  return (watched.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace ollama_exporter
