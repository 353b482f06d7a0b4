#include "exporter_process.h"

#include <signal.h>

#include <chrono>
#include <regex>
#include <thread>

#include "subprocess.h"

namespace ollama_exporter::integration {
namespace {

// The last `max` bytes of a log, enough to see why something failed.
std::string Tail(const std::string& text, size_t max = 4000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

}  // namespace

std::vector<std::string> ExporterCommandLine(const ExporterOptions& options) {
  std::vector<std::string> args = {
      options.binary,
      "--web.listen-address=" + options.listen_address,
      "--ollama.url=" + options.ollama_url,
      "--storage.path=" + options.storage_path,
      "--scrape.interval=" + options.scrape_interval,
      "--scrape.timeout=" + options.scrape_timeout,
  };
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  return args;
}

Status ExporterProcess::Start(const ExporterOptions& options,
                              std::unique_ptr<ExporterProcess>* process) {
  std::unique_ptr<testing::TempDir> logs;
  Status status = testing::TempDir::Create("oe-exporter-log", &logs);
  if (!status.ok()) return status;
  const std::string stdout_path = logs->File("stdout");
  const std::string stderr_path = logs->File("stderr");

  pid_t pid = 0;
  const std::vector<std::string> argv = ExporterCommandLine(options);
  status =
      options.without_proxies
          ? SpawnWithEnvironment(argv, EnvironmentWithoutProxies(), "/dev/null",
                                 stdout_path, stderr_path, &pid)
          : Spawn(argv, "/dev/null", stdout_path, stderr_path, &pid);
  if (!status.ok()) return status;
  std::unique_ptr<ExporterProcess> started(
      new ExporterProcess(pid, std::move(logs)));
  status = started->WaitForListening();
  if (!status.ok()) return status;
  *process = std::move(started);
  return Status::Ok();
}

ExporterProcess::ExporterProcess(pid_t pid,
                                 std::unique_ptr<testing::TempDir> logs)
    : pid_(pid), logs_(std::move(logs)) {}

ExporterProcess::~ExporterProcess() { Kill(); }

Status ExporterProcess::WaitForListening() {
  static const std::regex kListening(
      R"(msg=listening address="?127\.0\.0\.1:([0-9]{1,5}))");
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(kStartTimeoutMs);
  while (true) {
    const std::string log = Log();
    std::smatch match;
    if (std::regex_search(log, match, kListening)) {
      port_ = std::stoi(match[1].str());
      return Status::Ok();
    }
    if (!running()) {
      return Status::FailedPrecondition(
          "exporter exited with code " + std::to_string(exit_code_) +
          " before listening; log:\n" + Tail(Log()));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      Kill();
      return Status::DeadlineExceeded("no \"msg=listening\" line within " +
                                      std::to_string(kStartTimeoutMs) +
                                      " ms; log:\n" + Tail(Log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status ExporterProcess::Get(std::string_view path_and_query, HttpReply* reply,
                            int timeout_ms) const {
  return HttpGet(
      "http://127.0.0.1:" + std::to_string(port_) + std::string(path_and_query),
      timeout_ms, reply);
}

Status ExporterProcess::Metrics(MetricsText* metrics, std::string* body) const {
  HttpReply reply;
  Status status = Get("/metrics", &reply);
  if (!status.ok()) return status;
  if (reply.status != 200) {
    return Status::FailedPrecondition("/metrics answered " +
                                      std::to_string(reply.status) + ": " +
                                      Tail(reply.body));
  }
  status = MetricsText::Parse(reply.body, metrics);
  if (!status.ok()) {
    return Status::FailedPrecondition(status.ToString() + "; body:\n" +
                                      Tail(reply.body));
  }
  if (body != nullptr) *body = std::move(reply.body);
  return Status::Ok();
}

Status ExporterProcess::WaitForMetrics(
    const std::function<bool(const MetricsText&)>& done, int timeout_ms,
    MetricsText* last) const {
  std::string body;
  Status last_status;
  MetricsText metrics;
  const bool held = Eventually(
      [&] {
        last_status = Metrics(&metrics, &body);
        return last_status.ok() && done(metrics);
      },
      timeout_ms);
  if (last != nullptr) *last = metrics;
  if (held) return Status::Ok();
  return Status::DeadlineExceeded(
      "condition not met within " + std::to_string(timeout_ms) +
      " ms; last /metrics: " +
      (last_status.ok() ? "\n" + Tail(body, 8000) : last_status.ToString()));
}

Status ExporterProcess::Terminate(int timeout_ms, int* exit_code) {
  if (!running()) {
    *exit_code = exit_code_;
    return Status::Ok();
  }
  kill(pid_, SIGTERM);
  if (WaitForExit(pid_, timeout_ms, &exit_code_)) {
    exited_ = true;
    *exit_code = exit_code_;
    return Status::Ok();
  }
  Kill();
  return Status::DeadlineExceeded(
      "exporter still ran " + std::to_string(timeout_ms) + " ms after SIGTERM");
}

void ExporterProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  exited_ = WaitForExit(pid_, 10000, &exit_code_);
}

bool ExporterProcess::running() {
  if (!exited_) exited_ = WaitForExit(pid_, 0, &exit_code_);
  return !exited_;
}

std::string ExporterProcess::Log() const {
  return ReadFileText(logs_->File("stderr"));
}

bool Eventually(const std::function<bool()>& done, int timeout_ms,
                int period_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(period_ms));
  }
}

}  // namespace ollama_exporter::integration
