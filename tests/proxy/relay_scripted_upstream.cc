#include "relay_scripted_upstream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstring>

#include "testing/loopback_port.h"

namespace ollama_exporter::proxy::testing {
namespace {

using std::chrono::milliseconds;

constexpr int kPollMs = 50;
constexpr auto kGateWait = std::chrono::seconds(10);
constexpr auto kMaxHold = std::chrono::seconds(30);

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strcasecmp(a.c_str(), b.c_str()) == 0;
}

bool SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n =
        send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string Chunk(const std::string& data) {
  char size[20];
  std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  return size + data + "\r\n";
}

std::string Gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 31, 8,
               Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// The connection's read side: bytes arrive into `pending`.
class Reader {
 public:
  Reader(int fd, const std::atomic<bool>* stopping)
      : fd_(fd), stopping_(stopping) {}

  // Appends what arrives next; false on EOF, error or stop.
  bool Fill() {
    while (!stopping_->load()) {
      pollfd watched{fd_, POLLIN, 0};
      int ready = poll(&watched, 1, kPollMs);
      if (ready < 0) return false;
      if (ready == 0) continue;
      char buffer[65536];
      ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) return false;
      pending.append(buffer, static_cast<size_t>(n));
      return true;
    }
    return false;
  }

  // Takes the text up to `delimiter` (removed); false on EOF first.
  bool Until(const std::string& delimiter, std::string* text) {
    size_t at;
    while ((at = pending.find(delimiter)) == std::string::npos) {
      if (!Fill()) return false;
    }
    *text = pending.substr(0, at);
    pending.erase(0, at + delimiter.size());
    return true;
  }

  // Feeds `count` bytes to `sink`; false on EOF first.
  template <typename Sink>
  bool Take(uint64_t count, Sink sink) {
    while (count > 0) {
      if (pending.empty() && !Fill()) return false;
      size_t n = static_cast<size_t>(std::min<uint64_t>(count, pending.size()));
      sink(pending.data(), n);
      pending.erase(0, n);
      count -= n;
    }
    return true;
  }

  std::string pending;

 private:
  int fd_;
  const std::atomic<bool>* stopping_;
};

bool ReadRequest(Reader* reader, UpstreamRequest* request) {
  std::string head;
  if (!reader->Until("\r\n\r\n", &head)) return false;
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  size_t first = request_line.find(' ');
  size_t second = request_line.find(' ', first + 1);
  request->method = request_line.substr(0, first);
  request->target = request_line.substr(first + 1, second - first - 1);
  while (line_end != std::string::npos) {
    size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string line = head.substr(start, line_end - start);
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t value = line.find_first_not_of(' ', colon + 1);
    request->headers.emplace_back(
        line.substr(0, colon),
        value == std::string::npos ? "" : line.substr(value));
  }

  uint64_t hash = 1469598103934665603ull;
  auto sink = [&](const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      hash = (hash ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
    }
    size_t keep = std::min(
        n, ScriptedUpstream::kMaxKeptBody -
               std::min(ScriptedUpstream::kMaxKeptBody, request->body.size()));
    request->body.append(data, keep);
    request->body_size += n;
  };
  request->chunked =
      EqualsIgnoreCase(request->Header("Transfer-Encoding"), "chunked");
  if (request->chunked) {
    while (true) {
      std::string size_line;
      if (!reader->Until("\r\n", &size_line)) return false;
      uint64_t size = std::stoull(size_line, nullptr, 16);
      if (size == 0) {
        std::string trailer;
        return reader->Until("\r\n", &trailer) &&
               (request->body_hash = hash, true);
      }
      std::string crlf;
      if (!reader->Take(size, sink) || !reader->Until("\r\n", &crlf)) {
        return false;
      }
    }
  }
  std::string length = request->Header("Content-Length");
  if (!length.empty() && !reader->Take(std::stoull(length), sink)) {
    return false;
  }
  request->body_hash = hash;
  return true;
}

std::string LastSegment(const std::string& target) {
  std::string path = target.substr(0, target.find('?'));
  return path.substr(path.rfind('/') + 1);
}

}  // namespace

std::string UpstreamRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

bool UpstreamRequest::HasHeader(const std::string& name) const {
  for (const auto& header : headers) {
    if (EqualsIgnoreCase(header.first, name)) return true;
  }
  return false;
}

Status ScriptedUpstream::Start(std::unique_ptr<ScriptedUpstream>* upstream) {
  std::unique_ptr<ScriptedUpstream> made(new ScriptedUpstream());
  Status status = ollama_exporter::testing::ListenOnLoopback(
      64, &made->listen_fd_, &made->port_);
  if (!status.ok()) return status.WithContext("scripted upstream");
  made->acceptor_ = std::thread([raw = made.get()] { raw->AcceptLoop(); });
  *upstream = std::move(made);
  return Status::Ok();
}

ScriptedUpstream::~ScriptedUpstream() {
  stopping_.store(true);
  changed_.notify_all();
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard<std::mutex> lock(mu_);
    connections.swap(connections_);
  }
  for (std::thread& connection : connections) connection.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

std::string ScriptedUpstream::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string ScriptedUpstream::StreamLine(int i) {
  return "{\"model\":\"m\",\"response\":\"piece " + std::to_string(i) +
         "\",\"done\":" + (i + 1 == kStreamLines ? "true" : "false") + "}\n";
}

void ScriptedUpstream::Release(int lines) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_ += lines;
  changed_.notify_all();
}

bool ScriptedUpstream::WaitPeerClosed(int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, milliseconds(timeout_ms),
                           [this] { return peers_closed_ > 0; });
}

std::vector<UpstreamRequest> ScriptedUpstream::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

bool ScriptedUpstream::WaitRequests(size_t count, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, milliseconds(timeout_ms),
                           [&] { return requests_.size() >= count; });
}

void ScriptedUpstream::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd watched{listen_fd_, POLLIN, 0};
    if (poll(&watched, 1, kPollMs) != 1) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    accepted_.fetch_add(1);
    std::lock_guard<std::mutex> lock(mu_);
    connections_.emplace_back([this, fd] { Serve(fd); });
  }
}

void ScriptedUpstream::Serve(int fd) {
  Reader reader(fd, &stopping_);
  while (true) {
    UpstreamRequest request;
    if (!ReadRequest(&reader, &request)) break;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      changed_.notify_all();
    }
    if (!Reply(fd, request)) break;
  }
  close(fd);
}

bool ScriptedUpstream::Reply(int fd, const UpstreamRequest& request) {
  const std::string script = LastSegment(request.target);
  auto whole = [fd](const std::string& status, const std::string& headers,
                    const std::string& body) {
    return SendAll(fd, "HTTP/1.1 " + status + "\r\n" + headers +
                           "Content-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n" + body);
  };
  const std::string chunked_head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";

  if (script == "echo") {
    return whole("200 OK", "Content-Type: application/octet-stream\r\n",
                 request.body);
  }
  if (script == "length") {
    return whole("200 OK",
                 "Content-Type: text/plain; charset=utf-8\r\n"
                 "X-Upstream: yes\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                 "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n",
                 "hello length\n");
  }
  if (script == "gzip") {
    return whole("200 OK",
                 "Content-Type: application/json\r\n"
                 "Content-Encoding: gzip\r\n",
                 Gzip("{\"compressed\":true}"));
  }
  if (script == "nocontent") {
    return SendAll(fd, "HTTP/1.1 204 No Content\r\n\r\n");
  }
  if (script.rfind("status-", 0) == 0) {
    std::string code = script.substr(7);
    return whole(code + " Scripted",
                 "Content-Type: application/json; charset=utf-8\r\n",
                 "{\"error\":\"scripted " + code + "\"}");
  }
  if (script == "stream") {
    if (!SendAll(fd, chunked_head + Chunk(StreamLine(0)))) return false;
    for (int i = 1; i < kStreamLines; ++i) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (changed_.wait_for(lock, kGateWait, [&] {
              return tokens_ > 0 || stopping_.load();
            })) {
          if (tokens_ > 0) --tokens_;
        } else {
          gate_timeouts_.fetch_add(1);
        }
      }
      if (!SendAll(fd, Chunk(StreamLine(i)))) return false;
    }
    return SendAll(fd, "0\r\n\r\n");
  }
  if (script == "cut") {
    SendAll(fd, chunked_head + Chunk(StreamLine(0)));
    return false;
  }
  if (script == "drip" || script == "hang") {
    if (script == "drip" && !SendAll(fd, chunked_head)) return false;
    AwaitPeerClose(fd, script == "drip");
    return false;
  }
  return false;  // "close" and anything unknown: close without a reply.
}

void ScriptedUpstream::AwaitPeerClose(int fd, bool drip) {
  const auto deadline = std::chrono::steady_clock::now() + kMaxHold;
  int line = 0;
  while (!stopping_.load() && std::chrono::steady_clock::now() < deadline) {
    if (drip && !SendAll(fd, Chunk(StreamLine(line++ % kStreamLines)))) break;
    pollfd watched{fd, POLLRDHUP, 0};
    if (poll(&watched, 1, 20) == 1 &&
        (watched.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
      break;
    }
  }
  if (stopping_.load() || std::chrono::steady_clock::now() >= deadline) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++peers_closed_;
  changed_.notify_all();
}

}  // namespace ollama_exporter::proxy::testing
