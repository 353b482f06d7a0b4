#include "parser_fuzz_target.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/duration.h"
#include "common/listen_address.h"
#include "exporter/config.h"
#include "exporter/ollama_host.h"
#include "exporter/ps_collector.h"
#include "exporter/rfc3339.h"
#include "exporter/tags_collector.h"
#include "exporter/version_collector.h"
#include "http/prom_time.h"
#include "http/query_params.h"
#include "http/query_parser.h"
#include "http/selector_parser.h"
#include "tsdb/key_codec.h"
#include "tsdb/value_codec.h"

#include "../proxy/json_event_log.h"
#include "proxy/include_usage_rewrite.h"
#include "proxy/inference_request.h"
#include "proxy/relay_headers.h"
#include "proxy/reply_reader.h"
#include "proxy/sse_event.h"
#include "proxy/upstream_url.h"
#include "proxy/usage_chunk_filter.h"

namespace ollama_exporter::fuzz {
namespace {

// Command-line words are NUL-separated in the input.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string_view::npos) end = text.size();
    words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// The fuzzer also checks these properties; a violation aborts.
void Require(bool property) {
  if (!property) std::abort();
}

// The first input byte as a choice among `count`, and the rest; 0 when
// the input is empty.
int TakeChoice(std::string_view* text, int count) {
  if (text->empty()) return 0;
  const int choice = static_cast<unsigned char>(text->front()) % count;
  text->remove_prefix(1);
  return choice;
}

constexpr int kEndpointCount = 9;

void FuzzInferenceRequest(std::string_view text) {
  const auto endpoint =
      static_cast<proxy::InferenceEndpoint>(TakeChoice(&text, kEndpointCount));
  (void)proxy::ReadInferenceRequest(endpoint, text);
  std::string body(text);
  if (proxy::InjectIncludeUsage(&body)) {
    Require(proxy::ReadInferenceRequest(
                proxy::InferenceEndpoint::kV1ChatCompletions, body)
                .asked_for_usage);
  }
}

// Reads `text` as a reply in one piece, then split at a point taken from
// the input: both must give the same facts.
void FuzzReplyReader(std::string_view text) {
  constexpr const char* kContentTypes[] = {
      "application/x-ndjson", "text/event-stream",
      "application/json; charset=utf-8", "text/plain"};
  constexpr int kStatuses[] = {200, 404, 500, 0};
  const auto endpoint =
      static_cast<proxy::InferenceEndpoint>(TakeChoice(&text, kEndpointCount));
  const char* content_type = kContentTypes[TakeChoice(&text, 4)];
  const int status = kStatuses[TakeChoice(&text, 4)];
  const auto end = static_cast<proxy::ExchangeEnd>(TakeChoice(&text, 3));
  const size_t split =
      text.empty() ? 0 : TakeChoice(&text, 256) % (text.size() + 1);

  proxy::InferenceRequest request;
  request.streamed = true;
  // A small cap reaches the overlong-line path with small inputs.
  proxy::ReplyReader whole(endpoint, request, 64);
  proxy::ReplyReader pieces(endpoint, request, 64);
  whole.OnResponseStart(status, content_type);
  pieces.OnResponseStart(status, content_type);
  whole.OnResponseBytes(text, 0.5);
  pieces.OnResponseBytes(text.substr(0, split), 0.5);
  pieces.OnResponseBytes(text.substr(split), 0.5);
  whole.OnEnd(end, 1);
  pieces.OnEnd(end, 1);
  const proxy::InferenceFacts& a = whole.facts();
  const proxy::InferenceFacts& b = pieces.facts();
  Require(a.outcome == b.outcome && a.done_reason == b.done_reason &&
          a.prompt_tokens == b.prompt_tokens &&
          a.generated_tokens == b.generated_tokens &&
          a.eval_seconds == b.eval_seconds &&
          a.time_to_first_token_seconds == b.time_to_first_token_seconds);
}

// Filters `text` in one piece and split in two: same bytes out.
void FuzzUsageChunkFilter(std::string_view text) {
  const size_t split = TakeChoice(&text, 256) % (text.size() + 1);
  proxy::UsageChunkFilter whole_filter(64);
  proxy::UsageChunkFilter pieces_filter(64);
  std::string whole(whole_filter.Feed(text));
  whole += whole_filter.Finish();
  std::string pieces(pieces_filter.Feed(text.substr(0, split)));
  pieces += pieces_filter.Feed(text.substr(split));
  pieces += pieces_filter.Finish();
  Require(whole == pieces);
}

// An event of one data line is judged as a parsed document would be.
void FuzzUsageOnlyEvent(std::string_view text) {
  const bool judged =
      proxy::IsUsageOnlyEvent("data: " + std::string(text) + "\n\n");
  if (text.find_first_of("\r\n") != std::string_view::npos) return;
  const nlohmann::json chunk = nlohmann::json::parse(text, nullptr, false);
  const bool expected = chunk.is_object() && chunk.contains("choices") &&
                        chunk["choices"].is_array() &&
                        chunk["choices"].empty() && chunk.contains("usage") &&
                        chunk["usage"].is_object();
  Require(judged == expected);
}

}  // namespace

void FuzzOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const int parser = data[0] % kParserCount;
  const std::string_view text(reinterpret_cast<const char*>(data + 1),
                              size - 1);

  // Each result is dropped on purpose: only crashes, hangs, throws and the
  // proxy parsers' invariants (split anywhere, read as nlohmann reads)
  // count here; the unit tests check the values.
  switch (parser) {
    case 0: {
      std::string version;
      (void)ParseVersionReply(text, &version);
      break;
    }
    case 1: {
      TagsReply reply;
      (void)ParseTagsReply(text, &reply);
      break;
    }
    case 2: {
      PsReply reply;
      (void)ParsePsReply(text, &reply);
      break;
    }
    case 3: {
      int64_t unix_ms;
      (void)ParseRfc3339(text, &unix_ms);
      break;
    }
    case 4: {
      int64_t ms;
      (void)ParseDuration(text, &ms);
      break;
    }
    case 5: {
      std::string url;
      (void)OllamaUrlFromHost(text, &url);
      break;
    }
    case 6: {
      Config config;
      CommandLineAction action;
      const std::string host(text.substr(0, text.find('\0')));
      (void)ParseCommandLine(Words(text), host.c_str(), &config, &action);
      break;
    }
    case 7: {
      ListenAddress address;
      (void)ParseListenAddress(text, &address);
      break;
    }
    case 8: {
      http::QueryParams params;
      (void)http::QueryParams::Parse(text, &params);
      break;
    }
    case 9: {
      std::vector<tsdb::Matcher> matchers;
      (void)http::ParseSelector(text, &matchers);
      break;
    }
    case 10: {
      int64_t unix_ms;
      (void)http::ParseTimestamp(text, &unix_ms);
      break;
    }
    case 11: {
      int64_t step_ms;
      (void)http::ParseStep(text, &step_ms);
      break;
    }
    case 12: {
      uint32_t id;
      int64_t timestamp_ms;
      (void)tsdb::DecodeSampleKey(text, &id, &timestamp_ms);
      break;
    }
    case 13: {
      tsdb::Labels labels;
      (void)tsdb::DecodeLabels(text, &labels);
      break;
    }
    case 14: {
      tsdb::CatalogueKeyKind kind;
      uint32_t id;
      tsdb::Labels labels;
      (void)tsdb::DecodeCatalogueKey(text, &kind, &id, &labels);
      break;
    }
    case 15: {
      double value;
      (void)tsdb::DecodeValue(text, &value);
      break;
    }
    case 16: {
      std::string decoded;
      (void)http::DecodeFormComponent(text, &decoded);
      break;
    }
    case 17:
      FuzzInferenceRequest(text);
      break;
    case 18:
      FuzzReplyReader(text);
      break;
    case 19:
      FuzzUsageChunkFilter(text);
      break;
    case 20: {
      http::QueryExpr expr;
      (void)http::ParseQuery(text, &expr);
      break;
    }
    case 21: {
      std::vector<tsdb::Matcher> matchers;
      (void)http::ParseMetricSelector(text, &matchers);
      break;
    }
    case 22: {  // An upstream reply head, one line per '\n'.
      proxy::UpstreamHead head;
      for (size_t start = 0; start <= text.size();) {
        size_t end = std::min(text.find('\n', start), text.size());
        head.AddLine(text.substr(start, end - start));
        start = end + 1;
      }
      (void)head.content_length();
      (void)head.ClientHeaders();
      break;
    }
    case 23: {
      std::string base;
      (void)proxy::ParseUpstreamUrl(text, &base);
      break;
    }
    case 24:
      FuzzUsageOnlyEvent(text);
      break;
    case 25:  // The proxy's JSON reader against nlohmann's.
      Require(proxy::testing::ScannedEvents(text) ==
              proxy::testing::NlohmannEvents(text));
      break;
  }
}

}  // namespace ollama_exporter::fuzz
