#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

#include "http_get.h"
#include "metrics_text.h"
#include "testing/temp_dir.h"

namespace ollama_exporter::integration {

// How to run the exporter binary.
struct ExporterOptions {
  std::string binary;        // Path to ollama_exporter.
  std::string ollama_url;    // --ollama.url
  std::string storage_path;  // --storage.path; the caller owns the dir.
  std::string listen_address = "127.0.0.1:0";
  std::string scrape_interval = "200ms";
  std::string scrape_timeout = "150ms";
  std::vector<std::string> extra_args;  // Appended after the flags above.
  // Runs the binary without the *_proxy variables of this process
  // (EnvironmentWithoutProxies), so that it reaches 127.0.0.1 directly.
  bool without_proxies = false;
};

// The command line for `options`, binary first.
std::vector<std::string> ExporterCommandLine(const ExporterOptions& options);

// A running ollama_exporter child process with its stderr in a temp file.
//
// Thread safety: none; use from the test's thread.
// Ownership: owns the child; destruction SIGKILLs it if it still runs.
class ExporterProcess {
 public:
  static constexpr int kStartTimeoutMs = 10000;

  // Starts the binary and waits up to kStartTimeoutMs for its log line
  // `msg=listening address=127.0.0.1:PORT`. kFailedPrecondition (with the
  // exit code and log) when it exits first, kDeadlineExceeded (after
  // killing it) when the line never comes, kUnavailable if it cannot run.
  static Status Start(const ExporterOptions& options,
                      std::unique_ptr<ExporterProcess>* process);

  ~ExporterProcess();
  ExporterProcess(const ExporterProcess&) = delete;
  ExporterProcess& operator=(const ExporterProcess&) = delete;

  int port() const { return port_; }

  pid_t pid() const { return pid_; }

  // GET http://127.0.0.1:<port><path_and_query>, as HttpGet.
  Status Get(std::string_view path_and_query, HttpReply* reply,
             int timeout_ms = 5000) const;

  // GET /metrics, which must answer 200 with a parsable body.
  // kFailedPrecondition otherwise, quoting the body. *body gets the raw
  // text when not null.
  Status Metrics(MetricsText* metrics, std::string* body = nullptr) const;

  // Polls /metrics every 50 ms until `done` holds, at most `timeout_ms`.
  // kDeadlineExceeded quoting the last body otherwise. *last (if not null)
  // gets the last parsed metrics either way.
  Status WaitForMetrics(const std::function<bool(const MetricsText&)>& done,
                        int timeout_ms, MetricsText* last = nullptr) const;

  // SIGTERM, then waits up to `timeout_ms` for the exit code.
  // kDeadlineExceeded (after SIGKILL) when it does not stop in time.
  Status Terminate(int timeout_ms, int* exit_code);

  // SIGKILL and reap.
  void Kill();

  // True until the child has been seen to exit.
  bool running();

  // Everything the child wrote to stderr so far.
  std::string Log() const;

 private:
  ExporterProcess(pid_t pid, std::unique_ptr<testing::TempDir> logs);

  Status WaitForListening();

  pid_t pid_;
  std::unique_ptr<testing::TempDir> logs_;
  int port_ = 0;
  bool exited_ = false;
  int exit_code_ = -1;
};

// Polls `done` every `period_ms` until it holds or `timeout_ms` passed.
// True when it held.
bool Eventually(const std::function<bool()>& done, int timeout_ms,
                int period_ms = 50);

}  // namespace ollama_exporter::integration
