#pragma once

#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "common/status.h"
#include "exporter/collector.h"
#include "exporter/ollama_client.h"
#include "exporter/ollama_models.h"

namespace ollama_exporter {

// Models Ollama holds in memory (GET /api/ps): how many, their memory and
// GPU memory, context length and unload time. A model that leaves the
// list leaves the output at the next Collect().
//
// Thread safety: as Collector. Ownership: borrows the client, which must
// outlive this collector.
class PsCollector final : public Collector {
 public:
  explicit PsCollector(OllamaClient* client);

  std::string_view name() const override { return "ps"; }

  // As Collector::Collect. Errors name GET /api/ps.
  Status Collect(std::vector<prometheus::MetricFamily>* out) override;

  // Entries the last successful Collect() dropped (ParsePsReply); 0 before
  // the first and after a failed one.
  int last_skipped_entries() const override { return last_skipped_entries_; }

 private:
  OllamaClient* const client_;
  int last_skipped_entries_ = 0;
};

struct PsReply {
  std::vector<LoadedModel> models;  // In reply order.
  int skipped_entries = 0;  // Not objects, nameless, or a repeated name.
};

// Reads a /api/ps reply leniently: an entry that is not an object, has no
// name (neither "name" nor "model" is a non-empty string) or repeats an
// earlier name is skipped and counted; absent, null or wrongly typed fields
// read as zero, empty or unknown (sizes may be integers or floats and
// negatives read as 0; "size_vram" is absent before v0.1.42 and reads as 0;
// "context_length" absent before v0.10.0 reads as nullopt; an unparsable
// "expires_at" reads as nullopt). kFailedPrecondition, quoting the problem,
// when the reply is not a JSON object or has no "models" array ("models":
// null is an empty list); then *reply is unchanged. Never throws.
Status ParsePsReply(std::string_view json, PsReply* reply);

// The ps families, series sorted by model name: ollama_models_loaded,
// ollama_loaded_model_size_bytes{model},
// ollama_loaded_model_vram_bytes{model},
// ollama_loaded_model_context_length{model} where reported and
// ollama_loaded_model_expires_timestamp_seconds{model} where known (it may
// be in the past or centuries ahead; exported as is). Families without
// series are still returned.
std::vector<prometheus::MetricFamily> PsFamilies(const PsReply& reply);

}  // namespace ollama_exporter
