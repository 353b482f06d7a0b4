#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::bench {

// The address in the exporter's JSON log line {"msg":"listening",
// "address":"127.0.0.1:PORT",...}, searched for in `log` (one JSON object
// per line; other lines, malformed ones included, are skipped). kNotFound
// when no such line has a string address.
[[nodiscard]] Status FindListeningAddress(std::string_view log,
                                          std::string* address);

// The real ollama_exporter binary running as a child process, logging JSON
// to a file.
//
// Thread safety: one thread.
// Ownership: owns the child; destruction stops it (SIGTERM, then SIGKILL
// after 10 s) and reaps it.
class ExporterProcess {
 public:
  // Runs `argv` (the binary first; it must include --log.format=json) with
  // stdout discarded and stderr written to `log_path`, and waits up to 10 s
  // for its "listening" line. kUnavailable when it cannot be started,
  // kFailedPrecondition (quoting the log) when it exits first,
  // kDeadlineExceeded when the line never comes. On error the child is
  // gone and *process unchanged.
  [[nodiscard]] static Status Start(const std::vector<std::string>& argv,
                                    const std::string& log_path,
                                    std::unique_ptr<ExporterProcess>* process);

  ~ExporterProcess();
  ExporterProcess(const ExporterProcess&) = delete;
  ExporterProcess& operator=(const ExporterProcess&) = delete;

  pid_t pid() const { return pid_; }

  // "127.0.0.1:PORT", as logged.
  const std::string& address() const { return address_; }

  // True while the child has not exited.
  bool Running();

 private:
  ExporterProcess(pid_t pid, std::string log_path);

  // SIGTERM, up to 10 s for the exit, then SIGKILL; reaps the child.
  void Stop();

  pid_t pid_;
  bool reaped_ = false;
  std::string log_path_;
  std::string address_;
};

}  // namespace ollama_exporter::bench
