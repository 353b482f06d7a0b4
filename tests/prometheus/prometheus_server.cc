#include "prometheus_server.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "http_get.h"
#include "subprocess.h"
#include "testing/loopback_port.h"

namespace ollama_exporter::prometheus_test {
namespace {

using integration::HttpGet;
using integration::HttpReply;

std::string Tail(const std::string& text, size_t max = 4000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

}  // namespace

Status PrometheusServer::Start(const std::string& config_yaml,
                               std::unique_ptr<PrometheusServer>* server) {
  std::unique_ptr<testing::TempDir> dir;
  Status status = testing::TempDir::Create("oe-prometheus", &dir);
  int port = 0;
  if (status.ok()) status = testing::PickFreeLoopbackPort(&port);
  if (!status.ok()) return status;
  std::ofstream(dir->File("prometheus.yml")) << config_yaml;

  // Without the *_proxy variables: its scrapes go to 127.0.0.1 directly.
  const std::vector<std::string> argv = {
      OE_PROMETHEUS_BINARY,
      "--config.file=" + dir->File("prometheus.yml"),
      "--storage.tsdb.path=" + dir->File("data"),
      "--web.listen-address=127.0.0.1:" + std::to_string(port),
      "--storage.tsdb.retention.time=1d",
  };
  pid_t pid = 0;
  status = integration::SpawnWithEnvironment(
      argv, integration::EnvironmentWithoutProxies(), "/dev/null",
      dir->File("stdout"), dir->File("stderr"), &pid);
  if (!status.ok()) return status;
  std::unique_ptr<PrometheusServer> started(
      new PrometheusServer(pid, port, std::move(dir)));
  status = started->WaitForReady();
  if (!status.ok()) return status;
  *server = std::move(started);
  return Status::Ok();
}

PrometheusServer::PrometheusServer(pid_t pid, int port,
                                   std::unique_ptr<testing::TempDir> dir)
    : pid_(pid), port_(port), dir_(std::move(dir)) {}

PrometheusServer::~PrometheusServer() {
  if (exited_) return;
  int exit_code = 0;
  kill(pid_, SIGTERM);
  if (!integration::WaitForExit(pid_, 5000, &exit_code)) {
    kill(pid_, SIGKILL);
    integration::WaitForExit(pid_, 5000, &exit_code);
  }
}

std::string PrometheusServer::Log() const {
  return integration::ReadFileText(dir_->File("stdout")) +
         integration::ReadFileText(dir_->File("stderr"));
}

Status PrometheusServer::WaitForReady() {
  const std::string url =
      "http://127.0.0.1:" + std::to_string(port_) + "/-/ready";
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(kStartTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    HttpReply reply;
    if (HttpGet(url, 1000, &reply).ok() && reply.status == 200) {
      return Status::Ok();
    }
    int exit_code = 0;
    if (integration::WaitForExit(pid_, 0, &exit_code)) {
      exited_ = true;
      return Status::FailedPrecondition(
          "prometheus exited with code " + std::to_string(exit_code) +
          " before it was ready; log:\n" + Tail(Log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Status::DeadlineExceeded("prometheus not ready after " +
                                  std::to_string(kStartTimeoutMs) +
                                  " ms; log:\n" + Tail(Log()));
}

}  // namespace ollama_exporter::prometheus_test
