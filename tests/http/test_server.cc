#include "test_server.h"

#include <stdexcept>
#include <utility>

#include <catch2/catch.hpp>

namespace ollama_exporter::http {

TestServer::TestServer(const std::string& telemetry_path) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.telemetry_path = telemetry_path;
  options.num_threads = 4;
  ServerDeps deps;
  deps.collect_metrics = [this] { return Collect(); };
  deps.ready = [this] { return ready_.load(); };
  deps.store = &store_;
  deps.now_ms = [this] { return now_ms_.load(); };
  deps.version = "1.2.3-test";
  deps.revision = "0123abcd";
  Status status = Server::Start(options, std::move(deps), &server_);
  INFO(status.ToString());
  REQUIRE(status.ok());
  client_ = std::make_unique<HttpClient>("http://" + server_->bound_address());
}

void TestServer::Reset() {
  store_.Clear();
  ready_ = false;
  now_ms_ = kTestNowMs;
  std::lock_guard<std::mutex> lock(mu_);
  families_.clear();
  collect_error_.clear();
}

void TestServer::SetFamilies(std::vector<prometheus::MetricFamily> families) {
  std::lock_guard<std::mutex> lock(mu_);
  families_ = std::move(families);
}

void TestServer::SetCollectThrows(const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  collect_error_ = message;
}

std::vector<prometheus::MetricFamily> TestServer::Collect() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!collect_error_.empty()) throw std::runtime_error(collect_error_);
  return families_;
}

TestServer& FreshServer() {
  static TestServer server;
  server.Reset();
  return server;
}

prometheus::MetricFamily Gauge(const std::string& name, const std::string& help,
                               double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Gauge;
  prometheus::ClientMetric metric;
  metric.gauge.value = value;
  family.metric.push_back(metric);
  return family;
}

}  // namespace ollama_exporter::http
