#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

#include "inference_request.h"
#include "inference_script.h"
#include "served_request.h"

struct mg_connection;
struct mg_context;

namespace ollama_exporter::integration {

// The endpoints the exporter polls.
enum class Endpoint { kVersion, kTags, kPs };

// How an endpoint answers from now on.
struct Behaviour {
  enum class Kind {
    kNormal,      // 200 with the endpoint's current JSON.
    kHttpStatus,  // `status` with `body` of `content_type`.
    kGarbage,     // 200, JSON content type, a body that is not JSON.
    kHang,        // Holds the request: see FakeOllama::SetBehaviour.
    kSlow,        // Waits `delay_ms`, then answers as kNormal.
    kClose,       // Closes the connection without sending a byte.
  };

  static constexpr char kJsonType[] = "application/json; charset=utf-8";
  static constexpr char kTextType[] = "text/plain; charset=utf-8";

  static Behaviour Normal() { return Of(Kind::kNormal); }

  // Ollama's own errors are JSON ({"error":"..."}), its router's text.
  static Behaviour HttpStatus(int status, std::string body,
                              std::string content_type = kJsonType) {
    Behaviour behaviour = Of(Kind::kHttpStatus);
    behaviour.status = status;
    behaviour.body = std::move(body);
    behaviour.content_type = std::move(content_type);
    return behaviour;
  }

  static Behaviour Garbage() { return Of(Kind::kGarbage); }

  static Behaviour Hang() { return Of(Kind::kHang); }

  static Behaviour Slow(int delay_ms) {
    Behaviour behaviour = Of(Kind::kSlow);
    behaviour.delay_ms = delay_ms;
    return behaviour;
  }

  static Behaviour Close() { return Of(Kind::kClose); }

  static Behaviour Of(Kind kind) {
    Behaviour behaviour;
    behaviour.kind = kind;
    return behaviour;
  }

  Kind kind = Kind::kNormal;
  int status = 0;            // kHttpStatus
  std::string body;          // kHttpStatus
  std::string content_type;  // kHttpStatus
  int delay_ms = 0;          // kSlow
};

// How a FakeOllama serves; the defaults are what the end-to-end tests use.
struct FakeOllamaOptions {
  // Keeps connections open between requests (HTTP/1.1 keep-alive).
  bool keep_alive = false;
  // The port on 127.0.0.1; 0 picks a free one.
  int port = 0;
};

// An in-process Ollama on 127.0.0.1 (CivetWeb), answering like Ollama
// (shared/reference/ollama-api.md sections 0-3 and 5-7):
//   GET|HEAD /             200 text/plain "Ollama is running"
//   GET|HEAD /api/version  {"version":"..."}
//   GET|HEAD /api/tags     the tags JSON as set
//   GET      /api/ps       the ps JSON as set
//   POST     /api/generate, /api/chat, /api/embed, /api/embeddings,
//            /v1/chat/completions, /v1/completions, /v1/embeddings,
//            /v1/responses, /v1/messages
//            as PlanInferenceReply (inference_payloads.h) says, for the
//            models in the tags JSON, timed by the inference script:
//            application/x-ndjson for native streams, text/event-stream
//            for SSE, chunked, one HTTP chunk per write.
// with `Content-Type: application/json; charset=utf-8`; any other path is
// 404 `404 page not found`, a known path with another method 405
// `405 method not allowed` (both text/plain). By default every reply
// closes the connection, so a kClose answer is seen as an empty reply;
// with FakeOllamaOptions::keep_alive replies keep it open, as Ollama's own
// server does, and a kClose answer leaves the client waiting for its
// timeout.
//
// Control endpoints, for clients in other processes (each answers JSON;
// a bad request gets 400 {"error":"..."}):
//   POST /fake/script        body: a script (ParseInferenceScript) for
//                            every request from now on;
//   POST /fake/script?once=1 the same, for the next request only;
//   POST /fake/release       Release();
//   GET  /fake/served        ServedRequestsJson(served());
//   GET  /fake/wait?count=N&timeout_ms=T
//                            200 with the served JSON once N requests
//                            ended, 504 {"error":...} after T ms (max 60 s);
//   POST /fake/reset         ResetInference().
//
// Thread safety: the setters and getters from any thread, also while
// requests are in flight; a setter affects requests that arrive after it.
// Down(), Up() and destruction from one thread, never concurrently.
class FakeOllama {
 public:
  static constexpr int kMaxHangMs = 30000;

  // Listens on 127.0.0.1 with a free port (or options.port).
  // kUnavailable when CivetWeb cannot start.
  static Status Start(std::unique_ptr<FakeOllama>* fake);
  [[nodiscard]] static Status Start(const FakeOllamaOptions& options,
                                    std::unique_ptr<FakeOllama>* fake);

  // Releases held requests (they get no answer) and stops within about a
  // second even when requests hang.
  ~FakeOllama();
  FakeOllama(const FakeOllama&) = delete;
  FakeOllama& operator=(const FakeOllama&) = delete;

  int port() const { return port_; }

  // "http://127.0.0.1:<port>", the value for --ollama.url.
  std::string url() const;

  // The defaults are "0.32.15" and {"models":[]} for tags and ps.
  void SetVersion(std::string version);
  void SetTagsJson(std::string json);
  void SetPsJson(std::string json);

  // Changes how `endpoint` answers. Requests already held by kHang on that
  // endpoint are released and answered as kNormal; a held request that
  // is never released gets no answer after kMaxHangMs.
  void SetBehaviour(Endpoint endpoint, Behaviour behaviour);

  // Stops listening, so connections are refused; held requests are
  // dropped without an answer. No-op when already down.
  void Down();

  // Listens again on the same port. kUnavailable if the port was taken
  // meanwhile. No-op when already up.
  Status Up();

  // Requests seen for `path` (without query), any method, since Start().
  int RequestCount(std::string_view path) const;

  // Requests currently held by kHang or kSlow, or held by an inference
  // script (hang_before_first_byte, hold_last_chunk).
  int HeldRequests() const;

  // The script of every inference request from now on, except those
  // that find a queued script.
  void SetInferenceScript(InferenceScript script);

  // The script of the next inference request only; queued scripts are
  // used first, in order.
  void QueueInferenceScript(InferenceScript script);

  // Lets every inference request received before this call past one hold:
  // the one it is held at now, or else its next one.
  void Release();

  // Inference requests that ended, in the order they arrived (by
  // ServedRequest::sequence). A client can see a reply end before the
  // fake has recorded it: WaitForRequests first.
  std::vector<ServedRequest> served() const;

  // Waits until at least `count` inference requests have ended.
  // kDeadlineExceeded, saying how many did, after `timeout_ms`.
  [[nodiscard]] Status WaitForRequests(size_t count, int timeout_ms) const;

  // Inference requests received and not ended yet.
  int InferenceInFlight() const;

  // Forgets served requests and queued scripts, and goes back to the
  // default script. Requests in flight are recorded when they end.
  void ResetInference();

 private:
  explicit FakeOllama(const FakeOllamaOptions& options) : options_(options) {}

  Status Listen(const std::string& ports);
  static int HandleRequest(mg_connection* conn, void* self);
  void Serve(mg_connection* conn);
  void ServeEndpoint(mg_connection* conn, Endpoint endpoint, bool head);
  void WriteReply(mg_connection* conn, int status, std::string_view type,
                  std::string_view body, bool head_only) const;

  enum class HoldResult { kReleased, kTimedOut, kStopping };

  // Waits up to `wait_ms` for SetBehaviour(endpoint) or a stop.
  HoldResult Hold(std::unique_lock<std::mutex>* lock, Endpoint endpoint,
                  int wait_ms);

  // fake_ollama_inference.cc
  class InferenceExchange;
  void ServeInference(mg_connection* conn, InferenceRoute route,
                      const std::string& path);
  void ServeControl(mg_connection* conn, const std::string& path,
                    std::string_view method);

  const FakeOllamaOptions options_;
  mg_context* ctx_ = nullptr;  // Only touched by Down/Up/destruction.
  int port_ = 0;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::string version_ = "0.32.15";                 // Guarded by mu_.
  std::string tags_json_ = R"({"models":[]})";      // Guarded by mu_.
  std::string ps_json_ = R"({"models":[]})";        // Guarded by mu_.
  std::array<Behaviour, 3> behaviour_;              // Guarded by mu_.
  std::array<uint64_t, 3> generation_{};            // Guarded by mu_.
  std::map<std::string, int, std::less<>> counts_;  // Guarded by mu_.
  int held_ = 0;                                    // Guarded by mu_.
  bool stopping_ = false;                           // Guarded by mu_.

  InferenceScript script_;                       // Guarded by mu_.
  std::vector<InferenceScript> queued_scripts_;  // Guarded by mu_.
  uint64_t release_epoch_ = 0;                   // Guarded by mu_.
  int inference_sequence_ = 0;                   // Guarded by mu_.
  int inference_in_flight_ = 0;                  // Guarded by mu_.
  std::vector<ServedRequest> served_;            // Guarded by mu_.
  mutable std::condition_variable request_ended_;
};

}  // namespace ollama_exporter::integration
