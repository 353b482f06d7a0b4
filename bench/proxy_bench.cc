// Proxy benchmark (issue #3, "Speed"): what the measuring proxy adds to
// requests, through the proxy versus straight to the upstream, on
// kept-alive connections as the client libraries use them:
//   - time to first byte, one request at a time (target: < 1 ms added at
//     p99), against the fake Ollama;
//   - per-chunk latency, chunk send time to arrival (target: < 100 us
//     added), against PacedUpstream, which stamps each chunk's send time;
//   - streamed throughput of 64 concurrent streams (target: >= 90% of
//     direct), against the fake Ollama, unpaced and paced.
// Direct and proxied runs alternate, with the same client code, so that
// other load on the machine hits both alike. A plain program, not Google
// Benchmark: it runs the fake and the exporter as processes and reports
// percentiles and CPU use.
//
//   proxy_bench [--requests=N] [--chunk-streams=N] [--seconds=S]
//
//   --requests       first-byte samples per path (default 1000)
//   --chunk-streams  paced streams of 50 chunks per path (default 40)
//   --seconds        each throughput run (default 3); two per path
//
// Exit 0 after printing the table (missed targets are shown, not failed),
// 1 when a run fails, 2 for bad flags.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "common/status.h"

#include "exporter_process.h"
#include "paced_upstream.h"
#include "proc_status.h"
#include "proxy_rig.h"
#include "stream_load.h"
#include "stream_probe.h"
#include "subprocess.h"
#include "testing/loopback_port.h"
#include "testing/temp_dir.h"

namespace ollama_exporter::bench {
namespace {

constexpr char kUsage[] =
    "usage: proxy_bench [--requests=N (10-1000000, default 1000)] "
    "[--chunk-streams=N (1-10000, default 40)] "
    "[--seconds=S (0.1-60, default 3)]\n";

constexpr int kStreams = 64;
constexpr int kPacedChunks = 50;
constexpr int kPacedDelayUs = 2000;
constexpr int kStartTimeoutMs = 5000;
constexpr char kGenerate[] =
    R"({"model":"qwen3:8b","prompt":"Why is the sky blue?","stream":true})";

struct Flags {
  int requests = 1000;
  int chunk_streams = 40;
  double seconds = 3;
};

// Reads "--name=value" flags; false (after a message) on anything else.
bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const char* value = equals == std::string::npos ? "" : argv[i] + equals + 1;
    char* end = nullptr;
    const double number = std::strtod(value, &end);
    const bool numeric = *value != '\0' && *end == '\0';
    if (name == "--requests" && numeric && number >= 10 && number <= 1e6) {
      flags->requests = static_cast<int>(number);
    } else if (name == "--chunk-streams" && numeric && number >= 1 &&
               number <= 1e4) {
      flags->chunk_streams = static_cast<int>(number);
    } else if (name == "--seconds" && numeric && number >= 0.1 &&
               number <= 60) {
      flags->seconds = number;
    } else {
      std::fprintf(stderr, "proxy_bench: bad argument %s\n%s", arg.c_str(),
                   kUsage);
      return false;
    }
  }
  return true;
}

// The fake Ollama as a process of its own, so that its CPU use shows.
struct FakeProcess {
  pid_t pid = -1;
  std::string url;

  ~FakeProcess() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int exit_code = 0;
    if (!integration::WaitForExit(pid, 3000, &exit_code)) kill(pid, SIGKILL);
  }
};

Status StartFake(const testing::TempDir& dir, FakeProcess* fake) {
  const std::string out = dir.File("fake.out");
  Status status = integration::SpawnWithEnvironment(
      {OE_FAKE_OLLAMA_SERVER, "--port=0"},
      integration::EnvironmentWithoutProxies(), "/dev/null", out,
      dir.File("fake.err"), &fake->pid);
  if (!status.ok()) return status;
  const bool printed = integration::Eventually(
      [&] {
        const std::string text = integration::ReadFileText(out);
        if (text.find('\n') == std::string::npos) return false;
        fake->url = text.substr(0, text.find('\n'));
        return true;
      },
      kStartTimeoutMs, 10);
  if (!printed) return Status::DeadlineExceeded("fake_ollama_server: no URL");
  return Status::Ok();
}

// An exporter whose proxy relays to `upstream_url` from *proxy_url.
Status StartProxy(const testing::TempDir& dir, const std::string& name,
                  const std::string& upstream_url,
                  std::unique_ptr<integration::ExporterProcess>* exporter,
                  std::string* proxy_url) {
  int port = 0;
  Status status = testing::PickFreeLoopbackPort(&port);
  if (!status.ok()) return status;
  integration::ExporterOptions options;
  options.binary = OE_EXPORTER_BINARY;
  options.ollama_url = upstream_url;
  options.storage_path = dir.File(name);
  options.scrape_interval = "15s";
  options.scrape_timeout = "5s";
  options.without_proxies = true;
  const std::string address = "127.0.0.1:" + std::to_string(port);
  options.extra_args = {"--proxy.listen-address=" + address};
  status = integration::ExporterProcess::Start(options, exporter);
  if (status.ok()) *proxy_url = "http://" + address;
  return status;
}

// Sets the fake's inference script (POST /fake/script).
Status SetScript(const std::string& fake_url, const std::string& script) {
  StreamProbe probe;
  return probe.Post(fake_url + "/fake/script", script,
                    [](int64_t, std::string_view) {});
}

// Notes on stderr how long the phase before took, so that a slow run
// shows where its time went.
void LogPhase(const char* phase, std::chrono::steady_clock::time_point* since) {
  const auto now = std::chrono::steady_clock::now();
  std::fprintf(stderr, "proxy_bench: %s took %.1f s\n", phase,
               std::chrono::duration<double>(now - *since).count());
  *since = now;
}

// The p-th percentile (0-100) of `values`, nearest rank.
double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(p / 100 * values.size());
  return values[std::min(rank, values.size() - 1)];
}

struct Quantiles {
  double p50 = 0;
  double p99 = 0;
};

Quantiles QuantilesOf(const std::vector<double>& values) {
  return {Percentile(values, 50), Percentile(values, 99)};
}

// Microseconds from the request's start to the first body byte, for
// `count` requests on each path, alternating.
Status MeasureFirstByte(const std::string& direct_url,
                        const std::string& proxy_url, int count,
                        std::vector<double>* direct,
                        std::vector<double>* proxied) {
  StreamProbe direct_probe;
  StreamProbe proxy_probe;
  const int warm_up = 50;
  for (int i = 0; i < warm_up + count; ++i) {
    for (bool through_proxy : {false, true}) {
      const int64_t start = SteadyNanos();
      int64_t first = -1;
      StreamProbe& probe = through_proxy ? proxy_probe : direct_probe;
      Status status =
          probe.Post((through_proxy ? proxy_url : direct_url) + "/api/generate",
                     kGenerate, [&first](int64_t arrival, std::string_view) {
                       if (first < 0) first = arrival;
                     });
      if (!status.ok()) return status;
      if (i < warm_up) continue;
      (through_proxy ? proxied : direct)->push_back((first - start) / 1e3);
    }
  }
  return Status::Ok();
}

// Microseconds from each paced chunk's send to its arrival, for `count`
// streams on each path, alternating.
Status MeasureChunkLatency(const std::string& direct_url,
                           const std::string& proxy_url, int count,
                           std::vector<double>* direct,
                           std::vector<double>* proxied) {
  StreamProbe direct_probe;
  StreamProbe proxy_probe;
  for (int i = 0; i < count; ++i) {
    for (bool through_proxy : {false, true}) {
      std::vector<double>* latencies = through_proxy ? proxied : direct;
      std::string pending;
      size_t lines = 0;
      Status status =
          (through_proxy ? proxy_probe : direct_probe)
              .Post((through_proxy ? proxy_url : direct_url) + "/api/generate",
                    kGenerate, [&](int64_t arrival, std::string_view bytes) {
                      pending.append(bytes.data(), bytes.size());
                      size_t end = 0;
                      while ((end = pending.find('\n')) != std::string::npos) {
                        const int64_t sent = SentNanos(pending.substr(0, end));
                        if (sent >= 0) {
                          latencies->push_back((arrival - sent) / 1e3);
                          ++lines;
                        }
                        pending.erase(0, end + 1);
                      }
                    });
      if (!status.ok()) return status;
      if (lines != kPacedChunks) {
        return Status::Internal("a paced stream brought " +
                                std::to_string(lines) + " chunks");
      }
    }
  }
  return Status::Ok();
}

// CPU seconds (user + system) process `pid` has used so far.
double CpuSeconds(pid_t pid) {
  std::string stat;
  if (!ReadProcFile(pid, "stat", &stat).ok()) return 0;
  // Fields after the command's closing parenthesis: state, then numbers,
  // of which utime and stime are the 12th and 13th field.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 1));
  std::string state;
  fields >> state;
  double ticks = 0;
  for (int field = 2; field <= 13; ++field) {
    double value = 0;
    if (!(fields >> value)) return 0;
    if (field >= 12) ticks += value;
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct LoadRow {
  StreamLoadResult best;
  double fake_cpu = 0;   // Cores used by the fake during the best run.
  double proxy_cpu = 0;  // Cores used by the exporter.
};

// Two runs of `seconds` per path, alternating; each path keeps its best.
Status MeasureLoad(const std::string& direct_url, const std::string& proxy_url,
                   double seconds, pid_t fake_pid, pid_t exporter_pid,
                   LoadRow* direct, LoadRow* proxied) {
  for (int round = 0; round < 2; ++round) {
    for (bool through_proxy : {false, true}) {
      const double fake_before = CpuSeconds(fake_pid);
      const double proxy_before = CpuSeconds(exporter_pid);
      StreamLoadResult result;
      Status status = RunStreamLoad(
          (through_proxy ? proxy_url : direct_url) + "/api/generate", kGenerate,
          kStreams, seconds, &result);
      if (!status.ok()) return status;
      LoadRow* row = through_proxy ? proxied : direct;
      if (result.bytes / result.seconds <=
          row->best.bytes / std::max(row->best.seconds, 1e-9)) {
        continue;
      }
      row->best = result;
      row->fake_cpu = (CpuSeconds(fake_pid) - fake_before) / result.seconds;
      row->proxy_cpu =
          (CpuSeconds(exporter_pid) - proxy_before) / result.seconds;
    }
  }
  return Status::Ok();
}

void PrintLatencyRow(const char* what, const Quantiles& direct,
                     const Quantiles& proxied, const char* target) {
  std::printf("| %s p50 | %.0f us | %.0f us | %+.0f us | |\n", what, direct.p50,
              proxied.p50, proxied.p50 - direct.p50);
  std::printf("| %s p99 | %.0f us | %.0f us | %+.0f us | %s |\n", what,
              direct.p99, proxied.p99, proxied.p99 - direct.p99, target);
}

void PrintLoadRow(const char* what, const LoadRow& direct,
                  const LoadRow& proxied) {
  const double direct_rate = direct.best.bytes / direct.best.seconds / 1e6;
  const double proxy_rate = proxied.best.bytes / proxied.best.seconds / 1e6;
  std::printf(
      "| %s | %.1f MB/s (%.0f streams/s; fake %.2f cores) | %.1f MB/s "
      "(%.0f streams/s; fake %.2f, exporter %.2f cores) | %.0f%% of direct "
      "| >= 90%% |\n",
      what, direct_rate, direct.best.completed / direct.best.seconds,
      direct.fake_cpu, proxy_rate,
      proxied.best.completed / proxied.best.seconds, proxied.fake_cpu,
      proxied.proxy_cpu, 100 * proxy_rate / direct_rate);
}

int Run(const Flags& flags) {
  auto phase_start = std::chrono::steady_clock::now();
  std::unique_ptr<testing::TempDir> dir;
  FakeProcess fake;
  std::unique_ptr<PacedUpstream> paced;
  std::unique_ptr<integration::ExporterProcess> fake_proxy;
  std::unique_ptr<integration::ExporterProcess> paced_proxy;
  std::string fake_proxy_url;
  std::string paced_proxy_url;
  Status status = testing::TempDir::Create("oe_proxy_bench", &dir);
  if (status.ok()) status = StartFake(*dir, &fake);
  if (status.ok())
    status = PacedUpstream::Start(kPacedChunks, kPacedDelayUs, &paced);
  if (status.ok()) {
    status =
        StartProxy(*dir, "fake_store", fake.url, &fake_proxy, &fake_proxy_url);
  }
  if (status.ok()) {
    status = StartProxy(*dir, "paced_store", paced->url(), &paced_proxy,
                        &paced_proxy_url);
  }

  if (status.ok()) LogPhase("start-up", &phase_start);

  // One content chunk and the done line: the first byte is the first
  // chunk, and the reply ends at once.
  std::vector<double> ttfb_direct;
  std::vector<double> ttfb_proxied;
  if (status.ok()) status = SetScript(fake.url, R"({"chunks":1})");
  if (status.ok()) {
    status = MeasureFirstByte(fake.url, fake_proxy_url, flags.requests,
                              &ttfb_direct, &ttfb_proxied);
  }

  if (status.ok()) LogPhase("first-byte requests", &phase_start);

  std::vector<double> chunk_direct;
  std::vector<double> chunk_proxied;
  if (status.ok()) {
    status =
        MeasureChunkLatency(paced->url(), paced_proxy_url, flags.chunk_streams,
                            &chunk_direct, &chunk_proxied);
  }

  if (status.ok()) LogPhase("paced streams", &phase_start);

  // Unpaced: as fast as the fake writes; paced: 5 ms a chunk, a fast GPU.
  LoadRow unpaced_direct, unpaced_proxied, paced_direct, paced_proxied;
  if (status.ok()) status = SetScript(fake.url, R"({"chunks":200})");
  if (status.ok()) {
    status = MeasureLoad(fake.url, fake_proxy_url, flags.seconds, fake.pid,
                         fake_proxy->pid(), &unpaced_direct, &unpaced_proxied);
  }
  if (status.ok()) {
    status = SetScript(fake.url, R"({"chunks":100,"chunk_delay_ms":5})");
  }
  if (status.ok()) {
    status = MeasureLoad(fake.url, fake_proxy_url, flags.seconds, fake.pid,
                         fake_proxy->pid(), &paced_direct, &paced_proxied);
  }
  if (status.ok()) LogPhase("concurrent streams", &phase_start);
  if (!status.ok()) {
    std::fprintf(stderr, "proxy_bench: %s\n", status.ToString().c_str());
    return 1;
  }

  std::printf(
      "proxy_bench: %d first-byte requests and %d paced streams (%d chunks "
      "%d us apart) per path; %d concurrent streams for 2 x %.1f s per "
      "path; %ld cores\n\n",
      flags.requests, flags.chunk_streams, kPacedChunks, kPacedDelayUs,
      kStreams, flags.seconds, sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("| Measure | Direct | Through the proxy | Added | Target |\n");
  std::printf("|---|---|---|---|---|\n");
  PrintLatencyRow("Time to first byte", QuantilesOf(ttfb_direct),
                  QuantilesOf(ttfb_proxied), "< 1000 us");
  PrintLatencyRow("Chunk latency (send to arrival)", QuantilesOf(chunk_direct),
                  QuantilesOf(chunk_proxied), "< 100 us");
  PrintLoadRow("64 streams of 200 chunks, unpaced", unpaced_direct,
               unpaced_proxied);
  PrintLoadRow("64 streams of 100 chunks, 5 ms apart", paced_direct,
               paced_proxied);
  return 0;
}

}  // namespace
}  // namespace ollama_exporter::bench

int main(int argc, char** argv) {
  ollama_exporter::bench::Flags flags;
  if (!ollama_exporter::bench::ParseFlags(argc, argv, &flags)) return 2;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int exit_code = ollama_exporter::bench::Run(flags);
  curl_global_cleanup();
  return exit_code;
}
