#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ollama_exporter::tsdb::testing {

// A helper program run for a test, with pipes to its stdin and stdout.
// It is started with posix_spawn (fork and exec) rather than a bare fork,
// because RocksDB's in-process state (the table of held LOCK files, thread
// pools) must not be inherited: the child has to be a real second process.
//
// Thread safety: one thread. Destruction kills and reaps a child that is
// still running.
class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`. False when it cannot be started.
  bool Start(const std::vector<std::string>& argv);

  ~ChildProcess();

  // Reads one line of the child's stdout (without the newline), waiting at
  // most `timeout_ms`. False on timeout or end of output.
  bool ReadLine(int timeout_ms, std::string* line);

  // Closes the child's stdin, which the helper takes as "stop".
  void CloseStdin();

  // Sends SIGKILL.
  void Kill();

  // Waits for exit; the raw waitpid status, or -1.
  int Wait();

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::string buffered_;
};

}  // namespace ollama_exporter::tsdb::testing
