// FakeOllama's inference routes and control endpoints.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "civetweb.h"
#include <nlohmann/json.hpp>

#include "fake_ollama.h"
#include "http_wire.h"
#include "inference_payloads.h"
#include "peer_socket.h"

namespace ollama_exporter::integration {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr char kJsonType[] = "application/json; charset=utf-8";
constexpr size_t kMaxBodyBytes = 64 << 20;
constexpr int kMaxControlWaitMs = 60000;

// How often a pause looks whether the client hung up.
constexpr std::chrono::milliseconds kPeerPollPeriod(20);

std::string ReadBody(mg_connection* conn) {
  std::string body;
  char buffer[16384];
  int read = 0;
  while (body.size() < kMaxBodyBytes &&
         (read = mg_read(conn, buffer, sizeof(buffer))) > 0) {
    body.append(buffer, static_cast<size_t>(read));
  }
  return body;
}

std::string ErrorJson(const std::string& message) {
  return nlohmann::json{{"error", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A query variable, "" when absent.
std::string QueryVar(const mg_request_info* info, const char* name) {
  if (info->query_string == nullptr) return "";
  char value[64];
  const std::string_view query(info->query_string);
  const int size =
      mg_get_var(query.data(), query.size(), name, value, sizeof(value));
  return size >= 0 ? std::string(value, static_cast<size_t>(size)) : "";
}

// A whole number in [0, max] from `text`, or -1.
long ParseCount(const std::string& text, long max) {
  if (text.empty()) return -1;
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || value < 0 || value > max) return -1;
  return value;
}

}  // namespace

// One inference request from its body to its last byte, on the worker
// thread CivetWeb gave it.
class FakeOllama::InferenceExchange {
 public:
  InferenceExchange(FakeOllama* fake, mg_connection* conn)
      : fake_(fake),
        conn_(conn),
        peer_(fake->port_, mg_get_request_info(conn)->remote_addr,
              mg_get_request_info(conn)->remote_port) {}

  void Run(InferenceRoute route, const std::string& path) {
    Receive(route, path);
    const auto start = SteadyClock::now();
    Respond();
    record_.seconds =
        std::chrono::duration<double>(SteadyClock::now() - start).count();
    {
      std::lock_guard<std::mutex> lock(fake_->mu_);
      --fake_->inference_in_flight_;
      // Kept in arrival order: a client may send its next request before
      // the handler of its last one gets here.
      std::vector<ServedRequest>& served = fake_->served_;
      const auto later =
          std::upper_bound(served.begin(), served.end(), record_.sequence,
                           [](int sequence, const ServedRequest& other) {
                             return sequence < other.sequence;
                           });
      served.insert(later, std::move(record_));
    }
    fake_->request_ended_.notify_all();
  }

 private:
  enum class PauseEnd { kElapsed, kReleased, kStopping, kClientGone };

  // Reads the request, takes a script and plans the reply.
  void Receive(InferenceRoute route, const std::string& path) {
    const mg_request_info* info = mg_get_request_info(conn_);
    record_.path = path;
    for (int i = 0; i < info->num_headers; ++i) {
      record_.request_headers.emplace_back(info->http_headers[i].name,
                                           info->http_headers[i].value);
    }
    record_.request_body = ReadBody(conn_);
    InferenceRequest request;
    request.route = route;
    const Status body_status =
        ParseInferenceRequest(route, record_.request_body, &request);
    record_.model = request.model;
    record_.streamed = request.streamed;
    record_.include_usage = request.include_usage;

    PlanContext context;
    {
      std::lock_guard<std::mutex> lock(fake_->mu_);
      if (fake_->queued_scripts_.empty()) {
        script_ = fake_->script_;
      } else {
        script_ = std::move(fake_->queued_scripts_.front());
        fake_->queued_scripts_.erase(fake_->queued_scripts_.begin());
      }
      context.sequence = ++fake_->inference_sequence_;
      context.model_installed =
          ModelInstalled(fake_->tags_json_, request.model);
      release_epoch_ = fake_->release_epoch_;
      ++fake_->inference_in_flight_;
    }
    record_.sequence = context.sequence;
    context.first_write =
        std::chrono::system_clock::now() +
        std::chrono::milliseconds(script_.first_byte_delay_ms);
    plan_ = PlanInferenceReply(body_status, request, script_, context);
  }

  void Respond() {
    if (!Continue(Pause(script_.first_byte_delay_ms, false))) return;
    if (script_.hang_before_first_byte) {
      const PauseEnd end = Pause(script_.hold_timeout_ms, true);
      if (end == PauseEnd::kElapsed) {
        // Never released: no answer at all, as a stuck load looks.
        record_.hold_timed_out = true;
        Cut();
        return;
      }
      if (!Continue(end)) return;
    }
    if (!Continue(Pause(plan_.generation_delay_ms, false))) return;
    const size_t count = plan_.writes.size();
    if (plan_.status == 0 || count == 0) {
      Cut();
      return;
    }

    for (size_t i = 0; i < count; ++i) {
      if (i > 0 && !Continue(Pause(script_.chunk_delay_ms, false))) return;
      if (i + 1 == count && script_.hold_last_chunk) {
        const PauseEnd end = Pause(script_.hold_timeout_ms, true);
        record_.hold_timed_out = end == PauseEnd::kElapsed;
        if (!Continue(end)) return;
      }
      if (!Send(i)) return;
    }
    if (plan_.cut) {
      Cut();
      return;
    }
    if (plan_.streamed && !WriteBytes("0\r\n\r\n")) return;
    record_.stream_error = plan_.stream_error;
  }

  // True when the reply goes on after a pause that ended so.
  bool Continue(PauseEnd end) {
    if (end == PauseEnd::kClientGone) record_.client_went_away = true;
    // Going down: the connection is dropped mid-reply.
    if (end == PauseEnd::kStopping) record_.cut = true;
    return end == PauseEnd::kElapsed || end == PauseEnd::kReleased;
  }

  // Waits `wait_ms`; a hold also ends at a Release() newer than the last
  // one this request passed. Either ends early when the client hangs up
  // or the fake stops.
  PauseEnd Pause(int wait_ms, bool hold) {
    std::unique_lock<std::mutex> lock(fake_->mu_);
    const auto deadline =
        SteadyClock::now() + std::chrono::milliseconds(wait_ms);
    if (hold) ++fake_->held_;
    PauseEnd end = PauseEnd::kElapsed;
    while (true) {
      if (fake_->stopping_) {
        end = PauseEnd::kStopping;
        break;
      }
      if (hold && fake_->release_epoch_ > release_epoch_) {
        release_epoch_ = fake_->release_epoch_;
        end = PauseEnd::kReleased;
        break;
      }
      if (peer_.PeerClosed()) {
        end = PauseEnd::kClientGone;
        break;
      }
      const auto now = SteadyClock::now();
      if (now >= deadline) break;
      fake_->changed_.wait_for(lock, std::min<SteadyClock::duration>(
                                         deadline - now, kPeerPollPeriod));
    }
    if (hold) --fake_->held_;
    return end;
  }

  std::string Head() const {
    std::string head = "HTTP/1.1 " + std::to_string(plan_.status) + " " +
                       ReasonPhrase(plan_.status) +
                       "\r\nContent-Type: " + plan_.content_type +
                       "\r\nDate: " + HttpDate();
    head += plan_.streamed ? "\r\nTransfer-Encoding: chunked"
                           : "\r\nContent-Length: " +
                                 std::to_string(plan_.writes[0].bytes.size());
    if (!fake_->options_.keep_alive) head += "\r\nConnection: close";
    return head + "\r\n\r\n";
  }

  // Sends write `index` (after the head when it is the first), framed as
  // one HTTP chunk when streamed. False when the client is gone.
  bool Send(size_t index) {
    const ReplyWrite& write = plan_.writes[index];
    std::string bytes = index == 0 ? Head() : "";
    if (plan_.streamed) {
      char size[24];
      std::snprintf(size, sizeof(size), "%zx\r\n", write.bytes.size());
      bytes += size + write.bytes + "\r\n";
    } else {
      bytes += write.bytes;
    }
    if (!WriteBytes(bytes)) return false;
    if (index == 0) {
      record_.status = plan_.status;
      record_.content_type = plan_.content_type;
    }
    ++record_.writes_sent;
    if (write.content) ++record_.content_chunks_sent;
    if (write.stats) {
      record_.stats_sent = *write.stats;
      record_.final_sent = true;
    }
    record_.body_sent += write.bytes;
    return true;
  }

  bool WriteBytes(const std::string& bytes) {
    if (mg_write(conn_, bytes.data(), bytes.size()) ==
        static_cast<int>(bytes.size())) {
      return true;
    }
    record_.client_went_away = true;
    return false;
  }

  void Cut() {
    record_.cut = true;
    peer_.Cut();
  }

  FakeOllama* const fake_;
  mg_connection* const conn_;
  const PeerSocket peer_;
  InferenceScript script_;
  ReplyPlan plan_;
  uint64_t release_epoch_ = 0;  // The last release this request saw.
  ServedRequest record_;
};

void FakeOllama::ServeInference(mg_connection* conn, InferenceRoute route,
                                const std::string& path) {
  InferenceExchange exchange(this, conn);
  exchange.Run(route, path);
}

void FakeOllama::ServeControl(mg_connection* conn, const std::string& path,
                              std::string_view method) {
  const mg_request_info* info = mg_get_request_info(conn);
  const bool post = method == "POST";
  if (path == "/fake/script" && post) {
    InferenceScript script;
    const Status status = ParseInferenceScript(ReadBody(conn), &script);
    if (!status.ok()) {
      WriteReply(conn, 400, kJsonType, ErrorJson(status.message()), false);
      return;
    }
    const std::string json = InferenceScriptJson(script);
    if (QueryVar(info, "once") == "1") {
      QueueInferenceScript(std::move(script));
    } else {
      SetInferenceScript(std::move(script));
    }
    WriteReply(conn, 200, kJsonType, json, false);
  } else if (path == "/fake/release" && post) {
    Release();
    WriteReply(conn, 200, kJsonType, R"({"released":true})", false);
  } else if (path == "/fake/reset" && post) {
    ResetInference();
    WriteReply(conn, 200, kJsonType, R"({"reset":true})", false);
  } else if (path == "/fake/served" && method == "GET") {
    WriteReply(conn, 200, kJsonType, ServedRequestsJson(served()), false);
  } else if (path == "/fake/wait" && method == "GET") {
    const long count = ParseCount(QueryVar(info, "count"), 1000000);
    const long timeout_ms =
        ParseCount(QueryVar(info, "timeout_ms"), kMaxControlWaitMs);
    if (count < 0 || timeout_ms < 0) {
      WriteReply(conn, 400, kJsonType,
                 ErrorJson("want count=N&timeout_ms=T, T at most 60000"),
                 false);
      return;
    }
    const Status status = WaitForRequests(static_cast<size_t>(count),
                                          static_cast<int>(timeout_ms));
    if (status.ok()) {
      WriteReply(conn, 200, kJsonType, ServedRequestsJson(served()), false);
    } else {
      WriteReply(conn, 504, kJsonType, ErrorJson(status.message()), false);
    }
  } else {
    WriteReply(
        conn, 404, kJsonType,
        ErrorJson("no control endpoint " + std::string(method) + " " + path),
        false);
  }
}

void FakeOllama::SetInferenceScript(InferenceScript script) {
  std::lock_guard<std::mutex> lock(mu_);
  script_ = std::move(script);
}

void FakeOllama::QueueInferenceScript(InferenceScript script) {
  std::lock_guard<std::mutex> lock(mu_);
  queued_scripts_.push_back(std::move(script));
}

void FakeOllama::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++release_epoch_;
  }
  changed_.notify_all();
}

std::vector<ServedRequest> FakeOllama::served() const {
  std::lock_guard<std::mutex> lock(mu_);
  return served_;
}

Status FakeOllama::WaitForRequests(size_t count, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mu_);
  request_ended_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                          [&] { return served_.size() >= count || stopping_; });
  if (served_.size() >= count) return Status::Ok();
  if (stopping_) return Status::Unavailable("fake ollama is stopping");
  return Status::DeadlineExceeded(
      std::to_string(served_.size()) + " of " + std::to_string(count) +
      " inference requests ended within " + std::to_string(timeout_ms) + " ms");
}

int FakeOllama::InferenceInFlight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return inference_in_flight_;
}

void FakeOllama::ResetInference() {
  std::lock_guard<std::mutex> lock(mu_);
  served_.clear();
  queued_scripts_.clear();
  script_ = InferenceScript();
}

}  // namespace ollama_exporter::integration
