#include "proxy/upstream_relay.h"

#include <strings.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "civetweb.h"
#include <curl/curl.h>

#include "common/log.h"
#include "common/or_empty.h"

#include "proxy/client_reply.h"
#include "proxy/client_socket.h"
#include "proxy/relay_headers.h"

namespace ollama_exporter::proxy {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kConnectFailureLogEveryMs = 60000;

// Unobserved bodies up to this size with a declared length are read before
// sending, so libcurl can send them again when a kept upstream connection
// turns out to have been closed. Larger ones stream on a fresh connection.
constexpr long long kSmallBodyBytes = 1 << 20;

// After this long without writing to the client, its socket is checked for
// a close at most this often (libcurl calls the progress callback about
// once a second while a transfer is idle).
constexpr auto kClientCheckInterval = std::chrono::milliseconds(500);

void LogFailure(const char* what) {
  // Logging allocates; if even that fails, the closed connection has to do.
  try {
    LOG_ERROR("proxy request failed", {log::Field("err", what)});
  } catch (...) {
  }
}

// The relay of one request, on its worker thread.
class Exchange {
 public:
  Exchange(const RelaySettings& settings, ExchangeObserverFactory* factory,
           CurlHandlePool* handles, ConnectFailureLog* failure_log,
           const std::atomic<bool>* stopping, mg_connection* conn);

  // Relays and answers; returns the status sent, 499 when none was.
  int Run();

 private:
  enum class Body { kNone, kBuffered, kStreamed };
  // Why the relay broke the exchange off before its end, if it did.
  enum class Cut { kNone, kClientGone, kServerStopping };

  // Reads or plans the request body. False when the client was already
  // answered (413) or is gone.
  bool TakeRequestBody();
  std::vector<Header> ClientHeaders() const;
  curl_slist* UpstreamHeaders() const;
  void Configure(CURL* curl, const std::string& url, curl_slist* headers);
  CURLcode Transfer(CURL* curl);
  ExchangeEnd DecideEnd(CURLcode code) const;
  void Answer(ExchangeEnd end, CURLcode code);
  bool ClientSeemsGone();
  void NoteClientUnreachable();

  static size_t OnHeader(char* data, size_t size, size_t count, void* self);
  static size_t OnBody(char* data, size_t size, size_t count, void* self);
  static size_t OnUpload(char* data, size_t size, size_t count, void* self);
  static int OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t,
                        curl_off_t);

  const RelaySettings& settings_;
  ExchangeObserverFactory* const factory_;
  CurlHandlePool* const handles_;
  ConnectFailureLog* const failure_log_;
  const std::atomic<bool>* const stopping_;
  mg_connection* const conn_;
  const mg_request_info* const info_;
  const std::string method_;
  const std::string path_;

  std::unique_ptr<ExchangeObserver> observer_;
  ClientReply reply_;
  UpstreamHead head_;
  ClientSocketWatch watch_;
  Body body_kind_ = Body::kNone;
  std::string body_;
  long long upload_length_ = -1;  // Streamed body; -1 when chunked.
  long long uploaded_ = 0;
  Cut cut_ = Cut::kNone;  // The first cause seen wins.
  bool internal_error_ = false;
  Clock::time_point last_client_io_;
  Clock::time_point last_check_;
  char error_[CURL_ERROR_SIZE] = "";
};

Exchange::Exchange(const RelaySettings& settings,
                   ExchangeObserverFactory* factory, CurlHandlePool* handles,
                   ConnectFailureLog* failure_log,
                   const std::atomic<bool>* stopping, mg_connection* conn)
    : settings_(settings),
      factory_(factory),
      handles_(handles),
      failure_log_(failure_log),
      stopping_(stopping),
      conn_(conn),
      info_(mg_get_request_info(conn)),
      method_(OrEmpty(info_->request_method)),
      path_(OrEmpty(info_->local_uri_raw)),
      reply_(conn, method_ == "HEAD"),
      watch_(info_->server_port, info_->remote_addr, info_->remote_port),
      last_client_io_(Clock::now()),
      last_check_(last_client_io_) {}

int Exchange::Run() {
  const Clock::time_point start = Clock::now();
  if (stopping_->load()) {
    reply_.SendJsonError(503, "proxy is shutting down", true);
    return 503;
  }
  if (path_.empty() || path_[0] != '/') {
    reply_.SendJsonError(400, "request target must be a path", true);
    return 400;
  }

  if (factory_ != nullptr) observer_ = factory_->Observe(method_, path_);
  if (!TakeRequestBody()) return reply_.head_sent() ? reply_.status() : 499;
  if (observer_) observer_->OnRequestBody(&body_);

  CURLcode code = CURLE_FAILED_INIT;
  {
    CurlHandlePool::Lease lease = handles_->Take();
    CURL* curl = static_cast<CURL*>(lease.handle());
    if (curl != nullptr) code = Transfer(curl);
    // libcurl skips the progress call after the read that ends a reply:
    // its bytes leave now, not after the handle's reset and OnEnd's
    // bookkeeping.
    reply_.Flush();
  }
  // Also catches a failed write no callback reported (100 Continue).
  if (reply_.client_gone()) NoteClientUnreachable();

  const ExchangeEnd end = DecideEnd(code);
  Answer(end, code);

  LOG_DEBUG("proxied request",
            {log::Field("method", method_), log::Field("path", path_),
             log::Field("status", reply_.status()),
             log::Field("end", ExchangeEndName(end)),
             log::Field("body_bytes", reply_.body_bytes_sent()),
             log::Field(
                 "duration_seconds",
                 std::chrono::duration<double>(Clock::now() - start).count())});
  return reply_.head_sent() ? reply_.status() : 499;
}

bool Exchange::TakeRequestBody() {
  const long long length = info_->content_length;
  const bool chunked =
      strcasecmp(OrEmpty(mg_get_header(conn_, "Transfer-Encoding")),
                 "chunked") == 0;
  const bool sends_body =
      method_ != "HEAD" && (length > 0 || chunked || method_ == "POST" ||
                            method_ == "PUT" || method_ == "PATCH");
  if (!sends_body) return true;
  if (!observer_ && (chunked || length > kSmallBodyBytes)) {
    body_kind_ = Body::kStreamed;
    upload_length_ = chunked ? -1 : length;
    reply_.SendContinueIfExpected();
    return true;
  }

  body_kind_ = Body::kBuffered;
  const size_t cap = settings_.max_observed_body_bytes;
  auto refuse = [&] {
    // The unread rest of the body would be taken for the next request.
    reply_.SendJsonError(
        413, "request body larger than " + std::to_string(cap) + " bytes",
        true);
    return false;
  };
  if (length > 0 && static_cast<unsigned long long>(length) > cap) {
    return refuse();
  }
  reply_.SendContinueIfExpected();
  if (length > 0) body_.reserve(static_cast<size_t>(length));
  char buffer[16384];
  while (true) {
    int read = mg_read(conn_, buffer, sizeof(buffer));
    if (read == 0) break;
    if (read < 0) {
      NoteClientUnreachable();
      return false;
    }
    if (body_.size() + static_cast<size_t>(read) > cap) return refuse();
    body_.append(buffer, static_cast<size_t>(read));
  }
  if (length > 0 && body_.size() < static_cast<size_t>(length)) {
    NoteClientUnreachable();
    return false;
  }
  return true;
}

std::vector<Header> Exchange::ClientHeaders() const {
  std::vector<Header> headers;
  for (int i = 0; i < info_->num_headers; ++i) {
    headers.push_back({OrEmpty(info_->http_headers[i].name),
                       OrEmpty(info_->http_headers[i].value)});
  }
  return headers;
}

curl_slist* Exchange::UpstreamHeaders() const {
  curl_slist* list = nullptr;
  auto add = [&list](const char* line) {
    curl_slist* longer = curl_slist_append(list, line);
    if (longer == nullptr) throw std::bad_alloc();
    list = longer;
  };
  for (const std::string& line :
       UpstreamRequestHeaderLines(ClientHeaders(), observer_ != nullptr)) {
    add(line.c_str());
  }
  // "Name:" stops libcurl from adding a header of its own: no 1 s wait
  // for "100 Continue", and no Accept or form Content-Type the client did
  // not send.
  add("Expect:");
  if (mg_get_header(conn_, "Accept") == nullptr) add("Accept:");
  if (mg_get_header(conn_, "Content-Type") == nullptr) add("Content-Type:");
  return list;
}

void Exchange::Configure(CURL* curl, const std::string& url,
                         curl_slist* headers) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // Straight to Ollama: a forward proxy on the way could buffer streams.
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   settings_.connect_timeout_ms);
  // A cold model load sends nothing for minutes: no total timeout and no
  // low-speed limit. TCP keep-alive still notices a vanished host.
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  // Bytes pass through as they come, compressed or not.
  curl_easy_setopt(curl, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Exchange::OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Exchange::OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Exchange::OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);

  if (body_kind_ == Body::kNone) {
    if (method_ == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
      if (method_ != "GET") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_.c_str());
      }
    }
    return;
  }
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  if (method_ != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_.c_str());
  }
  if (body_kind_ == Body::kBuffered) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body_.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(body_.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Exchange::OnUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, this);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(upload_length_));
    // A body read from the client cannot be sent twice, so it must not
    // go out on a kept connection upstream may have closed meanwhile.
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
  }
}

CURLcode Exchange::Transfer(CURL* curl) {
  std::string url = settings_.upstream_base + path_;
  if (info_->query_string != nullptr) {
    url += '?';
    url += info_->query_string;
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      UpstreamHeaders(), &curl_slist_free_all);
  Configure(curl, url, headers.get());
  return curl_easy_perform(curl);
}

ExchangeEnd Exchange::DecideEnd(CURLcode code) const {
  switch (cut_) {
    case Cut::kClientGone:
      return ExchangeEnd::kClientGone;
    case Cut::kServerStopping:
      return ExchangeEnd::kUpstreamFailed;
    case Cut::kNone:
      break;
  }
  if (code == CURLE_OK && head_.complete() && !internal_error_) {
    return ExchangeEnd::kComplete;
  }
  return ExchangeEnd::kUpstreamFailed;
}

void Exchange::Answer(ExchangeEnd end, CURLcode code) {
  const std::string_view held_back =
      observer_ ? observer_->OnEnd(end) : std::string_view();
  if (end == ExchangeEnd::kClientGone) return;

  if (reply_.head_sent()) {
    reply_.SendBody(held_back);
    reply_.Finish(end == ExchangeEnd::kComplete);
    return;
  }
  const bool unread_body = body_kind_ == Body::kStreamed;
  if (cut_ == Cut::kServerStopping) {
    reply_.SendJsonError(503, "proxy is shutting down", true);
    return;
  }
  if (code == CURLE_URL_MALFORMAT) {
    reply_.SendJsonError(400, "invalid request target", unread_body);
    return;
  }
  std::string cause = internal_error_     ? "internal error"
                      : error_[0] != '\0' ? error_
                                          : curl_easy_strerror(code);
  failure_log_->Failed(settings_.upstream_base, cause);
  reply_.SendJsonError(
      502, "no reply from ollama at " + settings_.upstream_base + ": " + cause,
      unread_body);
}

void Exchange::NoteClientUnreachable() {
  if (cut_ != Cut::kNone) return;
  // The stop flag is set before CivetWeb is stopped, and a stopping
  // CivetWeb fails every read and write: the shutdown cut this exchange,
  // not the client.
  cut_ = stopping_->load() ? Cut::kServerStopping : Cut::kClientGone;
}

bool Exchange::ClientSeemsGone() {
  Clock::time_point now = Clock::now();
  if (now - last_client_io_ < kClientCheckInterval ||
      now - last_check_ < kClientCheckInterval) {
    return false;
  }
  last_check_ = now;
  return watch_.PeerClosed();
}

size_t Exchange::OnHeader(char* data, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  const size_t bytes = size * count;
  try {
    if (!exchange->head_.AddLine(std::string_view(data, bytes))) return bytes;
    exchange->failure_log_->Reached(exchange->settings_.upstream_base);
    const UpstreamHead& head = exchange->head_;
    if (exchange->observer_) {
      exchange->observer_->OnResponseStart(head.status(), head.content_type());
    }
    exchange->last_client_io_ = Clock::now();
    if (exchange->reply_.SendHead(head.status(), head.ClientHeaders(),
                                  head.content_length())) {
      return bytes;
    }
    exchange->NoteClientUnreachable();
    return 0;
  } catch (...) {
    exchange->internal_error_ = true;
    return 0;
  }
}

size_t Exchange::OnBody(char* data, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  const size_t bytes = size * count;
  try {
    std::string_view piece(data, bytes);
    if (exchange->observer_) {
      piece = exchange->observer_->OnResponseBytes(piece);
    }
    exchange->last_client_io_ = Clock::now();
    // Queued until OnProgress. A piece refused for passing the declared
    // length is dropped; the rest of the reply still reaches the observer.
    if (!exchange->reply_.SendBody(piece) && exchange->reply_.client_gone()) {
      exchange->NoteClientUnreachable();
      return CURL_WRITEFUNC_ERROR;
    }
    return bytes;
  } catch (...) {
    exchange->internal_error_ = true;
    return CURL_WRITEFUNC_ERROR;
  }
}

size_t Exchange::OnUpload(char* data, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  const long long expected = exchange->upload_length_;
  if (expected >= 0 && exchange->uploaded_ >= expected) return 0;
  int read = mg_read(exchange->conn_, data, size * count);
  if (read < 0 || (read == 0 && expected >= 0)) {
    exchange->NoteClientUnreachable();
    return CURL_READFUNC_ABORT;
  }
  exchange->uploaded_ += read;
  exchange->last_client_io_ = Clock::now();
  return static_cast<size_t>(read);
}

int Exchange::OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t,
                         curl_off_t) {
  auto* exchange = static_cast<Exchange*>(self);
  // libcurl calls this after each pass over the upstream socket, before
  // it waits again: what that pass brought leaves now, in one write.
  if (!exchange->reply_.Flush()) {
    exchange->NoteClientUnreachable();
    return 1;
  }
  if (exchange->stopping_->load()) {
    exchange->cut_ = Cut::kServerStopping;
    return 1;
  }
  if (exchange->ClientSeemsGone()) {
    exchange->cut_ = Cut::kClientGone;
    return 1;
  }
  return 0;
}

}  // namespace

UpstreamRelay::UpstreamRelay(RelaySettings settings,
                             ExchangeObserverFactory* factory)
    : settings_(std::move(settings)),
      factory_(factory),
      failure_log_(kConnectFailureLogEveryMs) {}

int UpstreamRelay::Serve(mg_connection* conn) {
  try {
    Exchange exchange(settings_, factory_, &handles_, &failure_log_, &stopping_,
                      conn);
    return exchange.Run();
  } catch (const std::exception& e) {
    LogFailure(e.what());
  } catch (...) {
    LogFailure("unknown exception");
  }
  // Whatever was sent is incomplete: closing tells the client.
  mg_disable_connection_keep_alive(conn);
  return 500;
}

}  // namespace ollama_exporter::proxy
