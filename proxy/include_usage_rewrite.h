#pragma once

#include <string>

namespace ollama_exporter::proxy {

// Makes a /v1 request body ask Ollama for stream usage by setting
// "stream_options": {"include_usage": true}, keeping every other byte of
// the body: the member is inserted (or its value replaced) in place, so key
// order, number spelling and the client's other stream_options keys stay
// as sent. Keys are matched as Go's decoder matches them (case-insensitive,
// last duplicate wins), so Ollama sees include_usage true.
//
// Returns true when *body was rewritten. Returns false and leaves *body
// untouched when it is not a JSON object, or when "stream_options" or its
// "include_usage" has a type Ollama rejects with 400 (stream_options
// neither an object nor null, include_usage neither a boolean nor null).
// Pure and thread-safe.
bool InjectIncludeUsage(std::string* body);

}  // namespace ollama_exporter::proxy
