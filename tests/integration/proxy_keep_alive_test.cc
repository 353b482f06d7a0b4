// The real proxy in front of an Ollama that keeps its connections open
// between requests, as Ollama's own server does: the proxy reuses them,
// so a stream that broke off or a restart of Ollama must not spoil the
// next exchange.

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "proxy_calls.h"
#include "proxy_exchange.h"
#include "proxy_rig.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

ProxyCall Call(const std::string& path, StreamField stream,
               const InferenceScript& script) {
  ProxyCall call;
  call.path = path;
  call.model = kQwen;
  call.stream = stream;
  call.script = script;
  return call;
}

TEST_CASE(
    "With kept-alive upstream connections each exchange is relayed and "
    "counted, after broken ones and after Ollama restarts",
    "[proxy][e2e]") {
  ProxyRigOptions options;
  options.ollama.keep_alive = true;
  std::unique_ptr<ProxyRig> rig;
  REQUIRE_OK(ProxyRig::Create(options, &rig));

  const InferenceScript ok;
  InferenceScript cut;
  cut.close_after_chunks = 1;
  InferenceScript failed;
  failed.status = 500;
  InferenceScript slow;
  slow.chunks = 8;
  slow.chunk_delay_ms = 100;

  const std::vector<std::pair<std::string, StreamField>> routes = {
      {"/api/chat", StreamField::kAbsent},
      {"/v1/chat/completions", StreamField::kTrue},
      {"/v1/messages", StreamField::kTrue},
      {"/api/generate", StreamField::kFalse},
      {"/api/embed", StreamField::kAbsent},
  };
  for (const auto& [path, stream] : routes) {
    CheckMeasuredExchange(*rig, Call(path, stream, ok), kQwen);
    CheckMeasuredExchange(*rig, Call(path, stream, cut), kQwen);
    CheckMeasuredExchange(*rig, Call(path, stream, ok), kQwen);
    CheckMeasuredExchange(*rig, Call(path, stream, failed), kQwen);
    CheckMeasuredExchange(*rig, Call(path, stream, ok), kQwen);
    if (StreamedByOllama(Call(path, stream, ok))) {
      ProxyCall hung_up = Call(path, stream, slow);
      hung_up.on_piece = HangUp;
      CheckMeasuredExchange(*rig, hung_up, kQwen);
      CheckMeasuredExchange(*rig, Call(path, stream, ok), kQwen);
    }
  }

  // The connections the proxy kept died with Ollama.
  rig->ollama().Down();
  REQUIRE_OK(rig->ollama().Up());
  for (const auto& [path, stream] : routes) {
    CheckMeasuredExchange(*rig, Call(path, stream, ok), kQwen);
  }
}

}  // namespace
}  // namespace ollama_exporter::integration
