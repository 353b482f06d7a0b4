#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "tsdb/matcher.h"
#include "tsdb/sample.h"
#include "tsdb/series_store.h"

namespace rocksdb {
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace ollama_exporter::tsdb {

// The series catalogue: label set <-> series id. Persisted in the default
// column family (tsdb/FORMAT.md, "Catalogue") and mirrored in memory, so
// lookups and Select never touch the disk.
//
// Series are never removed, so Select also lists series whose samples
// have all expired (their reads are empty); callers that render results
// skip empty series. README.md lists this among the limitations.
//
// Thread safety: Find, Select and next_id from any thread. Writers (the
// Put* calls, the batch write, then Insert) must be serialized by the
// caller, and Insert only called after that batch was written.
class Catalogue {
 public:
  // Reads every catalogue entry of `db`'s default column family (`db` is
  // borrowed for the call). An empty catalogue is a new store: the format
  // version and id counter are written first. kDataLoss for malformed or
  // inconsistent entries, kFailedPrecondition for another format version,
  // kUnavailable for I/O errors. `path` is for messages.
  static Status Load(rocksdb::DB* db, const std::string& path,
                     std::unique_ptr<Catalogue>* catalogue);

  // True, with *id set, when `labels` is a known series.
  bool Find(const Labels& labels, uint32_t* id) const;

  // Known series matching all `matchers`, sorted by labels.
  std::vector<SeriesInfo> Select(const std::vector<Matcher>& matchers) const;

  // The id the next new series gets.
  uint32_t next_id() const;

  // Adds the entries for a new series `id` to `batch` (default column
  // family).
  static void PutSeries(const Labels& labels, uint32_t id,
                        rocksdb::WriteBatch* batch);

  // Adds the id counter to `batch`.
  static void PutNextId(uint32_t next_id, rocksdb::WriteBatch* batch);

  // Makes series written by a successful batch visible.
  void Insert(const std::map<Labels, uint32_t>& added, uint32_t next_id);

 private:
  Catalogue() = default;

  mutable std::mutex mu_;
  std::map<Labels, uint32_t> ids_;  // Guarded by mu_.
  uint32_t next_id_ = 0;            // Guarded by mu_.
};

}  // namespace ollama_exporter::tsdb
