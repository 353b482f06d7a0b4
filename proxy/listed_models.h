#pragma once

#include <vector>

#include <prometheus/metric_family.h>

#include "proxy/model_labeler.h"

namespace ollama_exporter::proxy {

// Tells `labeler` the model names one poll found: those of
// ollama_model_size_bytes when /api/tags answered (ollama_models_installed
// is present), those of ollama_loaded_model_size_bytes when /api/ps did
// (ollama_models_loaded is present). A listing whose call failed is left
// as the labeler last heard it.
void LearnListedModels(const std::vector<prometheus::MetricFamily>& polled,
                       ModelLabeler* labeler);

}  // namespace ollama_exporter::proxy
