#pragma once

#include <memory>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include "tsdb/series_store.h"

namespace ollama_exporter::tsdb {

// Samples live in their own column family so that it can use FIFO
// compaction with a TTL while the catalogue stays leveled in the default
// one (tsdb/FORMAT.md, "Column families").
inline constexpr char kSamplesColumnFamily[] = "samples";

// The RocksDB options for a store: the database options and the two column
// families, catalogue (default) first, samples second.
struct DbConfig {
  rocksdb::DBOptions db;
  std::vector<rocksdb::ColumnFamilyDescriptor> column_families;
};

// Builds the configuration for `options` (which Open has validated: a
// positive retention). Memory is kept small on purpose, since the whole
// exporter should stay under 30 MB resident.
DbConfig MakeDbConfig(const StoreOptions& options);

}  // namespace ollama_exporter::tsdb
