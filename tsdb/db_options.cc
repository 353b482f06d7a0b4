#include "tsdb/db_options.h"

#include <algorithm>
#include <cstdint>

#include <rocksdb/cache.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include "tsdb/time_range.h"

namespace ollama_exporter::tsdb {
namespace {

constexpr size_t kMiB = 1024 * 1024;

// One small cache for data blocks of both column families; index blocks
// stay in the table readers (max_open_files=-1 keeps those open anyway).
constexpr size_t kBlockCacheBytes = 2 * kMiB;

// An hour of 100 series at 15 s is ~1.5 MiB of memtable, so hourly
// flushes, not this size, normally close a memtable.
constexpr size_t kSamplesWriteBufferBytes = 4 * kMiB;
constexpr size_t kCatalogueWriteBufferBytes = 1 * kMiB;

// FIFO would drop the oldest files once the total passed this, even inside
// the retention window; the retention alone must decide (FORMAT.md).
constexpr uint64_t kNoSizeLimit = uint64_t{1} << 62;

// The catalogue CF is written rarely, so without a cap it would keep every
// WAL file since its last flush alive.
constexpr uint64_t kMaxTotalWalBytes = 16 * kMiB;

rocksdb::ColumnFamilyOptions CatalogueOptions(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = kCatalogueWriteBufferBytes;
  cf.compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

rocksdb::ColumnFamilyOptions SamplesOptions(
    const StoreOptions& options, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  cf.compaction_style = rocksdb::kCompactionStyleFIFO;
  cf.compaction_options_fifo.max_table_files_size = kNoSizeLimit;
  // Merging files would give the result the oldest input's age, so fresh
  // samples could expire early (facebook/rocksdb#13788).
  cf.compaction_options_fifo.allow_compaction = false;

  // Round up: files must outlive the window; reads clamp to it exactly.
  const int64_t ttl_seconds =
      options.retention_ms / 1000 + (options.retention_ms % 1000 != 0);
  cf.ttl = static_cast<uint64_t>(std::max<int64_t>(1, ttl_seconds));
  cf.write_buffer_size = kSamplesWriteBufferBytes;
  cf.compression = rocksdb::kZSTD;

  // Each series' samples arrive in time order, so remembering where the
  // last key of each series id went skips most of the skiplist search
  // (it doubled the append rate in bench/store_bench).
  cf.memtable_insert_with_hint_prefix_extractor.reset(
      rocksdb::NewFixedPrefixTransform(4));

  cf.table_properties_collector_factories.push_back(
      NewTimeRangeCollectorFactory());

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Every table file stays open (max_open_files = -1), one more each flush
  // interval; keeping their index blocks in the bounded block cache rather
  // than pinned in the heap stops resident memory growing with them.
  table.cache_index_and_filter_blocks = true;
  table.block_size = 16 * 1024;
  table.format_version = 5;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

}  // namespace

DbConfig MakeDbConfig(const StoreOptions& options) {
  DbConfig config;
  rocksdb::DBOptions& db = config.db;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  // FIFO with a TTL needs every table reader open (otherwise Open fails
  // with "Not implemented").
  db.max_open_files = -1;
  db.max_total_wal_size = kMaxTotalWalBytes;
  // Appends are serialized by the store anyway, and concurrent memtable
  // writes would ignore the insert hints below.
  db.allow_concurrent_memtable_write = false;
  db.keep_log_file_num = 2;
  db.max_log_file_size = 1 * kMiB;
  db.max_manifest_file_size = 4 * kMiB;
  db.stats_dump_period_sec = 0;

  auto cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  config.column_families.emplace_back(rocksdb::kDefaultColumnFamilyName,
                                      CatalogueOptions(cache));
  config.column_families.emplace_back(kSamplesColumnFamily,
                                      SamplesOptions(options, cache));
  return config;
}

}  // namespace ollama_exporter::tsdb
