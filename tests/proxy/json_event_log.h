#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ollama_exporter::proxy::testing {

// Whether a JSON text was accepted, and its events as lines
// ("start_object", "key:done", "unsigned:4", "float:0x1.8p+0", ...), from
// ScanJson and from nlohmann::json::sax_parse, so the two can be compared.
struct JsonEventLog {
  bool accepted = false;
  std::vector<std::string> events;

  bool operator==(const JsonEventLog& other) const {
    return accepted == other.accepted && events == other.events;
  }

  bool operator!=(const JsonEventLog& other) const { return !(*this == other); }
};

JsonEventLog ScannedEvents(std::string_view text);
JsonEventLog NlohmannEvents(std::string_view text);

}  // namespace ollama_exporter::proxy::testing
