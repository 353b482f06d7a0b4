#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "exporter/ollama_models.h"

namespace ollama_exporter {

// Lenient readers for Ollama's JSON replies, shared by the collectors'
// parsers. Old servers omit fields and other "Ollama-compatible" servers
// send odd types, so a field of the wrong type reads as absent rather than
// failing the reply. Pure functions; none throws on any input.

// Parses `text` into *object when it is a JSON object. Otherwise
// kFailedPrecondition quoting the start of the text, and *object is
// unchanged.
Status ParseJsonObject(std::string_view text, nlohmann::json* object);

// "an object", "an array", "a string", "a number", "a boolean" or "null",
// for messages.
std::string DescribeType(const nlohmann::json& value);

// Calls visit(entry, name) for each usable entry of the "models" array of
// a /api/tags or /api/ps reply, in order. An entry is usable when it is an
// object whose name (the first non-empty string of "name" and "model") was
// not seen earlier in the list; two series for one name would break the
// exposition, so the first wins. *skipped is set to the number of other
// entries. kFailedPrecondition when `text` is not a JSON object or has no
// "models" array ("models": null counts as empty); then nothing is visited.
Status ForEachModel(std::string_view text,
                    const std::function<void(const nlohmann::json& entry,
                                             std::string name)>& visit,
                    int* skipped);

// object[key] when it is a string, else "".
std::string StringField(const nlohmann::json& object, const char* key);

// object[key] as bytes: an integer or float JSON number, truncated, with
// negatives clamped to 0 and values past int64 to its maximum. 0 when
// absent or not a number.
int64_t BytesField(const nlohmann::json& object, const char* key);

// object[key] as a count, clamped as BytesField does; nullopt when absent
// or not a number.
std::optional<int64_t> CountField(const nlohmann::json& object,
                                  const char* key);

// object[key] as Unix milliseconds (ParseRfc3339); nullopt when absent, not
// a string, not a valid timestamp, or Go's zero time 0001-01-01T00:00:00Z,
// which Ollama's Go structs write for "never set".
std::optional<int64_t> TimestampField(const nlohmann::json& object,
                                      const char* key);

// entry["details"]; absent, null or wrongly typed parts read as empty.
ModelDetails DetailsField(const nlohmann::json& entry);

}  // namespace ollama_exporter
