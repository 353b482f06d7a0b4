#include "proxy/listed_models.h"

#include <string>
#include <string_view>

namespace ollama_exporter::proxy {
namespace {

const prometheus::MetricFamily* Find(
    const std::vector<prometheus::MetricFamily>& families,
    std::string_view name) {
  for (const prometheus::MetricFamily& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

// The `model` label of every series of `name`; empty when it has none.
std::vector<std::string> ModelNames(
    const std::vector<prometheus::MetricFamily>& families,
    std::string_view name) {
  std::vector<std::string> names;
  const prometheus::MetricFamily* family = Find(families, name);
  if (family == nullptr) return names;
  for (const prometheus::ClientMetric& metric : family->metric) {
    for (const prometheus::ClientMetric::Label& label : metric.label) {
      if (label.name == "model") names.push_back(label.value);
    }
  }
  return names;
}

}  // namespace

void LearnListedModels(const std::vector<prometheus::MetricFamily>& polled,
                       ModelLabeler* labeler) {
  if (Find(polled, "ollama_models_installed") != nullptr) {
    labeler->SetListedModels(ModelListing::kTags,
                             ModelNames(polled, "ollama_model_size_bytes"));
  }
  if (Find(polled, "ollama_models_loaded") != nullptr) {
    labeler->SetListedModels(
        ModelListing::kPs,
        ModelNames(polled, "ollama_loaded_model_size_bytes"));
  }
}

}  // namespace ollama_exporter::proxy
