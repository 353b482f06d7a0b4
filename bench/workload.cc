#include "workload.h"

#include <cmath>
#include <string>

namespace ollama_exporter::bench {
namespace {

constexpr const char* kNames[] = {
    "ollama_model_loaded",        "ollama_model_context_length",
    "ollama_model_size_bytes",    "ollama_model_vram_bytes",
    "ollama_requests_total",      "ollama_tokens_total",
    "ollama_prompt_tokens_total", "ollama_eval_rate_tokens_per_second",
    "ollama_eval_seconds",        "ollama_load_seconds",
};

}  // namespace

Workload::Workload(int series, uint32_t seed) : random_(seed) {
  for (int i = 0; i < series; ++i) {
    const int slot = i % 10;
    labels_.push_back({{tsdb::kMetricNameLabel, kNames[slot]},
                       {"model", "model-" + std::to_string(i / 10)}});
    Kind kind = Kind::kConstant;
    if (slot == 2 || slot == 3) kind = Kind::kRare;
    if (slot >= 4 && slot <= 6) kind = Kind::kCounter;
    if (slot == 7) kind = Kind::kDecimal;
    if (slot == 8) kind = Kind::kNoise;
    kinds_.push_back(kind);
    state_.push_back(slot == 1 ? 8192 : slot < 4 ? 4.2e9 + i * 1e6 : 0);
  }
}

double Workload::Next(int index) {
  double& value = state_[index];
  std::uniform_real_distribution<double> unit(0, 1);
  switch (kinds_[index]) {
    case Kind::kConstant:
      break;
    case Kind::kRare:
      if (unit(random_) < 0.01) value += std::floor(unit(random_) * 1e8);
      break;
    case Kind::kCounter:
      value += std::floor(unit(random_) * 40);
      break;
    case Kind::kDecimal:
      value = std::round((40 + 10 * unit(random_)) * 1000) / 1000;
      break;
    case Kind::kNoise:
      value = 0.5 + unit(random_) * 3;
      break;
  }
  return value;
}

void Workload::Poll(int64_t timestamp_ms,
                    std::vector<tsdb::LabeledSample>* batch) {
  batch->resize(labels_.size());
  for (size_t i = 0; i < labels_.size(); ++i) {
    tsdb::LabeledSample& sample = (*batch)[i];
    if (sample.labels.empty()) sample.labels = labels_[i];
    sample.sample = {timestamp_ms, Next(static_cast<int>(i))};
  }
}

}  // namespace ollama_exporter::bench
