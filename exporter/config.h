#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"

namespace ollama_exporter {

inline constexpr char kDefaultListenAddress[] = ":11436";

// Everything the command line sets, with the defaults of --help.
struct Config {
  std::string listen_address = kDefaultListenAddress;
  std::string telemetry_path = "/metrics";
  std::string ollama_url;  // Resolved: flag, else OLLAMA_HOST, else default.
  int64_t scrape_interval_ms = 15000;
  int64_t scrape_timeout_ms = 5000;
  std::string storage_path = "./data";
  int64_t retention_ms = 7LL * 24 * 3600 * 1000;
  log::Level log_level = log::Level::kInfo;
  log::Format log_format = log::Format::kLogfmt;
  // Empty: no proxy.
  std::string proxy_listen_address;
  int proxy_max_models = 100;
};

enum class CommandLineAction { kRun, kPrintHelp, kPrintVersion };

// Parses `args` (without argv[0]) in the Prometheus style: --name=value or
// --name value; --help / -h; --version. `ollama_host_env` is OLLAMA_HOST
// (nullptr when unset), used when --ollama.url is absent.
// kInvalidArgument with a one-line message naming the flag for: unknown
// flags, missing values, bad durations, a timeout longer than the
// interval, an interval under 100ms, a --web.telemetry-path not starting
// with "/", an unknown log level or format, a --proxy.listen-address that
// is malformed or equal to --web.listen-address, a --proxy.max-models
// outside 1-10000. *config and *action are
// written only on success.
Status ParseCommandLine(const std::vector<std::string>& args,
                        const char* ollama_host_env, Config* config,
                        CommandLineAction* action);

// The --help text: every flag with its default and meaning.
std::string UsageText();

}  // namespace ollama_exporter
