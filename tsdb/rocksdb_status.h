#pragma once

#include <string_view>

#include <rocksdb/status.h>

#include "common/status.h"

namespace ollama_exporter::tsdb {

// Maps a RocksDB status to ours (STYLE.md, "Errors"), prefixing
// `context` (the operation and path): not found -> kNotFound, corruption
// -> kDataLoss, I/O, busy, timed out, try again -> kUnavailable, anything
// else -> kInternal. OK stays OK.
Status FromRocksDb(const rocksdb::Status& status, std::string_view context);

// The same for DB::Open of `path`, where every failure is a setup problem
// rather than something a retry fixes: a LOCK file held by another process
// (or already open here) and other I/O errors -> kFailedPrecondition;
// corruption -> kDataLoss; the rest as FromRocksDb.
Status FromRocksDbOpen(const rocksdb::Status& status, std::string_view path);

}  // namespace ollama_exporter::tsdb
