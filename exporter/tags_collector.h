#pragma once

#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "common/status.h"
#include "exporter/collector.h"
#include "exporter/ollama_client.h"
#include "exporter/ollama_models.h"

namespace ollama_exporter {

// Models on disk (GET /api/tags): how many, their sizes, build details and
// modification times.
//
// Thread safety: as Collector. Ownership: borrows the client, which must
// outlive this collector.
class TagsCollector final : public Collector {
 public:
  explicit TagsCollector(OllamaClient* client);

  std::string_view name() const override { return "tags"; }

  // As Collector::Collect. Errors name GET /api/tags.
  Status Collect(std::vector<prometheus::MetricFamily>* out) override;

  // Entries the last successful Collect() dropped (ParseTagsReply); 0
  // before the first and after a failed one.
  int last_skipped_entries() const override { return last_skipped_entries_; }

 private:
  OllamaClient* const client_;
  int last_skipped_entries_ = 0;
};

struct TagsReply {
  std::vector<InstalledModel> models;  // In reply order.
  int skipped_entries = 0;  // Not objects, nameless, or a repeated name.
};

// Reads a /api/tags reply leniently: an entry that is not an object, has
// no name (neither "name" nor "model" is a non-empty string) or repeats an
// earlier name is skipped and counted; absent, null or wrongly typed fields
// read as zero, empty or unknown (sizes may be integers or floats and
// negatives read as 0; "expires_at", sent by v0.1.38-0.1.41, is ignored).
// kFailedPrecondition, quoting the problem, when the reply is not a JSON
// object or has no "models" array ("models": null is an empty list); then
// *reply is unchanged. Never throws.
Status ParseTagsReply(std::string_view json, TagsReply* reply);

// The tags families, series sorted by model name: ollama_models_installed,
// ollama_model_size_bytes{model},
// ollama_model_info{model,family,parameter_size,quantization,format,remote}
// and ollama_model_modified_timestamp_seconds{model} for models whose time
// is known. Families without series are still returned.
std::vector<prometheus::MetricFamily> TagsFamilies(const TagsReply& reply);

}  // namespace ollama_exporter
