#include "subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "testing/temp_dir.h"

namespace ollama_exporter::integration {

namespace {

// The null-terminated array exec takes, pointing into `strings`.
std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const std::string& text : strings) {
    pointers.push_back(const_cast<char*>(text.c_str()));
  }
  pointers.push_back(nullptr);
  return pointers;
}

Status SpawnWithEnvp(const std::vector<std::string>& argv, char* const* envp,
                     const std::string& stdin_path,
                     const std::string& stdout_path,
                     const std::string& stderr_path, pid_t* pid) {
  if (argv.empty()) return Status::InvalidArgument("no program to run");
  std::vector<char*> args = CStrings(argv);
  const pid_t parent = getpid();

  const pid_t child = fork();
  if (child < 0) {
    return Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  }
  if (child == 0) {
    // The child of a threaded process: async-signal-safe calls only.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
      _exit(126);
    }

    struct sigaction default_action {};

    default_action.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &default_action, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);

    const int in = open(stdin_path.c_str(), O_RDONLY);
    const int out =
        open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err =
        open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(err, 2) < 0) {
      _exit(126);
    }
    close_range(3, ~0U, 0);
    execve(args[0], args.data(), envp);
    _exit(127);
  }
  *pid = child;
  return Status::Ok();
}

}  // namespace

Status Spawn(const std::vector<std::string>& argv,
             const std::string& stdin_path, const std::string& stdout_path,
             const std::string& stderr_path, pid_t* pid) {
  return SpawnWithEnvp(argv, environ, stdin_path, stdout_path, stderr_path,
                       pid);
}

Status SpawnWithEnvironment(const std::vector<std::string>& argv,
                            const std::vector<std::string>& environment,
                            const std::string& stdin_path,
                            const std::string& stdout_path,
                            const std::string& stderr_path, pid_t* pid) {
  std::vector<char*> envp = CStrings(environment);
  return SpawnWithEnvp(argv, envp.data(), stdin_path, stdout_path, stderr_path,
                       pid);
}

std::vector<std::string> EnvironmentWithoutProxies() {
  static constexpr std::string_view kSuffix = "_proxy";
  std::vector<std::string> kept;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable = *entry;
    const std::string_view name = variable.substr(0, variable.find('='));
    const bool proxy = name.size() >= kSuffix.size() &&
                       strncasecmp(name.data() + name.size() - kSuffix.size(),
                                   kSuffix.data(), kSuffix.size()) == 0;
    if (!proxy) kept.emplace_back(variable);
  }
  return kept;
}

bool WaitForExit(pid_t pid, int timeout_ms, int* exit_code) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      *exit_code =
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return true;
    }
    if (done < 0 && errno != EINTR) {
      *exit_code = -1;  // Not our child, or reaped already.
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Status RunProcess(const std::vector<std::string>& argv, std::string_view input,
                  int timeout_ms, ProcessResult* result) {
  std::unique_ptr<testing::TempDir> dir;
  Status status = testing::TempDir::Create("oe-run", &dir);
  if (!status.ok()) return status;
  const std::string in = dir->File("stdin");
  const std::string out = dir->File("stdout");
  const std::string err = dir->File("stderr");
  {
    std::ofstream file(in, std::ios::binary);
    file.write(input.data(), static_cast<std::streamsize>(input.size()));
    if (!file) return Status::Unavailable("cannot write " + in);
  }

  pid_t pid = 0;
  status = Spawn(argv, in, out, err, &pid);
  if (!status.ok()) return status;
  const bool exited = WaitForExit(pid, timeout_ms, &result->exit_code);
  if (!exited) {
    kill(pid, SIGKILL);
    WaitForExit(pid, 5000, &result->exit_code);
  }
  result->out = ReadFileText(out);
  result->err = ReadFileText(err);
  if (!exited) {
    return Status::DeadlineExceeded(argv[0] + " still ran after " +
                                    std::to_string(timeout_ms) + " ms");
  }
  return Status::Ok();
}

std::string ReadFileText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace ollama_exporter::integration
