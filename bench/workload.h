#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "tsdb/sample.h"

namespace ollama_exporter::bench {

// Synthetic exporter data for the store benchmarks: `series` series polled
// together, shaped like Ollama metrics. Of every ten series, three are
// constant (model loaded, context length), two change on ~1 % of polls
// (VRAM bytes), three are counters (requests, tokens), one is a 3-decimal
// gauge and one a full-precision gauge (tokens per second).
//
// Thread safety: one thread per instance.
class Workload {
 public:
  explicit Workload(int series, uint32_t seed = 1);

  // One poll at `timestamp_ms`: fills *batch with one sample per series,
  // reusing its label sets after the first call.
  void Poll(int64_t timestamp_ms, std::vector<tsdb::LabeledSample>* batch);

 private:
  enum class Kind { kConstant, kRare, kCounter, kDecimal, kNoise };

  double Next(int index);

  std::vector<tsdb::Labels> labels_;
  std::vector<Kind> kinds_;
  std::vector<double> state_;
  std::mt19937_64 random_;
};

}  // namespace ollama_exporter::bench
