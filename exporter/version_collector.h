#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "common/status.h"
#include "exporter/collector.h"
#include "exporter/ollama_client.h"

namespace ollama_exporter {

// The server's version (GET /api/version) as ollama_version_info{version}.
//
// Thread safety: as Collector. Ownership: borrows the client, which must
// outlive this collector.
class VersionCollector final : public Collector {
 public:
  explicit VersionCollector(OllamaClient* client);

  std::string_view name() const override { return "version"; }

  // As Collector::Collect. Errors name GET /api/version.
  Status Collect(std::vector<prometheus::MetricFamily>* out) override;

 private:
  OllamaClient* const client_;
};

// Reads {"version":"0.32.15"} into *version ("0.0.0" and git describe
// strings such as "0.32.15-7-g1a2b3c4-dirty" are kept as they are).
// kFailedPrecondition, quoting the problem, when the reply is not a JSON
// object or its "version" is absent, not a string or empty; then *version
// is unchanged. Never throws.
Status ParseVersionReply(std::string_view json, std::string* version);

// ollama_version_info{version} 1.
std::vector<prometheus::MetricFamily> VersionFamilies(
    const std::string& version);

}  // namespace ollama_exporter
