#include "parser_fuzz_target.h"

#include <string>
#include <string_view>
#include <vector>

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
#include "http/selector_parser.h"
#include "tsdb/key_codec.h"
#include "tsdb/value_codec.h"

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

}  // namespace

void FuzzOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const int parser = data[0] % kParserCount;
  const std::string_view text(reinterpret_cast<const char*>(data + 1),
                              size - 1);

  // Each result is dropped on purpose: only crashes, hangs and throws
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
  }
}

}  // namespace ollama_exporter::fuzz
