// ollama_exporter: polls Ollama, serves /metrics, keeps a history in
// RocksDB and serves it over HTTP. See README.md.

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <curl/curl.h>

#include "common/duration.h"
#include "common/log.h"
#include "common/time_format.h"
#include "exporter/build_info.h"
#include "exporter/config.h"
#include "exporter/ollama_client.h"
#include "exporter/ollama_host.h"
#include "exporter/poller.h"
#include "exporter/process_collector.h"
#include "exporter/ps_collector.h"
#include "exporter/tags_collector.h"
#include "exporter/version_collector.h"
#include "http/server.h"
#include "tsdb/series_store.h"

#include "proxy/inference_history.h"
#include "proxy/inference_measurement.h"
#include "proxy/inference_metrics.h"
#include "proxy/listed_models.h"
#include "proxy/model_labeler.h"
#include "proxy/proxy_server.h"

namespace ollama_exporter {
namespace {

constexpr int kExitBadUsage = 2;
constexpr int kExitFailure = 1;

// Blocks the shutdown signals in this thread and every thread it starts,
// so that only WaitForShutdownSignal() receives them.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int WaitForShutdownSignal(const sigset_t& signals) {
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  return received;
}

// RocksDB keeps every table file of the retention window open; take the
// hard limit on descriptors as the soft one, as Go programs do, rather than
// fail appends at 1,024.
void RaiseOpenFilesLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 ||
      limit.rlim_cur == limit.rlim_max) {
    return;
  }
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    LOG_WARN("cannot raise the open files limit",
             {{"limit", static_cast<uint64_t>(before)}});
  }
}

// The measuring proxy and what it records into. Members are destroyed in
// reverse order: the server (its relays end) before what they record into.
struct MeasuredProxy {
  MeasuredProxy(const Config& config, tsdb::SeriesStore* store)
      : labeler(config.proxy_max_models),
        history(store),
        measurement(&labeler, &metrics, &history, NowMillis) {}

  std::vector<prometheus::MetricFamily> Collect() const {
    std::vector<prometheus::MetricFamily> families = metrics.Collect();
    std::vector<prometheus::MetricFamily> own = history.Collect();
    families.insert(families.end(), own.begin(), own.end());
    return families;
  }

  proxy::ModelLabeler labeler;
  proxy::InferenceMetrics metrics;
  proxy::InferenceHistory history;
  proxy::InferenceMeasurement measurement;
  std::unique_ptr<proxy::ProxyServer> server;
};

// Starts the proxy of --proxy.listen-address into *proxy; logs and returns
// false when it cannot listen.
bool StartProxy(const Config& config, tsdb::SeriesStore* store,
                std::unique_ptr<MeasuredProxy>* proxy) {
  auto started = std::make_unique<MeasuredProxy>(config, store);
  proxy::ProxyServerOptions options;
  options.listen_address = config.proxy_listen_address;
  options.upstream_url = config.ollama_url;
  Status status = proxy::ProxyServer::Start(options, &started->measurement,
                                            &started->server);
  if (!status.ok()) {
    LOG_ERROR("cannot start the proxy",
              {{"address", config.proxy_listen_address}, {"err", status}});
    return false;
  }
  LOG_INFO("proxying", {{"address", started->server->bound_address()},
                        {"ollama_url", RedactCredentials(config.ollama_url)}});
  *proxy = std::move(started);
  return true;
}

int Run(const Config& config) {
  sigset_t shutdown_signals = BlockShutdownSignals();
  // With CURLOPT_NOSIGNAL, a peer closing a socket must not kill us.
  signal(SIGPIPE, SIG_IGN);
  RaiseOpenFilesLimit();

  LOG_INFO("starting",
           {{"version", BuildVersion()},
            {"revision", BuildRevision()},
            {"ollama_url", RedactCredentials(config.ollama_url)},
            {"storage_path", config.storage_path},
            {"retention", FormatDuration(config.retention_ms)},
            {"scrape_interval", FormatDuration(config.scrape_interval_ms)}});

  tsdb::StoreOptions store_options;
  store_options.path = config.storage_path;
  store_options.retention_ms = config.retention_ms;
  // RocksDB keeps every table file open and expires whole files, so cut
  // about 168 files per retention window (hourly for the default 7d):
  // fine-grained expiry without running into the open-files limit.
  store_options.flush_interval_ms =
      std::max<int64_t>(config.retention_ms / 168, 1000);
  std::unique_ptr<tsdb::SeriesStore> store;
  Status opened = tsdb::SeriesStore::Open(store_options, &store);
  if (!opened.ok()) {
    LOG_ERROR("cannot open the history store",
              {{"path", config.storage_path}, {"err", opened}});
    return kExitFailure;
  }

  std::atomic<bool> canceled{false};
  OllamaClientOptions client_options;
  client_options.base_url = config.ollama_url;
  client_options.timeout_ms = config.scrape_timeout_ms;
  client_options.cancel = &canceled;
  std::unique_ptr<OllamaClient> client;
  Status created = OllamaClient::Create(client_options, &client);
  if (!created.ok()) {
    LOG_ERROR("cannot set up the Ollama client", {{"err", created}});
    return kExitFailure;
  }

  std::unique_ptr<MeasuredProxy> proxy;
  if (!config.proxy_listen_address.empty() &&
      !StartProxy(config, store.get(), &proxy)) {
    return kExitFailure;
  }
  PollHooks hooks;
  if (proxy) {
    MeasuredProxy* measured = proxy.get();
    hooks.extra_families = [measured] { return measured->Collect(); };
    hooks.polled = [measured](const auto& families) {
      proxy::LearnListedModels(families, &measured->labeler);
    };
  }

  std::vector<std::unique_ptr<Collector>> collectors;
  collectors.push_back(std::make_unique<VersionCollector>(client.get()));
  collectors.push_back(std::make_unique<TagsCollector>(client.get()));
  collectors.push_back(std::make_unique<PsCollector>(client.get()));
  Poller poller(std::move(collectors), store.get(), config.scrape_interval_ms,
                NowMillis, &canceled, std::move(hooks));

  ProcessCollector process;
  http::ServerDeps deps;
  deps.collect_metrics = [&poller, &process, &proxy] {
    std::vector<prometheus::MetricFamily> families = poller.Collect();
    if (proxy) {
      std::vector<prometheus::MetricFamily> proxied = proxy->Collect();
      families.insert(families.end(), proxied.begin(), proxied.end());
    }
    families.push_back(BuildInfoFamily());
    std::vector<prometheus::MetricFamily> own = process.Collect();
    families.insert(families.end(), own.begin(), own.end());
    return families;
  };
  deps.ready = [&poller] { return poller.has_polled(); };
  deps.store = store.get();
  deps.now_ms = NowMillis;
  deps.version = BuildVersion();
  deps.revision = BuildRevision();
  http::ServerOptions server_options;
  server_options.listen_address = config.listen_address;
  server_options.telemetry_path = config.telemetry_path;
  std::unique_ptr<http::Server> server;
  Status started = http::Server::Start(server_options, deps, &server);
  if (!started.ok()) {
    LOG_ERROR("cannot start the HTTP server",
              {{"address", config.listen_address}, {"err", started}});
    return kExitFailure;
  }
  LOG_INFO("listening", {{"address", server->bound_address()},
                         {"telemetry_path", config.telemetry_path}});

  poller.Start();
  int signal_number = WaitForShutdownSignal(shutdown_signals);
  LOG_INFO("shutting down",
           {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});

  // Stop taking requests and end the relays, end a poll stuck on Ollama,
  // let the poller write its last batch and the proxy its last records,
  // then close the store (which flushes it).
  server.reset();
  if (proxy) proxy->server.reset();
  canceled = true;
  poller.Stop();
  proxy.reset();
  store.reset();
  LOG_INFO("stopped");
  return 0;
}

}  // namespace
}  // namespace ollama_exporter

int main(int argc, char** argv) {
  using namespace ollama_exporter;
  // glibc gives each thread that allocates its own arena; with CivetWeb's
  // workers that is megabytes of resident memory for nothing.
  mallopt(M_ARENA_MAX, 2);

  std::vector<std::string> args(argv + 1, argv + argc);
  Config config;
  CommandLineAction action;
  Status parsed =
      ParseCommandLine(args, std::getenv("OLLAMA_HOST"), &config, &action);
  if (!parsed.ok()) {
    std::fprintf(stderr, "ollama_exporter: %s (see --help)\n",
                 parsed.message().c_str());
    return kExitBadUsage;
  }
  if (action == CommandLineAction::kPrintHelp) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  if (action == CommandLineAction::kPrintVersion) {
    std::printf("ollama_exporter %s (revision %s)\n", BuildVersion(),
                BuildRevision());
    return 0;
  }

  log::Configure(config.log_level, config.log_format);
  curl_global_init(CURL_GLOBAL_ALL);
  int code = Run(config);
  curl_global_cleanup();
  return code;
}
