#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "common/status.h"

#include "testing/temp_dir.h"

namespace ollama_exporter::prometheus_test {

// A Prometheus server (the binary found at configure time, Debian's
// /usr/bin/prometheus) on 127.0.0.1, with its data, configuration and log
// in a temp dir of its own.
//
// Thread safety: none; use from the test's thread.
// Ownership: owns the child and the temp dir; destruction stops the child
// (SIGTERM, SIGKILL after 5 s) and removes the dir.
class PrometheusServer {
 public:
  static constexpr int kStartTimeoutMs = 20000;

  // Writes `config_yaml` as its --config.file, starts it on a free port
  // and waits up to kStartTimeoutMs for /-/ready to answer 200.
  // kFailedPrecondition with its log when it exits first,
  // kDeadlineExceeded (after killing it) when it never gets ready,
  // kUnavailable when it cannot be started.
  static Status Start(const std::string& config_yaml,
                      std::unique_ptr<PrometheusServer>* server);

  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  int port() const { return port_; }

  // What it wrote to stdout and stderr so far.
  std::string Log() const;

 private:
  PrometheusServer(pid_t pid, int port, std::unique_ptr<testing::TempDir> dir);

  Status WaitForReady();

  pid_t pid_;
  int port_;
  std::unique_ptr<testing::TempDir> dir_;
  bool exited_ = false;
};

}  // namespace ollama_exporter::prometheus_test
