// Memory benchmark: the resident memory of the real ollama_exporter binary
// polling a fake Ollama that lists 100 models installed and 100 loaded,
// scraped once a second as Prometheus would. Issue #2 target: < 30 MB
// after a day of polling (5,760 polls at 15 s).
//
//   memory_bench [--polls=N] [--models=N]
//
// The exporter polls at most every 100 ms, so a day of polls takes 9.6
// minutes; by default this runs 1,000 polls (about 100 s) and extrapolates
// the growth of the second half linearly to 5,760. --polls=5760 measures a
// whole day. The store lives in a fresh directory under /tmp, removed
// afterwards. Exit code 0 when the run completed (whatever the figures),
// 1 when it could not, 2 for bad arguments.

#include <stdlib.h>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"

#include "exporter_process.h"
#include "fake_ollama.h"
#include "keep_alive_client.h"
#include "memory_args.h"
#include "metrics_text.h"
#include "proc_status.h"

namespace ollama_exporter::bench {
namespace {

constexpr int64_t kDayPolls = 5760;
constexpr int64_t kIntervalMs = 100;  // The exporter's minimum.
constexpr auto kScrapeEvery = std::chrono::seconds(1);
constexpr double kMiB = 1024;  // In kB, as /proc reports.

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/oe_memory_bench_XXXXXX";
    if (mkdtemp(pattern) != nullptr) path_ = pattern;
  }

  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

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
  std::printf("%-34s polls=%5lld  VmRSS=%6.1f MiB  VmHWM=%6.1f MiB  "
              "threads=%lld\n",
              when, static_cast<long long>(polls), memory.rss / kMiB,
              memory.hwm / kMiB, static_cast<long long>(memory.threads));
}

// One /metrics scrape: the poll count and the store's size on disk.
Status Scrape(KeepAliveClient* client, const std::string& base_url,
              double* polls, double* disk_bytes) {
  std::string body;
  long http_status = 0;
  Status status = client->Get(base_url + "/metrics", &body, &http_status);
  if (status.ok() && http_status != 200) {
    status = Status::Unavailable("/metrics answered HTTP " +
                                 std::to_string(http_status));
  }
  if (status.ok()) {
    status = FindUnlabelledSample(body, "ollama_exporter_polls_total", polls);
  }
  if (status.ok()) {
    status = FindUnlabelledSample(body, "ollama_exporter_storage_disk_bytes",
                                  disk_bytes);
  }
  return status;
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
  std::printf("\nresident memory by mapping (top 12 of %zu):\n",
              sorted.size());
  for (size_t i = 0; i < sorted.size() && i < 12; ++i) {
    std::printf("  %8.2f MiB  %s\n", sorted[i].first / kMiB,
                sorted[i].second.c_str());
  }
}

void PrintRollup(pid_t pid) {
  std::string text;
  if (!ReadProcFile(pid, "smaps_rollup", &text).ok()) return;
  std::printf("\nsmaps_rollup:");
  for (const char* field : {"Rss", "Pss", "Pss_Anon", "Pss_File",
                            "Shared_Clean", "Private_Clean", "Private_Dirty",
                            "Anonymous"}) {
    int64_t kib = 0;
    if (FindProcField(text, field, &kib).ok()) {
      std::printf(" %s=%.1fMiB", field, kib / kMiB);
    }
  }
  std::printf("\n");
}

Status Measure(const MemoryArgs& args) {
  std::unique_ptr<FakeOllama> ollama;
  Status status =
      FakeOllama::Start(MakeFakeOllamaReplies(args.models), &ollama);
  if (!status.ok()) return status;
  TempDir dir;
  if (dir.path().empty()) return Status::Unavailable("cannot make a temp dir");

  std::unique_ptr<ExporterProcess> exporter;
  status = ExporterProcess::Start(
      {OE_EXPORTER_BINARY, "--ollama.url=" + ollama->url(),
       "--scrape.interval=" + std::to_string(kIntervalMs) + "ms",
       "--web.listen-address=127.0.0.1:0",
       "--storage.path=" + dir.path() + "/data", "--log.format=json",
       "--log.level=info"},
      dir.path() + "/exporter.log", &exporter);
  if (!status.ok()) return status;
  const pid_t pid = exporter->pid();
  const std::string base_url = "http://" + exporter->address();
  std::printf("exporter pid %d on %s, fake Ollama with %lld models on %s\n",
              static_cast<int>(pid), exporter->address().c_str(),
              static_cast<long long>(args.models), ollama->url().c_str());

  Memory memory;
  status = ReadMemory(pid, &memory);
  if (!status.ok()) return status;
  PrintMemory("started (store open, no poll yet)", 0, memory);

  // Scrape like Prometheus until the poll count is reached; the deadline
  // allows for a loaded machine doubling the interval.
  KeepAliveClient client;
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::milliseconds(2 * args.polls * kIntervalMs + 30'000);
  std::vector<std::pair<double, double>> checkpoints;
  double polls = 0;
  double disk_bytes = 0;
  bool printed_first = false;
  int64_t next_report = args.polls / 10;
  while (polls < args.polls) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::DeadlineExceeded(
          "only " + std::to_string(static_cast<int64_t>(polls)) + " of " +
          std::to_string(args.polls) + " polls before the deadline");
    }
    std::this_thread::sleep_for(kScrapeEvery);
    if (!exporter->Running()) {
      return Status::FailedPrecondition("the exporter exited; see its log");
    }
    status = Scrape(&client, base_url, &polls, &disk_bytes);
    if (status.ok()) status = ReadMemory(pid, &memory);
    if (!status.ok()) return status;
    checkpoints.emplace_back(polls, static_cast<double>(memory.rss));
    if (!printed_first && polls >= 1) {
      PrintMemory("after the first polls", static_cast<int64_t>(polls),
                  memory);
      printed_first = true;
    }
    if (polls >= next_report && polls < args.polls) {
      PrintMemory("polling", static_cast<int64_t>(polls), memory);
      next_report += args.polls / 10;
    }
  }
  PrintMemory("after the polls", static_cast<int64_t>(polls), memory);
  std::printf("store on disk: %.1f MiB\n", disk_bytes / (1024 * 1024));

  // The dashboard's largest question, then the figures again.
  std::string body;
  long http_status = 0;
  status = client.Get(base_url + "/api/ollama/history?hours=24&limit=5000",
                      &body, &http_status);
  if (status.ok() && http_status != 200) {
    status = Status::Internal("history answered HTTP " +
                              std::to_string(http_status));
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
    const double projected = memory.rss + slope * (kDayPolls - polls);
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
  curl_global_init(CURL_GLOBAL_ALL);
  status = Measure(args);
  curl_global_cleanup();
  if (!status.ok()) {
    std::fprintf(stderr, "memory_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
