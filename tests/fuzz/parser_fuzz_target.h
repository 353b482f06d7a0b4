#pragma once

#include <cstddef>
#include <cstdint>

namespace ollama_exporter::fuzz {

// Every parser of untrusted input in one entry point, for libFuzzer and
// for the smoke test: the first byte picks the parser, the rest is its
// input. Parsers of Ollama replies, flags, OLLAMA_HOST, durations, query
// strings, selectors, PromQL queries, upstream URLs and reply heads, Prometheus
// times and the store's decoders must return a Status for any bytes and never
// crash, hang or throw; the proxy's request reader, reply reader and SSE filter
// must also give the same result however their input is split.
void FuzzOneInput(const uint8_t* data, size_t size);

// How many parsers FuzzOneInput dispatches to (first byte modulo this).
inline constexpr int kParserCount = 26;

}  // namespace ollama_exporter::fuzz
