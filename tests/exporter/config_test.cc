#include "exporter/config.h"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter {
namespace {

using Args = std::vector<std::string>;

Config Parse(const Args& args, const char* ollama_host = nullptr) {
  Config config;
  CommandLineAction action = CommandLineAction::kPrintVersion;
  Status status = ParseCommandLine(args, ollama_host, &config, &action);
  INFO(status.ToString());
  REQUIRE(status.ok());
  CHECK(action == CommandLineAction::kRun);
  return config;
}

// The one-line error for `args`; checks that nothing was written.
std::string Error(const Args& args, const char* ollama_host = nullptr) {
  Config config;
  config.storage_path = "untouched";
  CommandLineAction action = CommandLineAction::kPrintVersion;
  Status status = ParseCommandLine(args, ollama_host, &config, &action);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().find('\n') == std::string::npos);
  CHECK(config.storage_path == "untouched");
  CHECK(action == CommandLineAction::kPrintVersion);
  return status.message();
}

TEST_CASE("No flags give the documented defaults", "[config]") {
  Config config = Parse({});
  CHECK(config.listen_address == ":11436");
  CHECK(config.telemetry_path == "/metrics");
  CHECK(config.ollama_url == "http://127.0.0.1:11434");
  CHECK(config.scrape_interval_ms == 15000);
  CHECK(config.scrape_timeout_ms == 5000);
  CHECK(config.storage_path == "./data");
  CHECK(config.retention_ms == 7LL * 24 * 3600 * 1000);
  CHECK(config.log_level == log::Level::kInfo);
  CHECK(config.log_format == log::Format::kLogfmt);
  CHECK(config.proxy_listen_address.empty());
  CHECK(config.proxy_max_models == 100);
}

TEST_CASE("Every flag is read in both --name=value and --name value forms",
          "[config]") {
  const Args joined = {"--web.listen-address=127.0.0.1:9100",
                       "--web.telemetry-path=/custom/metrics",
                       "--ollama.url=https://gpu.lan:8443/ollama",
                       "--scrape.interval=1m",
                       "--scrape.timeout=30s",
                       "--storage.path=/var/lib/ollama_exporter",
                       "--storage.retention=30d",
                       "--log.level=debug",
                       "--log.format=json",
                       "--proxy.listen-address=127.0.0.1:11435",
                       "--proxy.max-models=7"};
  Args split;
  for (const std::string& arg : joined) {
    size_t equals = arg.find('=');
    split.push_back(arg.substr(0, equals));
    split.push_back(arg.substr(equals + 1));
  }
  for (const Args& args : {joined, split}) {
    Config config = Parse(args);
    CHECK(config.listen_address == "127.0.0.1:9100");
    CHECK(config.telemetry_path == "/custom/metrics");
    CHECK(config.ollama_url == "https://gpu.lan:8443/ollama");
    CHECK(config.scrape_interval_ms == 60000);
    CHECK(config.scrape_timeout_ms == 30000);
    CHECK(config.storage_path == "/var/lib/ollama_exporter");
    CHECK(config.retention_ms == 30LL * 24 * 3600 * 1000);
    CHECK(config.log_level == log::Level::kDebug);
    CHECK(config.log_format == log::Format::kJson);
    CHECK(config.proxy_listen_address == "127.0.0.1:11435");
    CHECK(config.proxy_max_models == 7);
  }
}

TEST_CASE("Proxy flags are checked", "[config]") {
  CHECK(Error({"--proxy.listen-address=[::1]:11435"})
            .find("--proxy.listen-address") != std::string::npos);
  CHECK(Error({"--proxy.listen-address=:11436"}) ==
        "invalid value \":11436\" for --proxy.listen-address: overlaps "
        "--web.listen-address \":11436\": the same port on the same "
        "interface");
  for (const char* bad : {"0", "-1", "10001", "ten", "", "1e3"}) {
    INFO(bad);
    CHECK(Error({std::string("--proxy.max-models=") + bad}) ==
          "invalid value \"" + std::string(bad) +
              "\" for --proxy.max-models: must be a whole number from 1 to "
              "10000");
  }
  CHECK(Parse({"--web.listen-address=127.0.0.1:0",
               "--proxy.listen-address=127.0.0.1:0"})
            .proxy_listen_address == "127.0.0.1:0");
  CHECK(Parse({"--proxy.max-models=10000"}).proxy_max_models == 10000);
}

TEST_CASE("The proxy may not listen where the web server does", "[config]") {
  // Pairs whose second bind would fail: one port, one interface shared.
  const std::vector<std::pair<std::string, std::string>> overlapping = {
      {"127.0.0.1:9100", "127.0.0.1:9100"},
      {":11437", "127.0.0.1:11437"},
      {"127.0.0.1:11437", ":11437"},
      {"0.0.0.0:11437", "127.0.0.1:11437"},
      {"11437", "0.0.0.0:11437"},
      {"127.0.0.1:9100", "127.0.0.01:09100"},
      {"exporter.local:11437", "Exporter.Local:11437"},
      {"exporter.local:11437", ":11437"},
  };
  for (const auto& [web, proxy] : overlapping) {
    INFO(web << " and " << proxy);
    CHECK(Error({"--web.listen-address=" + web,
                 "--proxy.listen-address=" + proxy}) ==
          "invalid value \"" + proxy +
              "\" for --proxy.listen-address: overlaps "
              "--web.listen-address \"" +
              web + "\": the same port on the same interface");
  }
  // Pairs that bind side by side.
  const std::vector<std::pair<std::string, std::string>> separate = {
      {"127.0.0.1:11437", "127.0.0.2:11437"},
      {":11436", ":11437"},
      {":0", ":0"},
      {":0", "127.0.0.1:0"},
  };
  for (const auto& [web, proxy] : separate) {
    INFO(web << " and " << proxy);
    CHECK(Parse({"--web.listen-address=" + web,
                 "--proxy.listen-address=" + proxy})
              .proxy_listen_address == proxy);
  }
}

TEST_CASE("A repeated flag takes its last value", "[config]") {
  Config config = Parse({"--log.level=error", "--scrape.interval", "5s",
                         "--log.level", "warn", "--scrape.interval=20s"});
  CHECK(config.log_level == log::Level::kWarn);
  CHECK(config.scrape_interval_ms == 20000);
}

TEST_CASE("A value may contain '=' and start with a single dash", "[config]") {
  CHECK(Parse({"--storage.path=/data/a=b"}).storage_path == "/data/a=b");
  CHECK(Parse({"--storage.path", "-odd-dir"}).storage_path == "-odd-dir");
}

TEST_CASE("--help, -h and --version ask for an action", "[config]") {
  auto action_of = [](const Args& args) {
    Config config;
    CommandLineAction action = CommandLineAction::kRun;
    Status status = ParseCommandLine(args, nullptr, &config, &action);
    INFO(status.ToString());
    CHECK(status.ok());
    return action;
  };
  CHECK(action_of({"--help"}) == CommandLineAction::kPrintHelp);
  CHECK(action_of({"-h"}) == CommandLineAction::kPrintHelp);
  CHECK(action_of({"--version"}) == CommandLineAction::kPrintVersion);
  CHECK(action_of({"--version", "--help"}) == CommandLineAction::kPrintHelp);
  CHECK(action_of({"--help", "--version"}) == CommandLineAction::kPrintHelp);
  // Values are not checked when only help is wanted.
  CHECK(action_of({"--scrape.interval=soon", "-h"}) ==
        CommandLineAction::kPrintHelp);
}

TEST_CASE("Malformed command lines name the offending argument", "[config]") {
  CHECK(Error({"--web.listen"}) == "unknown flag --web.listen");
  CHECK(Error({"--tsdb.retention=7d"}) == "unknown flag --tsdb.retention");
  CHECK(Error({"-web.listen-address=:1"}) ==
        "unexpected argument \"-web.listen-address=:1\" (flags start with --)");
  CHECK(Error({"serve"}) ==
        "unexpected argument \"serve\" (flags start with --)");
  CHECK(Error({"--"}) == "unexpected argument \"--\" (flags start with --)");
  CHECK(Error({"--log.level"}) == "flag --log.level needs a value");
  CHECK(Error({"--log.level", "--log.format=json"}) ==
        "flag --log.level needs a value");
  CHECK(Error({"--help=yes"}) == "flag --help takes no value");
  CHECK(Error({"--version=1"}) == "flag --version takes no value");
}

TEST_CASE("Durations are checked against their limits", "[config]") {
  CHECK(Error({"--scrape.interval=abc"}) ==
        "invalid value \"abc\" for --scrape.interval: invalid duration "
        "\"abc\": expected a number followed by a unit (y, w, d, h, m, s, "
        "ms)");
  CHECK(Error({"--scrape.interval="}) ==
        "invalid value \"\" for --scrape.interval: invalid duration \"\": "
        "empty");
  CHECK(Error({"--scrape.interval=15"}) ==
        "invalid value \"15\" for --scrape.interval: invalid duration "
        "\"15\": missing unit (y, w, d, h, m, s, ms)");
  CHECK(Error({"--scrape.interval=99ms"}) ==
        "invalid value \"99ms\" for --scrape.interval: must be at least "
        "100ms");
  CHECK(Parse({"--scrape.interval=100ms"}).scrape_interval_ms == 100);
  CHECK(Error({"--scrape.timeout=0"}) ==
        "invalid value \"0\" for --scrape.timeout: must be positive");
  CHECK(
      Error({"--scrape.timeout=-1s"})
          .rfind("invalid value \"-1s\" for --scrape.timeout: invalid duration",
                 0) == 0);
  CHECK(Error({"--storage.retention=999ms"}) ==
        "invalid value \"999ms\" for --storage.retention: must be at least "
        "1s");
  CHECK(Parse({"--storage.retention=3s"}).retention_ms == 3000);
}

TEST_CASE("The scrape timeout fits in the interval", "[config]") {
  SECTION("an explicit timeout longer than the interval is an error") {
    CHECK(Error({"--scrape.timeout=20s"}) ==
          "invalid value \"20s\" for --scrape.timeout: must not exceed "
          "--scrape.interval (15s)");
    CHECK(Error({"--scrape.timeout=2s", "--scrape.interval=1s"}) ==
          "invalid value \"2s\" for --scrape.timeout: must not exceed "
          "--scrape.interval (1s)");
  }
  SECTION("a timeout equal to the interval is fine") {
    Config config = Parse({"--scrape.interval=10s", "--scrape.timeout=10s"});
    CHECK(config.scrape_timeout_ms == 10000);
  }
  SECTION("the default timeout shrinks to a shorter interval") {
    Config config = Parse({"--scrape.interval=2s"});
    CHECK(config.scrape_interval_ms == 2000);
    CHECK(config.scrape_timeout_ms == 2000);
  }
}

TEST_CASE("The telemetry path must not shadow other routes", "[config]") {
  CHECK(Parse({"--web.telemetry-path=/prometheus"}).telemetry_path ==
        "/prometheus");
  CHECK(Parse({"--web.telemetry-path=/api"}).telemetry_path == "/api");
  CHECK(Error({"--web.telemetry-path=metrics"}) ==
        "invalid value \"metrics\" for --web.telemetry-path: must start with "
        "\"/\"");
  CHECK(Error({"--web.telemetry-path="}) ==
        "invalid value \"\" for --web.telemetry-path: must start with \"/\"");
  CHECK(Error({"--web.telemetry-path=/"}) ==
        "invalid value \"/\" for --web.telemetry-path: must not be \"/\", "
        "which serves the UI");
  CHECK(Error({"--web.telemetry-path=/api/v1/metrics"}) ==
        "invalid value \"/api/v1/metrics\" for --web.telemetry-path: must not "
        "be under /api/ or /-/, which the exporter uses");
  CHECK(Error({"--web.telemetry-path=/-/healthy"}) ==
        "invalid value \"/-/healthy\" for --web.telemetry-path: must not be "
        "under /api/ or /-/, which the exporter uses");
  CHECK(Error({"--web.telemetry-path=/metrics?x=1"}) ==
        "invalid value \"/metrics?x=1\" for --web.telemetry-path: must not "
        "contain \"?\", \"#\" or spaces");
}

TEST_CASE("--ollama.url takes http(s) URLs without the trailing slash",
          "[config]") {
  struct Case {
    const char* flag;
    const char* url;
  };

  const Case good[] = {
      {"http://127.0.0.1:11434", "http://127.0.0.1:11434"},
      {"http://127.0.0.1:11434/", "http://127.0.0.1:11434"},
      {"https://gw.example.net/llm//", "https://gw.example.net/llm"},
      {"HTTP://Box.lan", "http://Box.lan"},
      {"http://[::1]:11434", "http://[::1]:11434"},
      {"http://user:secret@gpu.lan:11434", "http://user:secret@gpu.lan:11434"},
  };
  for (const Case& c : good) {
    INFO(c.flag);
    CHECK(Parse({std::string("--ollama.url=") + c.flag}).ollama_url == c.url);
  }

  struct Bad {
    const char* flag;
    const char* why;
  };

  const Bad bad[] = {
      {"127.0.0.1:11434", "must be an http:// or https:// URL"},
      {"ftp://h", "must be an http:// or https:// URL"},
      {"", "must be an http:// or https:// URL"},
      {"http://", "has no host"},
      {"http:///api", "has no host"},
      {"http://:11434", "has no host"},
      {"http://[]:1", "has no host"},
      {"http://h:0", "port must be a number from 1 to 65535"},
      {"http://h:99999", "port must be a number from 1 to 65535"},
      {"http://h:", "port must be a number from 1 to 65535"},
      {"http://[::1", "unclosed \"[\" in the host"},
      {"http://[::1]x", "junk after the host"},
      {"http://h/?x=1", "must not contain a query, a fragment or spaces"},
      {"http://h#top", "must not contain a query, a fragment or spaces"},
      {"http://my host", "must not contain a query, a fragment or spaces"},
  };
  for (const Bad& b : bad) {
    CHECK(Error({std::string("--ollama.url=") + b.flag}) ==
          std::string("invalid value \"") + b.flag +
              "\" for --ollama.url: " + b.why);
  }
}

TEST_CASE("OLLAMA_HOST is used only when --ollama.url is absent", "[config]") {
  CHECK(Parse({}, "gpu.lan").ollama_url == "http://gpu.lan:11434");
  CHECK(Parse({}, "").ollama_url == "http://127.0.0.1:11434");
  CHECK(Parse({}, "0.0.0.0:11500").ollama_url == "http://127.0.0.1:11500");
  CHECK(Parse({"--ollama.url=http://other:1"}, "gpu.lan").ollama_url ==
        "http://other:1");
  CHECK(Parse({"--ollama.url=http://other:1"}, "ftp://x").ollama_url ==
        "http://other:1");
  CHECK(Error({}, "ftp://x") ==
        "OLLAMA_HOST \"ftp://x\": unsupported scheme \"ftp\" (use http or "
        "https)");
}

TEST_CASE("Listen addresses and intervals are checked before anything runs",
          "[config]") {
  CHECK(Error({"--web.listen-address=999.1.1.1:11439"}) ==
        "invalid value \"999.1.1.1:11439\" for --web.listen-address: the "
        "host must be an IPv4 address or a host name");
  CHECK(Error({"--web.listen-address=[::1]:9"}).find("IPv6 is not supported") !=
        std::string::npos);
  CHECK(Error({"--scrape.interval=293y"}) ==
        "invalid value \"293y\" for --scrape.interval: must be at most 1d");
  CHECK(Error({"--scrape.interval=25h"}) ==
        "invalid value \"25h\" for --scrape.interval: must be at most 1d");
}

TEST_CASE("OLLAMA_HOST must still give a URL --ollama.url would take",
          "[config]") {
  Config config;
  CommandLineAction action;
  Status status =
      ParseCommandLine({}, "127.0.0.1:18434/path with space", &config, &action);
  CHECK(status.message() ==
        "invalid OLLAMA_HOST \"127.0.0.1:18434/path with space\": must not "
        "contain a query, a fragment or spaces");
  status = ParseCommandLine({}, "http://127.0.0.1:18434/p?x", &config, &action);
  CHECK(status.message() ==
        "invalid OLLAMA_HOST \"http://127.0.0.1:18434/p?x\": must not contain "
        "a query, a fragment or spaces");
  REQUIRE(ParseCommandLine({}, "gpu-box", &config, &action).ok());
  CHECK(config.ollama_url == "http://gpu-box:11434");
}

TEST_CASE("Other flags reject empty or unknown values", "[config]") {
  CHECK(Error({"--storage.path="}) ==
        "invalid value \"\" for --storage.path: must not be empty");
  CHECK(
      Error({"--web.listen-address="}) ==
      "invalid value \"\" for --web.listen-address: the port must be a number "
      "from 0 to 65535");
  CHECK(Error({"--log.level=verbose"}) ==
        "invalid value \"verbose\" for --log.level: must be one of debug, "
        "info, warn, error");
  CHECK(Error({"--log.level=INFO"}) ==
        "invalid value \"INFO\" for --log.level: must be one of debug, info, "
        "warn, error");
  CHECK(Error({"--log.format=text"}) ==
        "invalid value \"text\" for --log.format: must be logfmt or json");
}

TEST_CASE("UsageText lists every flag with its default", "[config]") {
  std::string usage = UsageText();
  for (const char* expected :
       {"--help", "--version", "--web.listen-address=\":11436\"",
        "--web.telemetry-path=\"/metrics\"", "--ollama.url\n",
        "--scrape.interval=\"15s\"", "--scrape.timeout=\"5s\"",
        "--storage.path=\"./data\"", "--storage.retention=\"1w\"",
        "--log.level=\"info\"", "--log.format=\"logfmt\"", "OLLAMA_HOST",
        "http://127.0.0.1:11434"}) {
    INFO(expected);
    CHECK(usage.find(expected) != std::string::npos);
  }
  std::istringstream lines(usage);
  std::string line;
  while (std::getline(lines, line)) {
    INFO(line);
    CHECK(line.size() <= 80);
  }
}

}  // namespace
}  // namespace ollama_exporter
