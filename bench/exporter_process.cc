#include "exporter_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

extern char** environ;

namespace ollama_exporter::bench {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(10);
constexpr auto kPollPause = std::chrono::milliseconds(20);

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// The last non-empty line, for error messages.
std::string LastLine(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  const size_t newline = text.rfind('\n');
  return std::string(
      newline == std::string_view::npos ? text : text.substr(newline + 1));
}

}  // namespace

Status FindListeningAddress(std::string_view log, std::string* address) {
  while (!log.empty()) {
    const size_t end = log.find('\n');
    const std::string_view line = log.substr(0, end);
    log.remove_prefix(end == std::string_view::npos ? log.size() : end + 1);
    const auto event = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (event.is_discarded() || !event.is_object()) continue;
    const auto msg = event.find("msg");
    const auto bound = event.find("address");
    if (msg == event.end() || *msg != "listening" || bound == event.end() ||
        !bound->is_string()) {
      continue;
    }
    *address = bound->get<std::string>();
    return Status::Ok();
  }
  return Status::NotFound("no \"listening\" line with an address");
}

ExporterProcess::ExporterProcess(pid_t pid, std::string log_path)
    : pid_(pid), log_path_(std::move(log_path)) {}

ExporterProcess::~ExporterProcess() { Stop(); }

Status ExporterProcess::Start(const std::vector<std::string>& argv,
                              const std::string& log_path,
                              std::unique_ptr<ExporterProcess>* process) {
  if (argv.empty()) return Status::InvalidArgument("no binary to run");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr,
                                args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return Status::Unavailable("cannot run " + argv[0] + ": " +
                               std::strerror(error));
  }

  // From here the child is stopped on every error path.
  std::unique_ptr<ExporterProcess> child(new ExporterProcess(pid, log_path));
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string log = ReadWholeFile(log_path);
    if (FindListeningAddress(log, &child->address_).ok()) {
      *process = std::move(child);
      return Status::Ok();
    }
    if (!child->Running()) {
      return Status::FailedPrecondition(argv[0] + " exited at start: " +
                                        LastLine(log));
    }
    std::this_thread::sleep_for(kPollPause);
  }
  return Status::DeadlineExceeded(argv[0] + " did not log \"listening\" in " +
                                  std::to_string(kStartTimeout.count()) +
                                  " s");
}

bool ExporterProcess::Running() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

void ExporterProcess::Stop() {
  if (!Running()) return;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  while (Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kPollPause);
  }
  if (!Running()) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  reaped_ = true;
}

}  // namespace ollama_exporter::bench
