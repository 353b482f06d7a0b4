#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "common/status.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// Everything the routes need from the rest of the program. The pointed-to
// objects must outlive the Server; the functions are called from CivetWeb
// worker threads and must be thread-safe.
struct ServerDeps {
  // The families to serve on the telemetry path, gathered on each scrape.
  std::function<std::vector<prometheus::MetricFamily>()> collect_metrics;
  // /-/ready answers 200 once this is true, 503 before.
  std::function<bool()> ready;
  // The store behind the history and range routes.
  const tsdb::SeriesReader* store = nullptr;
  // The clock used for "now" (history windows, response timestamps).
  std::function<int64_t()> now_ms;
  // Shown on the landing page and in /api/v1/status/buildinfo.
  std::string version;
  // The build's source revision, for /api/v1/status/buildinfo.
  std::string revision;
};

struct ServerOptions {
  // "host:port", ":port" (all interfaces) or "port". IPv6 is refused
  // (Debian's CivetWeb is built without it). Port 0 picks a free port.
  std::string listen_address = ":11436";
  std::string telemetry_path = "/metrics";
  int num_threads = 16;
  int request_timeout_ms = 10000;
};

// The HTTP server: one CivetWeb instance on one port serving
//   /                      landing page (404 for unknown paths)
//   <telemetry_path>       Prometheus text format
//   /-/healthy, /-/ready   probes
//   /api/ollama/history    the dashboard's JSON history
// and a read-only subset of Prometheus 2.42's HTTP API over the store, in
// its JSON shapes, enough for Grafana's Prometheus data source:
//   /api/v1/query_range    selectors, rate, increase per step (matrix)
//   /api/v1/query          the same at one time (vector), or a range
//                          selector's raw samples (matrix)
//   /api/v1/labels         label names of the stored series
//   /api/v1/label/<name>/values   one label's values
//   /api/v1/series         label sets of the matching series
//   /api/v1/metadata       type and help of the stored metrics
//   /api/v1/query_exemplars       always empty: no exemplars are kept
//   /api/v1/status/buildinfo      this exporter's version
// The /api/v1 routes take GET, HEAD and POST (parameters in the URL and a
// form-encoded body, merged as Prometheus does); their errors are
// Prometheus' {"status":"error","errorType":...} bodies.
//
// Only these exact paths are served; any other path is a 404 and a method
// a route does not take is a 405. Every reply has a Content-Length, so
// connections are kept alive.
//
// Thread safety: Start() and destruction from one thread; requests are
// served on CivetWeb's worker threads. Destruction stops the server and
// waits for in-flight requests; CivetWeb 1.15 takes up to 2 s for that.
class Server {
 public:
  // Binds and starts serving. kInvalidArgument for a malformed or IPv6
  // address, a telemetry path that is not a plain "/..." path or that
  // collides with a built-in route, num_threads or request_timeout_ms
  // below 1, or a missing dependency; kUnavailable (naming the address)
  // when the address cannot be bound (in use, not local). On error *server
  // is unchanged.
  static Status Start(const ServerOptions& options, ServerDeps deps,
                      std::unique_ptr<Server>* server);

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "127.0.0.1:41234" / "0.0.0.0:11436": the address actually bound, with
  // the port CivetWeb picked for port 0.
  std::string bound_address() const;

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace ollama_exporter::http
