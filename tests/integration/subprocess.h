#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::integration {

// Starts argv[0] (a path, not searched in PATH) with `argv`, stdin, stdout
// and stderr opened from the given files (stdout/stderr created or
// truncated), no other inherited descriptors, and SIGKILL when this
// process dies. kUnavailable when fork fails; an exec failure shows as
// exit code 127. Safe to call while other threads run.
Status Spawn(const std::vector<std::string>& argv,
             const std::string& stdin_path, const std::string& stdout_path,
             const std::string& stderr_path, pid_t* pid);

// As Spawn, with exactly `environment` ("NAME=value" entries) instead of
// this process's.
[[nodiscard]] Status SpawnWithEnvironment(
    const std::vector<std::string>& argv,
    const std::vector<std::string>& environment, const std::string& stdin_path,
    const std::string& stdout_path, const std::string& stderr_path, pid_t* pid);

// This process's environment without the variables whose names end in
// "_proxy" in any case (http_proxy, HTTPS_PROXY, no_proxy, ...): libcurl
// in a child would send even its requests to 127.0.0.1 through a proxy
// named there.
std::vector<std::string> EnvironmentWithoutProxies();

// Waits up to `timeout_ms` (0: just checks) for child `pid` to end. True
// and *exit_code set when it did: the exit status, or 128 + the signal
// number when a signal ended it. False when it still runs.
bool WaitForExit(pid_t pid, int timeout_ms, int* exit_code);

// What a finished process left behind.
struct ProcessResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv with `input` on stdin and waits up to `timeout_ms`.
// kDeadlineExceeded (after SIGKILL, with what it wrote so far in
// *result) when it runs longer; kUnavailable when it cannot start.
Status RunProcess(const std::vector<std::string>& argv, std::string_view input,
                  int timeout_ms, ProcessResult* result);

// The whole file, or "" when it cannot be read.
std::string ReadFileText(const std::string& path);

}  // namespace ollama_exporter::integration
