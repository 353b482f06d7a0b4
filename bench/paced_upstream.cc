#include "paced_upstream.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "testing/loopback_port.h"

namespace ollama_exporter::bench {
namespace {

constexpr char kReplyHead[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/x-ndjson\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n";
constexpr char kDoneLine[] =
    "{\"model\":\"bench\",\"response\":\"\",\"done\":true,"
    "\"done_reason\":\"stop\",\"prompt_eval_count\":1,\"eval_count\":1,"
    "\"eval_duration\":1000000}\n";

// Waits up to 100 ms for `fd` to be readable, so that loops see a stop.
bool Readable(int fd) {
  pollfd waiting = {fd, POLLIN, 0};
  return poll(&waiting, 1, 100) > 0;
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

// One HTTP chunk holding `line`, in one send so that it leaves at once.
bool SendChunk(int fd, std::string_view line) {
  char size[16];
  std::snprintf(size, sizeof(size), "%zx\r\n", line.size());
  std::string frame = size;
  frame.append(line.data(), line.size());
  frame += "\r\n";
  return SendAll(fd, frame);
}

// The Content-Length of a request head, 0 when it has none.
size_t ContentLength(const std::string& head) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  const size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::strtoul(lower.c_str() + at + 17, nullptr, 10);
}

}  // namespace

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t SentNanos(std::string_view line) {
  constexpr std::string_view kKey = "\"response\":\"";
  const size_t at = line.find(kKey);
  if (at == std::string_view::npos) return -1;
  const std::string digits(line.substr(at + kKey.size(), 20));
  char* end = nullptr;
  const long long sent = std::strtoll(digits.c_str(), &end, 10);
  return end == digits.c_str() ? -1 : sent;
}

Status PacedUpstream::Start(int chunks, int delay_us,
                            std::unique_ptr<PacedUpstream>* upstream) {
  int fd = -1;
  int port = 0;
  Status status = testing::ListenOnLoopback(128, &fd, &port);
  if (!status.ok()) return status.WithContext("paced upstream");
  upstream->reset(new PacedUpstream(fd, port, chunks, delay_us));
  return Status::Ok();
}

PacedUpstream::PacedUpstream(int listen_fd, int port, int chunks, int delay_us)
    : listen_fd_(listen_fd),
      port_(port),
      chunks_(chunks),
      delay_us_(delay_us),
      acceptor_([this] { Accept(); }) {}

PacedUpstream::~PacedUpstream() {
  stopping_ = true;
  acceptor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (int fd : connection_fds_) shutdown(fd, SHUT_RDWR);
  for (std::thread& connection : connections_) connection.join();
  for (int fd : connection_fds_) close(fd);
  close(listen_fd_);
}

std::string PacedUpstream::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void PacedUpstream::Accept() {
  while (!stopping_) {
    if (!Readable(listen_fd_)) continue;
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    std::lock_guard<std::mutex> lock(mu_);
    connection_fds_.push_back(fd);
    connections_.emplace_back([this, fd] { Serve(fd); });
  }
}

void PacedUpstream::Serve(int fd) {
  std::string received;
  char buffer[16384];
  while (!stopping_) {
    // Read one request: its head, then Content-Length bytes of body.
    const size_t head_end = received.find("\r\n\r\n");
    const bool complete =
        head_end != std::string::npos &&
        received.size() >=
            head_end + 4 + ContentLength(received.substr(0, head_end + 2));
    if (!complete) {
      if (!Readable(fd)) continue;
      const ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
      if (got <= 0) return;
      received.append(buffer, static_cast<size_t>(got));
      continue;
    }
    received.erase(
        0, head_end + 4 + ContentLength(received.substr(0, head_end + 2)));

    // The lines leave on a fixed schedule from the head on, stamped with
    // the time they are written.
    if (!SendAll(fd, kReplyHead)) return;
    auto next = std::chrono::steady_clock::now();
    for (int i = 0; i < chunks_ && !stopping_; ++i) {
      next += std::chrono::microseconds(delay_us_);
      std::this_thread::sleep_until(next);
      const std::string line = "{\"model\":\"bench\",\"response\":\"" +
                               std::to_string(SteadyNanos()) +
                               "\",\"done\":false}\n";
      if (!SendChunk(fd, line)) return;
    }
    if (!SendChunk(fd, kDoneLine) || !SendAll(fd, "0\r\n\r\n")) return;
  }
}

}  // namespace ollama_exporter::bench
