// Streams through the real proxy arrive chunk by chunk, and the /v1 usage
// policy holds for clients that ask for usage and those that do not.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "proxy_calls.h"
#include "proxy_checks.h"
#include "proxy_exchange.h"
#include "proxy_rig.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

// Usage-only events ("choices":[] with usage) in an SSE body.
size_t UsageEvents(const std::string& body) {
  return SseEvents(body).size() - SseEvents(StripUsageEvents(body)).size();
}

TEST_CASE("The proxy passes each chunk on before Ollama has sent its last one",
          "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  InferenceScript script;
  script.hold_last_chunk = true;
  script.hold_timeout_ms = 5000;
  for (ProxyCall call : StreamedCalls(kQwen, script)) {
    DYNAMIC_SECTION(call.Name()) {
      // The fake holds its last write until the client has the first.
      std::string first_piece;
      bool held_at_first_piece = false;
      call.on_piece = [&](const StreamReply& reply) {
        if (first_piece.empty()) {
          first_piece = reply.pieces.front().bytes;
          held_at_first_piece = rig.ollama().served().empty();
          rig.ollama().Release();
        }
        return true;
      };
      ProxyExchange exchange;
      CheckMeasuredExchange(rig, call, kQwen, &exchange);
      CHECK(held_at_first_piece);
      CHECK(!exchange.served.hold_timed_out);
      // The first piece is the fake's first write, whole and alone.
      CHECK(exchange.served.body_sent.rfind(first_piece, 0) == 0);
      CHECK(exchange.reply.pieces.size() >= 2);
    }
  }
}

TEST_CASE("The proxy passes a slow stream on as each line arrives",
          "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  InferenceScript script;
  script.chunks = 4;
  script.chunk_delay_ms = 50;
  for (const ProxyCall& call : StreamedCalls(kQwen, script)) {
    DYNAMIC_SECTION(call.Name()) {
      ProxyExchange exchange;
      CheckMeasuredExchange(rig, call, kQwen, &exchange);
      // Spread over the ~50 ms between writes, not delivered at the end.
      const std::vector<ArrivedPiece>& pieces = exchange.reply.pieces;
      const int writes = exchange.served.writes_sent;
      REQUIRE(pieces.size() >= static_cast<size_t>(writes));
      CHECK(pieces.back().seconds - pieces.front().seconds >=
            0.04 * (writes - 1));
    }
  }
}

TEST_CASE(
    "A /v1 stream counts its tokens whether or not the client asked for "
    "usage, and only a client that asked gets the usage chunk",
    "[proxy][e2e]") {
  ProxyRig& rig = SharedProxyRig();
  InferenceScript script;
  script.chunk_delay_ms = 20;
  const std::string path = GENERATE(std::string("/v1/chat/completions"),
                                    std::string("/v1/completions"));
  ProxyCall call;
  call.path = path;
  call.model = kQwen;
  call.stream = StreamField::kTrue;
  call.script = script;
  ProxyExchange exchange;

  SECTION("asked: the stream as Ollama sent it") {
    call.ask_usage = true;
    CheckMeasuredExchange(rig, call, kQwen, &exchange);
    CHECK(exchange.reply.body == exchange.served.body_sent);
    CHECK(UsageEvents(exchange.reply.body) == 1);
  }
  SECTION("not asked: asked upstream, the usage chunk left out") {
    CheckMeasuredExchange(rig, call, kQwen, &exchange);
    CHECK(exchange.served.include_usage);
    CHECK(UsageEvents(exchange.served.body_sent) == 1);
    CHECK(UsageEvents(exchange.reply.body) == 0);
    const std::vector<SseEvent> events = SseEvents(exchange.reply.body);
    REQUIRE(!events.empty());
    CHECK(events.back().data == "[DONE]");
  }
  // Both: CheckMeasuredExchange compared the counters with the usage the
  // fake sent; here they are the script's.
  CHECK(exchange.served.stats_sent.prompt_eval_count ==
        script.stats.prompt_eval_count);
  CHECK(exchange.served.stats_sent.eval_count == script.stats.eval_count);
}

}  // namespace
}  // namespace ollama_exporter::integration
