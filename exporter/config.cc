#include "exporter/config.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/duration.h"
#include "common/listen_address.h"
#include "exporter/ollama_host.h"

namespace ollama_exporter {
namespace {

constexpr int64_t kMinScrapeIntervalMs = 100;
// Longer intervals would overflow the poller's steady-clock arithmetic
// long before they made sense.
constexpr int64_t kMaxScrapeIntervalMs = 24LL * 3600 * 1000;
constexpr int64_t kMinRetentionMs = 1000;
constexpr int kMaxProxyModels = 10000;

struct FlagInfo {
  std::string_view name;  // Without the leading "--".
  std::string default_text;
  std::string_view help;  // One line.
};

// Every flag taking a value, in --help order. Defaults come from Config so
// that the help text cannot drift from them.
std::vector<FlagInfo> Flags() {
  const Config defaults;
  return {
      {"web.listen-address", defaults.listen_address,
       "Address for /metrics, the query API and the UI: [host]:port."},
      {"web.telemetry-path", defaults.telemetry_path,
       "Path under which to expose the metrics."},
      {"ollama.url", "",
       "Ollama base URL (http or https); unset: from OLLAMA_HOST, below."},
      {"scrape.interval", FormatDuration(defaults.scrape_interval_ms),
       "How often to poll Ollama; from 100ms to 1d."},
      {"scrape.timeout", FormatDuration(defaults.scrape_timeout_ms),
       "Time limit of each call to Ollama; at most the interval."},
      {"storage.path", defaults.storage_path,
       "Directory of the history database."},
      {"storage.retention", FormatDuration(defaults.retention_ms),
       "How long to keep history; at least 1s."},
      {"log.level", "info",
       "Least severe log level: debug, info, warn, error."},
      {"log.format", "logfmt", "Log line format: logfmt or json."},
      {"proxy.listen-address", "",
       "Address of the measuring proxy to Ollama, e.g. :11435; unset: off."},
      {"proxy.max-models", std::to_string(defaults.proxy_max_models),
       "Most distinct model labels of proxy metrics; others are \"other\"."},
  };
}

bool IsKnownFlag(std::string_view name) {
  for (const FlagInfo& flag : Flags()) {
    if (flag.name == name) return true;
  }
  return false;
}

Status InvalidValue(std::string_view flag, std::string_view value,
                    std::string_view why) {
  return Status::InvalidArgument("invalid value \"" + std::string(value) +
                                 "\" for --" + std::string(flag) + ": " +
                                 std::string(why));
}

// Digits making 1-65535.
bool IsPort(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    port = port * 10 + (c - '0');
  }
  return port >= 1 && port <= 65535;
}

// The port of an address ParseListenAddress accepted (1-5 digits, so
// std::stoi cannot throw).
int PortOf(const ListenAddress& address) {
  const std::string& ports = address.listening_ports;
  // No colon: rfind gives npos, and npos + 1 is 0, the whole text.
  return std::stoi(ports.substr(ports.rfind(':') + 1));
}

// A listen host in one spelling per interface: a dotted quad by its
// numbers ("127.0.0.01" is 127.0.0.1), a host name in lower case.
std::string HostKey(std::string_view host) {
  std::string key;
  if (host.find_first_not_of("0123456789.") != std::string_view::npos) {
    for (char c : host) {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return key;
  }
  int part = 0;
  for (char c : host) {
    if (c == '.') {
      key += std::to_string(part) + '.';
      part = 0;
    } else {
      part = part * 10 + (c - '0');
    }
  }
  return key + std::to_string(part);
}

// Whether binding both addresses would fail: the same port on the same
// interface, or on all interfaces for either. Port 0 picks a free port
// each time, so it never clashes. Host names are compared, not resolved:
// "localhost" and "127.0.0.1" pass here and fail at the bind.
bool BindsOverlap(const ListenAddress& a, const ListenAddress& b) {
  const int port = PortOf(a);
  if (port == 0 || port != PortOf(b)) return false;
  const std::string host_a = HostKey(a.host);
  const std::string host_b = HostKey(b.host);
  return host_a == host_b || host_a == "0.0.0.0" || host_b == "0.0.0.0";
}

// Digits making 1..max into *count.
bool ParseCount(std::string_view text, int max, int* count) {
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > max) return false;
  *count = value;
  return true;
}

std::string TelemetryPathProblem(std::string_view path) {
  if (path.empty() || path.front() != '/') return "must start with \"/\"";
  if (path == "/") return "must not be \"/\", which serves the UI";
  if (path.substr(0, 5) == "/api/" || path.substr(0, 3) == "/-/") {
    return "must not be under /api/ or /-/, which the exporter uses";
  }
  if (path.find_first_of("?# \t") != std::string_view::npos) {
    return "must not contain \"?\", \"#\" or spaces";
  }
  return "";
}

// Checks an http(s) base URL and puts it in *normalized with a lower-case
// scheme and no trailing slash. Returns why it is not one, or "".
std::string OllamaUrlProblem(std::string_view url, std::string* normalized) {
  size_t separator = url.find("://");
  std::string scheme;
  for (char c : url.substr(0, separator)) {
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (separator == std::string_view::npos ||
      (scheme != "http" && scheme != "https")) {
    return "must be an http:// or https:// URL";
  }
  std::string_view rest = url.substr(separator + 3);
  rest = rest.substr(0, rest.find_last_not_of('/') + 1);
  if (rest.find_first_of("?# \t\r\n") != std::string_view::npos) {
    return "must not contain a query, a fragment or spaces";
  }

  // The authority: [user@]host[:port], host possibly "[v6]".
  std::string_view authority = rest.substr(0, rest.find('/'));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority, port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return "unclosed \"[\" in the host";
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return "junk after the host";
    has_port = !after.empty();
    if (has_port) port = after.substr(1);
  } else if (size_t colon = authority.find(':');
             colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return "has no host";
  if (has_port && !IsPort(port)) {
    return "port must be a number from 1 to 65535";
  }
  *normalized = scheme + "://" + std::string(rest);
  return "";
}

Status ParseDurationFlag(std::string_view flag, const std::string& value,
                         int64_t min_ms, int64_t* ms) {
  Status status = ParseDuration(value, ms);
  if (!status.ok()) return InvalidValue(flag, value, status.message());
  if (*ms < min_ms) {
    return InvalidValue(flag, value,
                        min_ms == 1
                            ? "must be positive"
                            : "must be at least " + FormatDuration(min_ms));
  }
  return Status::Ok();
}

// Applies the last value of each flag given to *config, checking each.
Status Apply(const std::map<std::string_view, std::string>& values,
             const char* ollama_host_env, Config* config) {
  auto given = [&values](std::string_view flag) -> const std::string* {
    auto it = values.find(flag);
    return it == values.end() ? nullptr : &it->second;
  };
  std::string problem;

  if (const std::string* value = given("web.listen-address")) {
    ListenAddress address;
    Status status = ParseListenAddress(*value, &address);
    if (!status.ok()) {
      return InvalidValue("web.listen-address", *value, status.message());
    }
    config->listen_address = *value;
  }
  if (const std::string* value = given("web.telemetry-path")) {
    problem = TelemetryPathProblem(*value);
    if (!problem.empty()) {
      return InvalidValue("web.telemetry-path", *value, problem);
    }
    config->telemetry_path = *value;
  }
  if (const std::string* value = given("ollama.url")) {
    problem = OllamaUrlProblem(*value, &config->ollama_url);
    if (!problem.empty()) return InvalidValue("ollama.url", *value, problem);
  } else {
    // OLLAMA_HOST is read leniently, as the ollama CLI reads it; what it
    // yields must still be a URL --ollama.url would accept.
    const std::string host = ollama_host_env == nullptr ? "" : ollama_host_env;
    std::string url;
    Status status = OllamaUrlFromHost(host, &url);
    if (!status.ok()) return status;
    problem = OllamaUrlProblem(url, &config->ollama_url);
    if (!problem.empty()) {
      return Status::InvalidArgument("invalid OLLAMA_HOST \"" + host +
                                     "\": " + problem);
    }
  }

  // Like Prometheus, a default timeout longer than the interval shrinks to
  // it, while an explicit one must fit.
  if (const std::string* value = given("scrape.interval")) {
    Status status =
        ParseDurationFlag("scrape.interval", *value, kMinScrapeIntervalMs,
                          &config->scrape_interval_ms);
    if (!status.ok()) return status;
    if (config->scrape_interval_ms > kMaxScrapeIntervalMs) {
      return InvalidValue("scrape.interval", *value, "must be at most 1d");
    }
  }
  if (const std::string* value = given("scrape.timeout")) {
    Status status = ParseDurationFlag("scrape.timeout", *value, 1,
                                      &config->scrape_timeout_ms);
    if (!status.ok()) return status;
    if (config->scrape_timeout_ms > config->scrape_interval_ms) {
      return InvalidValue("scrape.timeout", *value,
                          "must not exceed --scrape.interval (" +
                              FormatDuration(config->scrape_interval_ms) + ")");
    }
  } else {
    config->scrape_timeout_ms =
        std::min(config->scrape_timeout_ms, config->scrape_interval_ms);
  }

  if (const std::string* value = given("storage.path")) {
    if (value->empty()) {
      return InvalidValue("storage.path", *value, "must not be empty");
    }
    config->storage_path = *value;
  }
  if (const std::string* value = given("storage.retention")) {
    Status status = ParseDurationFlag("storage.retention", *value,
                                      kMinRetentionMs, &config->retention_ms);
    if (!status.ok()) return status;
  }
  if (const std::string* value = given("log.level")) {
    if (!log::ParseLevel(*value, &config->log_level)) {
      return InvalidValue("log.level", *value,
                          "must be one of debug, info, warn, error");
    }
  }
  if (const std::string* value = given("log.format")) {
    if (!log::ParseFormat(*value, &config->log_format)) {
      return InvalidValue("log.format", *value, "must be logfmt or json");
    }
  }
  if (const std::string* value = given("proxy.listen-address")) {
    ListenAddress address;
    Status status = ParseListenAddress(*value, &address);
    if (!status.ok()) {
      return InvalidValue("proxy.listen-address", *value, status.message());
    }
    ListenAddress web;
    if (ParseListenAddress(config->listen_address, &web).ok() &&
        BindsOverlap(address, web)) {
      return InvalidValue("proxy.listen-address", *value,
                          "overlaps --web.listen-address \"" +
                              config->listen_address +
                              "\": the same port on the same interface");
    }
    config->proxy_listen_address = *value;
  }
  if (const std::string* value = given("proxy.max-models")) {
    if (!ParseCount(*value, kMaxProxyModels, &config->proxy_max_models)) {
      return InvalidValue("proxy.max-models", *value,
                          "must be a whole number from 1 to " +
                              std::to_string(kMaxProxyModels));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseCommandLine(const std::vector<std::string>& args,
                        const char* ollama_host_env, Config* config,
                        CommandLineAction* action) {
  // Collect the last value of each flag; check values once all are known.
  std::map<std::string_view, std::string> values;
  CommandLineAction wanted = CommandLineAction::kRun;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      wanted = CommandLineAction::kPrintHelp;
      continue;
    }
    if (arg == "--version") {
      if (wanted == CommandLineAction::kRun) {
        wanted = CommandLineAction::kPrintVersion;
      }
      continue;
    }
    if (arg.substr(0, 2) != "--" || arg.size() == 2) {
      return Status::InvalidArgument("unexpected argument \"" +
                                     std::string(arg) +
                                     "\" (flags start with --)");
    }
    size_t equals = arg.find('=');
    std::string_view name = arg.substr(2, equals - 2);
    if (name == "help" || name == "version") {
      return Status::InvalidArgument("flag --" + std::string(name) +
                                     " takes no value");
    }
    if (!IsKnownFlag(name)) {
      return Status::InvalidArgument("unknown flag --" + std::string(name));
    }
    if (equals != std::string_view::npos) {
      values[name] = std::string(arg.substr(equals + 1));
      continue;
    }
    // "--name value"; a following "--flag" is never taken as a value.
    if (i + 1 == args.size() || args[i + 1].substr(0, 2) == "--") {
      return Status::InvalidArgument("flag --" + std::string(name) +
                                     " needs a value");
    }
    values[name] = args[++i];
  }

  if (wanted != CommandLineAction::kRun) {
    *action = wanted;
    return Status::Ok();
  }
  Config parsed;
  Status status = Apply(values, ollama_host_env, &parsed);
  if (!status.ok()) return status;
  *config = std::move(parsed);
  *action = CommandLineAction::kRun;
  return Status::Ok();
}

std::string UsageText() {
  std::string text =
      "usage: ollama_exporter [<flags>]\n"
      "\n"
      "Prometheus exporter for Ollama that keeps its own history.\n"
      "\n"
      "Flags:\n"
      "  -h, --help\n"
      "      Show this help and exit.\n"
      "  --version\n"
      "      Show the version and exit.\n";
  for (const FlagInfo& flag : Flags()) {
    text += "  --" + std::string(flag.name);
    if (!flag.default_text.empty()) text += "=\"" + flag.default_text + "\"";
    text += "\n      " + std::string(flag.help) + "\n";
  }
  text +=
      "\n"
      "Environment:\n"
      "  OLLAMA_HOST\n"
      "      Ollama's address as the ollama CLI reads it (host, host:port,\n"
      "      scheme://host:port/path); used when --ollama.url is not given.\n"
      "      Unset or empty: " +
      std::string(kDefaultOllamaUrl) + ".\n";
  return text;
}

}  // namespace ollama_exporter
