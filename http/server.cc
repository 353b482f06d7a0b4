#include "http/server.h"

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "CivetServer.h"

#include "common/civet_messages.h"
#include "common/listen_address.h"
#include "http/build_info_handler.h"
#include "http/civet_route.h"
#include "http/exemplars_handler.h"
#include "http/history_handler.h"
#include "http/labels_handler.h"
#include "http/landing_handler.h"
#include "http/metadata_handler.h"
#include "http/metrics_handler.h"
#include "http/probe_handler.h"
#include "http/prom_json.h"
#include "http/query_handler.h"
#include "http/query_range_handler.h"
#include "http/series_handler.h"

namespace ollama_exporter::http {
namespace {

constexpr char kHealthyPath[] = "/-/healthy";
constexpr char kReadyPath[] = "/-/ready";
constexpr char kHistoryPath[] = "/api/ollama/history";
constexpr char kQueryRangePath[] = "/api/v1/query_range";
constexpr char kQueryPath[] = "/api/v1/query";
constexpr char kLabelsPath[] = "/api/v1/labels";
// The label values route serves "/api/v1/label/<name>/values" below it.
constexpr char kLabelPath[] = "/api/v1/label";
constexpr char kSeriesPath[] = "/api/v1/series";
constexpr char kMetadataPath[] = "/api/v1/metadata";
constexpr char kExemplarsPath[] = "/api/v1/query_exemplars";
constexpr char kBuildInfoPath[] = "/api/v1/status/buildinfo";

constexpr const char* kBuiltInPaths[] = {
    kHealthyPath,  kReadyPath,     kHistoryPath,  kQueryRangePath,
    kQueryPath,    kLabelsPath,    kLabelPath,    kSeriesPath,
    kMetadataPath, kExemplarsPath, kBuildInfoPath};

// CivetWeb's cap on the request line plus headers, so on the URI too.
constexpr char kMaxRequestHeaderBytes[] = "16384";

// CivetWeb's log callback. Returning 1 stops CivetWeb's own logging.
int LogCivetMessage(const mg_connection*, const char* message) {
  HandleCivetMessage("http server", message);
  return 1;
}

// Letters, digits and "/_-.~" only: CivetWeb reads other characters in
// handler URIs as glob patterns.
bool IsPlainPath(const std::string& path) {
  if (path.size() < 2 || path[0] != '/') return false;
  for (char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' ||
                 c == '.' || c == '~';
    if (!plain) return false;
  }
  return true;
}

Status CheckOptions(const ServerOptions& options, const ServerDeps& deps) {
  const std::string& path = options.telemetry_path;
  if (!IsPlainPath(path)) {
    return Status::InvalidArgument(
        "invalid telemetry path \"" + path +
        "\": must be '/' followed by letters, digits, '/', '_', '-', '.' "
        "or '~'");
  }
  const std::string label_subtree = std::string(kLabelPath) + "/";
  if (path.rfind(label_subtree, 0) == 0) {
    return Status::InvalidArgument("telemetry path \"" + path +
                                   "\" is taken by a built-in route");
  }
  for (const char* taken : kBuiltInPaths) {
    if (path == taken) {
      return Status::InvalidArgument("telemetry path \"" + path +
                                     "\" is taken by a built-in route");
    }
  }
  if (options.num_threads < 1 || options.request_timeout_ms < 1) {
    return Status::InvalidArgument(
        "num_threads and request_timeout_ms must be at least 1");
  }
  if (!deps.collect_metrics || !deps.ready || !deps.now_ms ||
      deps.store == nullptr) {
    return Status::InvalidArgument(
        "server dependencies incomplete: collect_metrics, ready, now_ms and "
        "store are all required");
  }
  return Status::Ok();
}

}  // namespace

class Server::Impl {
 public:
  Impl(const ServerOptions& options, ServerDeps deps, std::string host)
      : options_(options), deps_(std::move(deps)), host_(std::move(host)) {}

  // Binds `listening_ports` and registers the routes.
  Status Listen(const std::string& listening_ports);

  std::string bound_address() const {
    return host_ + ":" + std::to_string(port_);
  }

 private:
  void AddRoutes();

  const ServerOptions options_;
  const ServerDeps deps_;
  const std::string host_;
  int port_ = 0;
  // Declared before civet_ so they are destroyed after it: CivetServer's
  // destructor waits for the requests in flight.
  std::vector<std::unique_ptr<CivetRoute>> routes_;
  std::unique_ptr<CivetServer> civet_;
};

Status Server::Impl::Listen(const std::string& listening_ports) {
  const std::pair<const char*, std::string> settings[] = {
      {"listening_ports", listening_ports},
      {"num_threads", std::to_string(options_.num_threads)},
      {"request_timeout_ms", std::to_string(options_.request_timeout_ms)},
      {"enable_keep_alive", "yes"},
      {"keep_alive_timeout_ms", "500"},
      {"max_request_size", kMaxRequestHeaderBytes},
      // Replies go out as two writes (headers, body); without this Nagle
      // holds the body until the client's delayed ACK: 44 ms per
      // keep-alive request instead of 0.2 ms.
      {"tcp_nodelay", "1"},
  };
  std::vector<std::string> civet_options;
  for (const auto& [name, value] : settings) {
    civet_options.push_back(name);
    civet_options.push_back(value);
  }
  CivetCallbacks callbacks;
  callbacks.log_message = &LogCivetMessage;

  // CivetServer throws when it cannot bind; this is the edge.
  {
    CivetStartupMessages messages;
    try {
      civet_ = std::make_unique<CivetServer>(civet_options, &callbacks);
    } catch (const std::exception& e) {
      return Status::Unavailable(
          "cannot listen on \"" + options_.listen_address +
          "\": " + (messages.text().empty() ? e.what() : messages.text()));
    }
  }

  std::vector<int> ports = civet_->getListeningPorts();
  if (ports.empty()) {
    return Status::Internal("CivetWeb started without a listening port");
  }
  port_ = ports.front();
  AddRoutes();
  return Status::Ok();
}

void Server::Impl::AddRoutes() {
  const std::vector<std::string> read = {"GET", "HEAD"};
  const std::vector<std::string> query = {"GET", "HEAD", "POST"};
  // The Prometheus-shaped routes answer an oversized body in their shape.
  const Response api_body_too_large = BodyResponse(
      400, kApplicationJson,
      RenderApiError("bad_data",
                     "error parsing form values: request body "
                     "larger than " +
                         std::to_string(kMaxBodyBytes) + " bytes"));
  auto add = [&](std::string path, std::vector<std::string> methods,
                 Handler handler, bool serve_subtree = false) {
    RouteOptions route_options;
    route_options.serve_subtree = serve_subtree;
    route_options.body_too_large = path.rfind("/api/v1/", 0) == 0
                                       ? api_body_too_large
                                       : BodyTooLargeText();
    routes_.push_back(std::make_unique<CivetRoute>(
        path, std::move(methods), std::move(handler), route_options));
    civet_->addHandler(path, routes_.back().get());
  };

  add("/", read, [this](const Request&) {
    return ServeLanding(deps_.version, options_.telemetry_path, deps_.now_ms());
  });
  add(options_.telemetry_path, read, [this](const Request& request) {
    return ServeMetrics(request, deps_.collect_metrics);
  });
  add(kHealthyPath, read, [](const Request&) { return ServeHealthy(); });
  add(kReadyPath, read,
      [this](const Request&) { return ServeReady(deps_.ready()); });
  add(kHistoryPath, read, [this](const Request& request) {
    return ServeHistory(request, *deps_.store, deps_.now_ms());
  });
  add(kQueryRangePath, query, [this](const Request& request) {
    return ServeQueryRange(request, *deps_.store);
  });
  add(kQueryPath, query, [this](const Request& request) {
    return ServeQuery(request, *deps_.store, deps_.now_ms());
  });
  add(kLabelsPath, query, [this](const Request& request) {
    return ServeLabels(request, *deps_.store);
  });
  add(
      kLabelPath, query,
      [this](const Request& request) {
        return ServeLabelValues(request, *deps_.store);
      },
      /*serve_subtree=*/true);
  add(kSeriesPath, query, [this](const Request& request) {
    return ServeSeries(request, *deps_.store);
  });
  add(kMetadataPath, query, [this](const Request& request) {
    return ServeMetadata(request, deps_.collect_metrics(), *deps_.store);
  });
  add(kExemplarsPath, query,
      [](const Request& request) { return ServeQueryExemplars(request); });
  add(kBuildInfoPath, query, [this](const Request&) {
    return ServeBuildInfo(deps_.version, deps_.revision);
  });
}

Status Server::Start(const ServerOptions& options, ServerDeps deps,
                     std::unique_ptr<Server>* server) {
  Status status = CheckOptions(options, deps);
  if (!status.ok()) return status;
  ListenAddress address;
  status = ParseListenAddress(options.listen_address, &address);
  if (!status.ok()) {
    return status.WithContext("invalid listen address \"" +
                              options.listen_address + "\"");
  }

  auto impl = std::make_unique<Impl>(options, std::move(deps), address.host);
  status = impl->Listen(address.listening_ports);
  if (!status.ok()) return status;
  server->reset(new Server(std::move(impl)));
  return Status::Ok();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() = default;

std::string Server::bound_address() const { return impl_->bound_address(); }

}  // namespace ollama_exporter::http
