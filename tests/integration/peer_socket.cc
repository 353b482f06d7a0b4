#include "peer_socket.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>

namespace ollama_exporter::integration {
namespace {

int PortOf(const sockaddr_in& address) { return ntohs(address.sin_port); }

bool Matches(int fd, int local_port, int remote_port) {
  struct stat info;
  if (fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) return false;
  sockaddr_in local{}, remote{};
  socklen_t local_size = sizeof(local), remote_size = sizeof(remote);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
      getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &remote_size) !=
          0) {
    return false;
  }
  return local.sin_family == AF_INET && PortOf(local) == local_port &&
         PortOf(remote) == remote_port;
}

}  // namespace

PeerSocket::PeerSocket(int local_port, int remote_port) {
  // CivetWeb keeps the descriptor private; the process's table has it.
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    if (Matches(static_cast<int>(fd), local_port, remote_port)) {
      fd_ = static_cast<int>(fd);
      break;
    }
  }
  closedir(dir);
}

bool PeerSocket::PeerClosed() const {
  if (fd_ < 0) return false;
  pollfd entry{fd_, POLLRDHUP, 0};
  if (poll(&entry, 1, 0) != 1) return false;
  return (entry.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

void PeerSocket::Cut() const {
  if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
}

}  // namespace ollama_exporter::integration
