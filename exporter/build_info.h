#pragma once

#include <prometheus/metric_family.h>

namespace ollama_exporter {

// This build's version ("0.1.0") and git revision ("1a2b3c4d5e6f").
const char* BuildVersion();
const char* BuildRevision();

// ollama_exporter_build_info{version,revision,rocksdb_version} 1.
prometheus::MetricFamily BuildInfoFamily();

}  // namespace ollama_exporter
