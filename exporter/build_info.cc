#include "exporter/build_info.h"

#include <string>

#include <rocksdb/version.h>

#include "exporter/metric_families.h"

namespace ollama_exporter {

const char* BuildVersion() { return OLLAMA_EXPORTER_VERSION; }

const char* BuildRevision() { return OLLAMA_EXPORTER_REVISION; }

prometheus::MetricFamily BuildInfoFamily() {
  prometheus::MetricFamily family = MakeGauge(
      "ollama_exporter_build_info",
      "A metric with a constant 1 value labeled by the exporter's version, "
      "git revision and the RocksDB version it runs on.");
  std::string rocksdb = std::to_string(ROCKSDB_MAJOR) + "." +
                        std::to_string(ROCKSDB_MINOR) + "." +
                        std::to_string(ROCKSDB_PATCH);
  AddSample(&family,
            {{"version", BuildVersion()},
             {"revision", BuildRevision()},
             {"rocksdb_version", rocksdb}},
            1);
  return family;
}

}  // namespace ollama_exporter
