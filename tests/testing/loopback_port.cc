#include "testing/loopback_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ollama_exporter::testing {
namespace {

// A socket bound to 127.0.0.1 at a port the kernel picks, listening when
// backlog >= 0.
Status BindLoopback(int backlog, int* fd, int* port) {
  const int socket_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (socket_fd < 0) {
    return Status::Unavailable(std::string("socket: ") + std::strerror(errno));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  const bool ready =
      bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ==
          0 &&
      (backlog < 0 || listen(socket_fd, backlog) == 0) &&
      getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  if (!ready) {
    const int error = errno;
    close(socket_fd);
    return Status::Unavailable("cannot bind 127.0.0.1:0: " +
                               std::string(std::strerror(error)));
  }
  *fd = socket_fd;
  *port = ntohs(address.sin_port);
  return Status::Ok();
}

}  // namespace

Status ListenOnLoopback(int backlog, int* fd, int* port) {
  return BindLoopback(backlog < 0 ? 0 : backlog, fd, port);
}

Status PickFreeLoopbackPort(int* port) {
  int fd = -1;
  Status status = BindLoopback(-1, &fd, port);
  if (status.ok()) close(fd);
  return status;
}

}  // namespace ollama_exporter::testing
