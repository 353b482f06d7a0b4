// fake_ollama_server: the test fake Ollama (fake_ollama.h) as a program,
// for clients in other processes: the Node.js client tests and the proxy
// benchmark.
//
//   fake_ollama_server [--port=N] [--model=NAME]... [--script=JSON]
//                      [--keep-alive=true|false]
//
//   --port        port on 127.0.0.1; 0 (default) picks a free one.
//   --model       an installed model (repeatable); default qwen3:8b and
//                 nomic-embed-text:latest. Others get Ollama's 404.
//   --script      the inference script for every request, as JSON
//                 (ParseInferenceScript, inference_script.h), e.g.
//                 '{"chunks":20,"chunk_delay_ms":50,"hold_last_chunk":true}'.
//   --keep-alive  keep connections open between requests, as Ollama does
//                 (default true).
//
// Once listening it prints one line on stdout, its base URL
// ("http://127.0.0.1:PORT"), and serves until SIGTERM or SIGINT, then
// exits 0. Bad flags: a message on stderr, exit 2; cannot listen: exit 1.
// Control endpoints while it runs (see fake_ollama.h): POST /fake/script
// [?once=1], POST /fake/release, GET /fake/served,
// GET /fake/wait?count=N&timeout_ms=T, POST /fake/reset.

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fake_ollama.h"
#include "inference_script.h"
#include "ollama_payloads.h"

namespace ollama_exporter::integration {
namespace {

constexpr char kUsage[] =
    "usage: fake_ollama_server [--port=N] [--model=NAME]... "
    "[--script=JSON] [--keep-alive=true|false]\n";

struct Flags {
  int port = 0;
  std::vector<std::string> models;
  InferenceScript script;
  bool keep_alive = true;
};

// The value of `arg` when it is `--name=value`.
bool FlagValue(const std::string& arg, const std::string& name,
               std::string* value) {
  const std::string prefix = "--" + name + "=";
  if (arg.compare(0, prefix.size(), prefix) != 0) return false;
  *value = arg.substr(prefix.size());
  return true;
}

Status ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string value;
    if (FlagValue(arg, "port", &value)) {
      char* end = nullptr;
      const long port = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || port < 0 || port > 65535) {
        return Status::InvalidArgument("--port: not 0-65535: " + value);
      }
      flags->port = static_cast<int>(port);
    } else if (FlagValue(arg, "model", &value)) {
      if (value.empty()) return Status::InvalidArgument("--model: empty");
      flags->models.push_back(value);
    } else if (FlagValue(arg, "script", &value)) {
      Status status = ParseInferenceScript(value, &flags->script);
      if (!status.ok()) return status.WithContext("--script");
    } else if (FlagValue(arg, "keep-alive", &value)) {
      if (value != "true" && value != "false") {
        return Status::InvalidArgument("--keep-alive: not true or false");
      }
      flags->keep_alive = value == "true";
    } else {
      return Status::InvalidArgument("unknown flag " + arg);
    }
  }
  if (flags->models.empty()) {
    flags->models = {"qwen3:8b", "nomic-embed-text:latest"};
  }
  return Status::Ok();
}

std::vector<TagsModel> Installed(const std::vector<std::string>& names) {
  std::vector<TagsModel> models;
  for (const std::string& name : names) {
    TagsModel model;
    model.name = name;
    model.size = 5225388164;
    model.family = "qwen3";
    model.parameter_size = "8.2B";
    model.quantization_level = "Q4_K_M";
    models.push_back(model);
  }
  return models;
}

int Main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  Flags flags;
  if (Status status = ParseFlags(argc, argv, &flags); !status.ok()) {
    std::fprintf(stderr, "fake_ollama_server: %s\n%s", status.message().c_str(),
                 kUsage);
    return 2;
  }

  // Blocked before CivetWeb starts its threads, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  FakeOllamaOptions options;
  options.keep_alive = flags.keep_alive;
  options.port = flags.port;
  std::unique_ptr<FakeOllama> fake;
  if (Status status = FakeOllama::Start(options, &fake); !status.ok()) {
    std::fprintf(stderr, "fake_ollama_server: %s\n", status.message().c_str());
    return 1;
  }
  fake->SetTagsJson(TagsJson(Installed(flags.models)));
  fake->SetInferenceScript(flags.script);
  std::printf("%s\n", fake->url().c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  fake.reset();
  return 0;
}

}  // namespace
}  // namespace ollama_exporter::integration

int main(int argc, char** argv) {
  return ollama_exporter::integration::Main(argc, argv);
}
