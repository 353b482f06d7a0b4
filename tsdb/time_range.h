#pragma once

#include <cstdint>
#include <memory>

#include <rocksdb/table_properties.h>

namespace ollama_exporter::tsdb {

// Per-file time ranges for the samples column family (tsdb/FORMAT.md,
// "Table properties").
//
// Every table file holds every series, so a read of one series seeks in
// every file unless files can be skipped by time. The collector records
// each new file's smallest and largest sample timestamp as table
// properties; reads pass TableMayHold as ReadOptions::table_filter and
// skip the rest. With 7 days of hourly files, this turns a 5-minute read
// from ~170 seeks into one or two.
//
// Thread safety: the factory is thread-safe; TableMayHold is pure.

// The factory for ColumnFamilyOptions::table_properties_collector_factories.
std::shared_ptr<rocksdb::TablePropertiesCollectorFactory>
NewTimeRangeCollectorFactory();

// False only when `properties` prove the file holds no sample with
// start_ms <= t <= end_ms. A file without (or with malformed) time range
// properties may hold anything, so it is read.
bool TableMayHold(const rocksdb::TableProperties& properties, int64_t start_ms,
                  int64_t end_ms);

}  // namespace ollama_exporter::tsdb
