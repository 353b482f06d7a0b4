#include "fake_ollama.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "civetweb.h"
#include <nlohmann/json.hpp>

#include "http_wire.h"

namespace ollama_exporter::integration {
namespace {

constexpr const char* kJsonType = Behaviour::kJsonType;
constexpr const char* kTextType = Behaviour::kTextType;

// Starts like a PNG, then breaks off inside a JSON string: no JSON parser
// can take it, and it holds a NUL and invalid UTF-8.
constexpr char kGarbageBytes[] =
    "\x89PNG\r\n\x1a\n\0\xff\xfe{\"models\":[{\"name\":\"trunc";
constexpr std::string_view kGarbage(kGarbageBytes, sizeof(kGarbageBytes) - 1);

size_t Index(Endpoint endpoint) { return static_cast<size_t>(endpoint); }

// Connects to 127.0.0.1:port and hangs up at once.
void Poke(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Ignored on purpose: a refused connection means it stopped listening.
  (void)connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  close(fd);
}

// CivetWeb logs closed-by-peer writes to stderr; they are expected here.
int SilenceLog(const mg_connection*, const char*) { return 1; }

}  // namespace

Status FakeOllama::Start(std::unique_ptr<FakeOllama>* fake) {
  return Start(FakeOllamaOptions(), fake);
}

Status FakeOllama::Start(const FakeOllamaOptions& options,
                         std::unique_ptr<FakeOllama>* fake) {
  std::unique_ptr<FakeOllama> made(new FakeOllama(options));
  Status status = made->Listen("127.0.0.1:" + std::to_string(options.port));
  if (!status.ok()) return status;
  *fake = std::move(made);
  return Status::Ok();
}

FakeOllama::~FakeOllama() { Down(); }

std::string FakeOllama::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeOllama::SetVersion(std::string version) {
  std::lock_guard<std::mutex> lock(mu_);
  version_ = std::move(version);
}

void FakeOllama::SetTagsJson(std::string json) {
  std::lock_guard<std::mutex> lock(mu_);
  tags_json_ = std::move(json);
}

void FakeOllama::SetPsJson(std::string json) {
  std::lock_guard<std::mutex> lock(mu_);
  ps_json_ = std::move(json);
}

void FakeOllama::SetBehaviour(Endpoint endpoint, Behaviour behaviour) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    behaviour_[Index(endpoint)] = std::move(behaviour);
    ++generation_[Index(endpoint)];
  }
  changed_.notify_all();
}

void FakeOllama::Down() {
  if (ctx_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  request_ended_.notify_all();

  // mg_stop waits for the workers, which the flag has just let go, and
  // for the listening thread, which checks for a stop only between polls
  // of up to 2 s; connections wake it at once.
  std::atomic<bool> stopped{false};
  std::thread waker([this, &stopped] {
    while (!stopped.load()) {
      Poke(port_);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  mg_stop(ctx_);
  stopped = true;
  waker.join();
  ctx_ = nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = false;
}

Status FakeOllama::Up() {
  if (ctx_ != nullptr) return Status::Ok();
  return Listen("127.0.0.1:" + std::to_string(port_));
}

int FakeOllama::RequestCount(std::string_view path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = counts_.find(path);
  return it == counts_.end() ? 0 : it->second;
}

int FakeOllama::HeldRequests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_;
}

Status FakeOllama::Listen(const std::string& ports) {
  static std::once_flag library_once;
  std::call_once(library_once, [] { mg_init_library(0); });

  // Enough workers for every request a test can leave hanging (one per
  // poll), since a held request keeps its worker, and for a benchmark's
  // 64 concurrent streams besides.
  const char* keep_alive = options_.keep_alive ? "yes" : "no";
  const char* options[] = {"listening_ports",
                           ports.c_str(),
                           "num_threads",
                           "160",
                           "enable_keep_alive",
                           keep_alive,
                           "tcp_nodelay",
                           "1",
                           nullptr};
  mg_callbacks callbacks{};
  callbacks.log_message = &SilenceLog;
  mg_init_data init{&callbacks, this, options};
  unsigned error_code = 0;
  char error_text[256] = "";
  mg_error_data error{&error_code, error_text, sizeof(error_text)};
  mg_context* ctx = mg_start2(&init, &error);
  if (ctx == nullptr) {
    return Status::Unavailable("fake ollama cannot listen on " + ports + ": " +
                               error_text);
  }
  mg_set_request_handler(ctx, "/", &FakeOllama::HandleRequest, this);

  mg_server_port bound[4];
  if (mg_get_server_ports(ctx, 4, bound) < 1) {
    mg_stop(ctx);
    return Status::Unavailable("fake ollama has no port after " + ports);
  }
  port_ = bound[0].port;
  ctx_ = ctx;
  return Status::Ok();
}

int FakeOllama::HandleRequest(mg_connection* conn, void* self) {
  static_cast<FakeOllama*>(self)->Serve(conn);
  // Handled: CivetWeb adds nothing, and closes the connection.
  return 1;
}

void FakeOllama::Serve(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  const std::string path = info->local_uri ? info->local_uri : "";
  const std::string_view method =
      info->request_method ? info->request_method : "";
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[path];
  }
  const bool get = method == "GET";
  const bool head = method == "HEAD";

  if (path.compare(0, 6, "/fake/") == 0) {
    ServeControl(conn, path, method);
    return;
  }
  if (std::optional<InferenceRoute> route = InferenceRouteOf(path)) {
    if (method == "POST") {
      ServeInference(conn, *route, path);
    } else {
      WriteReply(conn, 405, kTextType, "405 method not allowed", false);
    }
    return;
  }

  Endpoint endpoint;
  if (path == "/") {
    if (get || head) {
      WriteReply(conn, 200, kTextType, "Ollama is running", head);
    } else {
      WriteReply(conn, 405, kTextType, "405 method not allowed", false);
    }
    return;
  } else if (path == "/api/version") {
    endpoint = Endpoint::kVersion;
  } else if (path == "/api/tags") {
    endpoint = Endpoint::kTags;
  } else if (path == "/api/ps") {
    endpoint = Endpoint::kPs;
  } else {
    WriteReply(conn, 404, kTextType, "404 page not found", false);
    return;
  }

  // HEAD is registered for every endpoint but /api/ps.
  if (!get && !(head && endpoint != Endpoint::kPs)) {
    WriteReply(conn, 405, kTextType, "405 method not allowed", false);
    return;
  }
  ServeEndpoint(conn, endpoint, head);
}

void FakeOllama::ServeEndpoint(mg_connection* conn, Endpoint endpoint,
                               bool head) {
  std::unique_lock<std::mutex> lock(mu_);
  const Behaviour behaviour = behaviour_[Index(endpoint)];
  switch (behaviour.kind) {
    case Behaviour::Kind::kNormal:
      break;
    case Behaviour::Kind::kHttpStatus:
      lock.unlock();
      WriteReply(conn, behaviour.status, behaviour.content_type, behaviour.body,
                 head);
      return;
    case Behaviour::Kind::kGarbage:
      lock.unlock();
      WriteReply(conn, 200, kJsonType, kGarbage, head);
      return;
    case Behaviour::Kind::kHang:
      if (Hold(&lock, endpoint, kMaxHangMs) != HoldResult::kReleased) return;
      break;
    case Behaviour::Kind::kSlow:
      if (Hold(&lock, endpoint, behaviour.delay_ms) == HoldResult::kStopping) {
        return;
      }
      break;
    case Behaviour::Kind::kClose:
      return;
  }

  std::string body;
  switch (endpoint) {
    case Endpoint::kVersion:
      // Replaces invalid UTF-8 instead of throwing in a CivetWeb thread.
      body = nlohmann::json{{"version", version_}}.dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace);
      break;
    case Endpoint::kTags:
      body = tags_json_;
      break;
    case Endpoint::kPs:
      body = ps_json_;
      break;
  }
  lock.unlock();
  WriteReply(conn, 200, kJsonType, body, head);
}

void FakeOllama::WriteReply(mg_connection* conn, int status,
                            std::string_view type, std::string_view body,
                            bool head_only) const {
  std::string reply =
      "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) +
      "\r\nContent-Type: " + std::string(type) + "\r\nDate: " + HttpDate() +
      "\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: " + (options_.keep_alive ? "keep-alive" : "close") +
      "\r\n\r\n";
  if (!head_only) reply.append(body);
  // Ignored on purpose: a client that timed out is gone, which is fine.
  (void)mg_write(conn, reply.data(), reply.size());
}

FakeOllama::HoldResult FakeOllama::Hold(std::unique_lock<std::mutex>* lock,
                                        Endpoint endpoint, int wait_ms) {
  const uint64_t generation = generation_[Index(endpoint)];
  ++held_;
  const bool woken = changed_.wait_for(
      *lock, std::chrono::milliseconds(wait_ms),
      [&] { return stopping_ || generation_[Index(endpoint)] != generation; });
  --held_;
  if (stopping_) return HoldResult::kStopping;
  return woken ? HoldResult::kReleased : HoldResult::kTimedOut;
}

}  // namespace ollama_exporter::integration
