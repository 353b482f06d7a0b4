#pragma once

#include <string_view>

namespace ollama_exporter::proxy {

// Whether a decoded JSON key selects the field `name` under Go's
// encoding/json rule: equal ignoring ASCII case. Go also folds the Kelvin
// sign to k and the long s to s; keys spelt with those are not matched
// here (no real client writes them). Pure.
bool KeyMatches(std::string_view key, std::string_view name);

}  // namespace ollama_exporter::proxy
