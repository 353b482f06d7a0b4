#include "proxy/proxy_server.h"

#include <string>
#include <utility>
#include <vector>

#include "civetweb.h"

#include "common/civet_messages.h"
#include "common/listen_address.h"

#include "proxy/upstream_relay.h"
#include "proxy/upstream_url.h"

namespace ollama_exporter::proxy {
namespace {

// Client reads and writes that stall this long give up on the client.
constexpr char kClientIoTimeoutMs[] = "60000";

// Longer than the idle timeouts of common HTTP clients (4-5 s), so the
// server is not the one closing a connection a client is about to reuse.
constexpr char kKeepAliveTimeoutMs[] = "15000";

// CivetWeb's cap on the request line plus headers.
constexpr char kMaxRequestHeaderBytes[] = "65536";

// CivetWeb's log callback. Returning 1 stops CivetWeb's own logging.
int LogCivetMessage(const mg_connection*, const char* message) {
  HandleCivetMessage("proxy server", message);
  return 1;
}

Status CheckOptions(const ProxyServerOptions& options) {
  if (options.num_threads < 1 || options.connect_timeout_ms < 1 ||
      options.max_observed_body_bytes < 1) {
    return Status::InvalidArgument(
        "proxy num_threads, connect_timeout_ms and max_observed_body_bytes "
        "must be at least 1");
  }
  return Status::Ok();
}

}  // namespace

class ProxyServer::Impl {
 public:
  Impl(RelaySettings settings, ExchangeObserverFactory* factory,
       std::string host)
      : relay_(std::move(settings), factory), host_(std::move(host)) {}

  ~Impl() {
    relay_.Stop();
    if (ctx_ != nullptr) mg_stop(ctx_);
  }

  Status Listen(const ProxyServerOptions& options,
                const std::string& listening_ports);

  std::string bound_address() const {
    return host_ + ":" + std::to_string(port_);
  }

 private:
  static int Handle(mg_connection* conn, void* self) {
    return static_cast<Impl*>(self)->relay_.Serve(conn);
  }

  UpstreamRelay relay_;
  const std::string host_;
  int port_ = 0;
  mg_context* ctx_ = nullptr;
};

Status ProxyServer::Impl::Listen(const ProxyServerOptions& options,
                                 const std::string& listening_ports) {
  const std::string threads = std::to_string(options.num_threads);
  const char* settings[] = {
      "listening_ports",
      listening_ports.c_str(),
      "num_threads",
      threads.c_str(),
      "request_timeout_ms",
      kClientIoTimeoutMs,
      "enable_keep_alive",
      "yes",
      "keep_alive_timeout_ms",
      kKeepAliveTimeoutMs,
      "max_request_size",
      kMaxRequestHeaderBytes,
      // Each chunk must leave at once, not wait for the client's ACK.
      "tcp_nodelay",
      "1",
      // The path goes upstream exactly as the client wrote it.
      "decode_url",
      "no",
      nullptr,
  };
  mg_callbacks callbacks{};
  callbacks.log_message = &LogCivetMessage;
  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = this;
  init.configuration_options = settings;
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error{};
  error.code = &error_code;
  error.text = error_text;
  error.text_buffer_size = sizeof(error_text);

  std::string messages;
  {
    CivetStartupMessages startup;
    ctx_ = mg_start2(&init, &error);
    messages = startup.text();
  }
  if (ctx_ == nullptr) {
    if (messages.empty()) messages = error_text;
    return Status::Unavailable(
        "cannot listen on \"" + options.listen_address +
        "\": " + (messages.empty() ? "CivetWeb failed to start" : messages));
  }
  mg_server_port ports[4] = {};
  if (mg_get_server_ports(ctx_, 4, ports) < 1) {
    return Status::Internal("CivetWeb started without a listening port");
  }
  port_ = ports[0].port;
  mg_set_request_handler(ctx_, "/", &Impl::Handle, this);
  return Status::Ok();
}

Status ProxyServer::Start(const ProxyServerOptions& options,
                          ExchangeObserverFactory* factory,
                          std::unique_ptr<ProxyServer>* server) {
  Status status = CheckOptions(options);
  if (!status.ok()) return status;
  ListenAddress address;
  status = ParseListenAddress(options.listen_address, &address);
  if (!status.ok()) {
    return status.WithContext("invalid proxy listen address \"" +
                              options.listen_address + "\"");
  }
  RelaySettings settings;
  status = ParseUpstreamUrl(options.upstream_url, &settings.upstream_base);
  if (!status.ok()) return status;
  settings.connect_timeout_ms = options.connect_timeout_ms;
  settings.max_observed_body_bytes = options.max_observed_body_bytes;

  auto impl =
      std::make_unique<Impl>(std::move(settings), factory, address.host);
  status = impl->Listen(options, address.listening_ports);
  if (!status.ok()) return status;
  server->reset(new ProxyServer(std::move(impl)));
  return Status::Ok();
}

ProxyServer::ProxyServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProxyServer::~ProxyServer() = default;

std::string ProxyServer::bound_address() const {
  return impl_->bound_address();
}

}  // namespace ollama_exporter::proxy
