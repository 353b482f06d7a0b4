// Memory benchmark: the resident memory of the real ollama_exporter binary
// polling a fake Ollama that lists 100 models installed and 100 loaded,
// scraped once a second as Prometheus would. Issue #2 target: < 30 MB
// after a day of polling (5,760 polls at 15 s).
//
//   memory_bench [--polls=N] [--models=N]
//
// The exporter polls at most every 100 ms, so a day of polls takes 10 to
// 13 minutes; by default this runs 800 polls (under two minutes) and
// extrapolates the growth of the second half linearly to 5,760.
// --polls=5760 measures a whole day. The store lives in a fresh directory
// under $TMPDIR (or /tmp), removed afterwards. Exit code 0 when the run
// completed (whatever the figures), 1 when it could not, 2 for bad
// arguments.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"

#include "exporter_process.h"
#include "fake_ollama.h"
#include "http_get.h"
#include "memory_args.h"
#include "metrics_text.h"
#include "model_fleet.h"
#include "proc_status.h"
#include "testing/temp_dir.h"

namespace ollama_exporter::bench {
namespace {

constexpr int64_t kDayPolls = 5760;
constexpr int64_t kIntervalMs = 100;  // The exporter's minimum.
constexpr auto kScrapeEvery = std::chrono::seconds(1);
constexpr double kMiB = 1024;  // In kB, as /proc reports.
constexpr int kRequestTimeoutMs = 10'000;

// What /proc/<pid>/status says about memory, in kB.
struct Memory {
  int64_t rss = 0;
  int64_t hwm = 0;
  int64_t threads = 0;
};

Status ReadMemory(pid_t pid, Memory* memory) {
  std::string status;
  Status result = ReadProcFile(pid, "status", &status);
  if (result.ok()) result = FindProcField(status, "VmRSS", &memory->rss);
  if (result.ok()) result = FindProcField(status, "VmHWM", &memory->hwm);
  if (result.ok()) result = FindProcField(status, "Threads", &memory->threads);
  return result;
}

void PrintMemory(const char* when, int64_t polls, const Memory& memory) {
  std::printf(
      "%-34s polls=%5lld  VmRSS=%6.1f MiB  VmHWM=%6.1f MiB  "
      "threads=%lld\n",
      when, static_cast<long long>(polls), memory.rss / kMiB, memory.hwm / kMiB,
      static_cast<long long>(memory.threads));
}

// One /metrics scrape: the poll count and the store's size on disk.
// kFailedPrecondition once a poll has completed without the exporter
// reporting `models` models installed and loaded: the figures would not be
// those of the fleet.
Status Scrape(integration::HttpClient* client, const std::string& base_url,
              int64_t models, double* polls, double* disk_bytes) {
  integration::HttpReply reply;
  Status status = client->Get(base_url + "/metrics", kRequestTimeoutMs, &reply);
  if (!status.ok()) return status;
  if (reply.status != 200) {
    return Status::Unavailable("/metrics answered HTTP " +
                               std::to_string(reply.status));
  }
  integration::MetricsText metrics;
  status = integration::MetricsText::Parse(reply.body, &metrics);
  if (!status.ok()) return status;
  const std::optional<double> polled =
      metrics.Value("ollama_exporter_polls_total");
  const std::optional<double> disk =
      metrics.Value("ollama_exporter_storage_disk_bytes");
  if (!polled || !disk) {
    return Status::NotFound(
        "/metrics lacks ollama_exporter_polls_total or "
        "ollama_exporter_storage_disk_bytes");
  }
  const double expected = static_cast<double>(models);
  if (*polled > 0 && (metrics.Value("ollama_models_installed") != expected ||
                      metrics.Value("ollama_models_loaded") != expected)) {
    return Status::FailedPrecondition("the exporter does not report " +
                                      std::to_string(models) +
                                      " models installed and loaded");
  }
  *polls = *polled;
  *disk_bytes = *disk;
  return Status::Ok();
}

// Least-squares slope of rss over polls, in kB per poll.
double Slope(const std::vector<std::pair<double, double>>& points) {
  double mean_x = 0;
  double mean_y = 0;
  for (const auto& [x, y] : points) {
    mean_x += x;
    mean_y += y;
  }
  mean_x /= points.size();
  mean_y /= points.size();
  double covariance = 0;
  double variance = 0;
  for (const auto& [x, y] : points) {
    covariance += (x - mean_x) * (y - mean_y);
    variance += (x - mean_x) * (x - mean_x);
  }
  return variance > 0 ? covariance / variance : 0;
}

// Resident kB per mapping group: each file, anonymous memory (heap, thread
// stacks, RocksDB's arenas and caches), largest first.
void PrintMappings(pid_t pid) {
  std::string text;
  std::vector<Mapping> mappings;
  Status status = ReadProcFile(pid, "smaps", &text);
  if (status.ok()) status = ParseSmaps(text, &mappings);
  if (!status.ok()) {
    std::printf("smaps: %s\n", status.ToString().c_str());
    return;
  }
  std::map<std::string, int64_t> groups;
  for (const Mapping& mapping : mappings) {
    const std::string name =
        mapping.path.empty() ? "[anonymous]" : mapping.path;
    groups[name] += mapping.rss_kib;
  }
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& [name, kib] : groups) sorted.emplace_back(kib, name);
  std::sort(sorted.rbegin(), sorted.rend());
  std::printf("\nresident memory by mapping (top 12 of %zu):\n", sorted.size());
  for (size_t i = 0; i < sorted.size() && i < 12; ++i) {
    std::printf("  %8.2f MiB  %s\n", sorted[i].first / kMiB,
                sorted[i].second.c_str());
  }
}

void PrintRollup(pid_t pid) {
  std::string text;
  if (!ReadProcFile(pid, "smaps_rollup", &text).ok()) return;
  std::printf("\nsmaps_rollup:");
  for (const char* field :
       {"Rss", "Pss", "Pss_Anon", "Pss_File", "Shared_Clean", "Private_Clean",
        "Private_Dirty", "Anonymous"}) {
    int64_t kib = 0;
    if (FindProcField(text, field, &kib).ok()) {
      std::printf(" %s=%.1fMiB", field, kib / kMiB);
    }
  }
  std::printf("\n");
}

Status Measure(const MemoryArgs& args) {
  // Keep-alive, as Ollama's own server, so that the exporter's connection
  // handling is what it is in production.
  integration::FakeOllamaOptions ollama_options;
  ollama_options.keep_alive = true;
  std::unique_ptr<integration::FakeOllama> ollama;
  Status status = integration::FakeOllama::Start(ollama_options, &ollama);
  if (!status.ok()) return status;
  const ModelFleet fleet = MakeModelFleet(static_cast<int>(args.models));
  ollama->SetTagsJson(integration::TagsJson(fleet.installed));
  ollama->SetPsJson(integration::PsJson(fleet.loaded));
  std::unique_ptr<testing::TempDir> dir;
  status = testing::TempDir::Create("oe_memory_bench", &dir);
  if (!status.ok()) return status;

  integration::ExporterOptions options;
  options.binary = OE_EXPORTER_BINARY;
  options.ollama_url = ollama->url();
  options.storage_path = dir->File("data");
  options.scrape_interval = std::to_string(kIntervalMs) + "ms";
  options.scrape_timeout = options.scrape_interval;
  options.extra_args = {"--log.level=info"};
  options.without_proxies = true;
  std::unique_ptr<integration::ExporterProcess> exporter;
  status = integration::ExporterProcess::Start(options, &exporter);
  if (!status.ok()) return status;
  const pid_t pid = exporter->pid();
  const std::string base_url =
      "http://127.0.0.1:" + std::to_string(exporter->port());
  std::printf("exporter pid %d on %s, fake Ollama with %lld models on %s\n",
              static_cast<int>(pid), base_url.c_str(),
              static_cast<long long>(args.models), ollama->url().c_str());

  Memory memory;
  status = ReadMemory(pid, &memory);
  if (!status.ok()) return status;
  PrintMemory("at start (just listening)", 0, memory);

  // Scrape like Prometheus until the poll count is reached; the deadline
  // allows for a loaded machine doubling the interval.
  integration::HttpClient client;
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::milliseconds(2 * args.polls * kIntervalMs + 30'000);
  std::vector<std::pair<double, double>> checkpoints;
  double polls = 0;
  double disk_bytes = 0;
  bool printed_first = false;
  const int64_t report_every = std::max<int64_t>(1, args.polls / 10);
  int64_t next_report = report_every;
  while (polls < args.polls) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::DeadlineExceeded(
          "only " + std::to_string(static_cast<int64_t>(polls)) + " of " +
          std::to_string(args.polls) + " polls before the deadline");
    }
    std::this_thread::sleep_for(kScrapeEvery);
    if (!exporter->running()) {
      return Status::FailedPrecondition("the exporter exited; log:\n" +
                                        exporter->Log());
    }
    status = Scrape(&client, base_url, args.models, &polls, &disk_bytes);
    if (status.ok()) status = ReadMemory(pid, &memory);
    if (!status.ok()) return status;
    checkpoints.emplace_back(polls, static_cast<double>(memory.rss));
    if (!printed_first) {
      PrintMemory("after the first polls", static_cast<int64_t>(polls), memory);
      printed_first = true;
    } else if (polls >= next_report && polls < args.polls) {
      PrintMemory("polling", static_cast<int64_t>(polls), memory);
      next_report = static_cast<int64_t>(polls) + report_every;
    }
  }
  PrintMemory("after the polls", static_cast<int64_t>(polls), memory);
  const Memory after_polls = memory;
  std::printf("store on disk: %.1f MiB\n", disk_bytes / (1024 * 1024));

  // The dashboard's largest question, then the figures again.
  integration::HttpReply reply;
  status = client.Get(base_url + "/api/ollama/history?hours=24&limit=5000",
                      kRequestTimeoutMs, &reply);
  if (status.ok() && reply.status != 200) {
    status = Status::Internal("history answered HTTP " +
                              std::to_string(reply.status));
  }
  if (status.ok()) status = ReadMemory(pid, &memory);
  if (!status.ok()) return status;
  PrintMemory("after a 24 h history query", static_cast<int64_t>(polls),
              memory);

  if (polls < kDayPolls) {
    std::vector<std::pair<double, double>> late;
    for (const auto& point : checkpoints) {
      if (point.first >= polls / 2) late.push_back(point);
    }
    const double slope = Slope(late);
    const double projected = after_polls.rss + slope * (kDayPolls - polls);
    std::printf(
        "extrapolated to %lld polls: VmRSS ~%.1f MiB (%+.1f KiB per 100 "
        "polls, least squares over polls %.0f-%.0f)\n",
        static_cast<long long>(kDayPolls), projected / kMiB, slope * 100,
        late.front().first, late.back().first);
  }
  PrintRollup(pid);
  PrintMappings(pid);
  return Status::Ok();
}

}  // namespace
}  // namespace ollama_exporter::bench

int main(int argc, char** argv) {
  using namespace ollama_exporter::bench;
  MemoryArgs args;
  ollama_exporter::Status status =
      ParseMemoryArgs(std::vector<std::string>(argv + 1, argv + argc), &args);
  if (!status.ok()) {
    std::fprintf(stderr, "memory_bench: %s\n%s\n", status.message().c_str(),
                 kMemoryUsage);
    return 2;
  }
  // Line-buffered, so progress shows in a log while it runs.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  status = Measure(args);
  if (!status.ok()) {
    std::fprintf(stderr, "memory_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
