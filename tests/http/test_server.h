#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "http/server.h"

#include "fake_series_reader.h"
#include "http_client.h"

namespace ollama_exporter::http {

// 2026-12-04T17:00:00.000Z, the fixed "now" of the route tests.
inline constexpr int64_t kTestNowMs = 1796403600000;

// A real Server on 127.0.0.1:<free port> over a FakeSeriesReader, with the
// clock, readiness and metric families under the test's control, and a
// client talking to it. REQUIREs that the server starts.
class TestServer {
 public:
  explicit TestServer(const std::string& telemetry_path = "/metrics");

  // Back to the state after construction: empty store without failures,
  // not ready, no families, the clock at kTestNowMs.
  void Reset();

  FakeSeriesReader& store() { return store_; }

  HttpClient& client() { return *client_; }

  const Server& server() const { return *server_; }

  void SetReady(bool ready) { ready_ = ready; }

  void SetNow(int64_t now_ms) { now_ms_ = now_ms; }

  void SetFamilies(std::vector<prometheus::MetricFamily> families);
  // Makes collect_metrics throw std::runtime_error(message).
  void SetCollectThrows(const std::string& message);

 private:
  std::vector<prometheus::MetricFamily> Collect();

  FakeSeriesReader store_;
  std::atomic<bool> ready_{false};
  std::atomic<int64_t> now_ms_{kTestNowMs};
  std::mutex mu_;
  std::vector<prometheus::MetricFamily> families_;  // Guarded by mu_.
  std::string collect_error_;                       // Guarded by mu_.
  std::unique_ptr<Server> server_;
  std::unique_ptr<HttpClient> client_;
};

// The server the route tests share, Reset() for the caller. CivetWeb 1.15
// takes up to 2 s to stop a server (its accept loop polls that long), so
// tests share one instead of each starting their own.
TestServer& FreshServer();

// One gauge family with one unlabelled sample.
prometheus::MetricFamily Gauge(const std::string& name, const std::string& help,
                               double value);

}  // namespace ollama_exporter::http
