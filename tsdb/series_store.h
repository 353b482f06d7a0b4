#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tsdb/matcher.h"
#include "tsdb/sample.h"

namespace ollama_exporter::tsdb {

// A stored series: its catalogue id and labels.
struct SeriesInfo {
  uint32_t id = 0;
  Labels labels;
};

// The read side of the store, so handlers can be tested against a fake.
//
// All reads are clamped to the retention window: no sample older than
// now - retention is ever returned, whatever is still on disk.
// Thread safety: any method, any thread.
class SeriesReader {
 public:
  virtual ~SeriesReader() = default;

  // Every series whose labels satisfy all `matchers` (at least one matcher
  // required), sorted by labels. kUnavailable on storage errors.
  virtual Status Select(const std::vector<Matcher>& matchers,
                        std::vector<SeriesInfo>* out) const = 0;

  // Samples of series `id` with start_ms <= t <= end_ms, oldest first,
  // replacing *out. An unknown id gives an empty result.
  virtual Status Read(uint32_t id, int64_t start_ms, int64_t end_ms,
                      std::vector<Sample>* out) const = 0;

  // Like Read but newest first and at most `limit` samples.
  virtual Status ReadNewestFirst(uint32_t id, int64_t start_ms, int64_t end_ms,
                                 size_t limit,
                                 std::vector<Sample>* out) const = 0;
};

struct StoreOptions {
  std::string path = "./data";
  int64_t retention_ms = 7LL * 24 * 3600 * 1000;
  // Memtables are flushed at least this often, which is also the
  // granularity with which whole expired files are dropped.
  int64_t flush_interval_ms = 3600 * 1000;
  // fdatasync each Append. Off only in benchmarks; a kill -9 loses
  // nothing either way, an OS crash can lose unsynced appends.
  bool sync = true;
};

// Scraped samples in RocksDB, keyed by series and time (tsdb/FORMAT.md).
//
// Thread safety: any method, any thread.
// Ownership: owns the database; closing (destruction) flushes memtables.
class SeriesStore final : public SeriesReader {
 public:
  // Opens or creates the store at options.path. On error, *store is
  // unchanged: kFailedPrecondition for a bad path or a locked directory
  // (another exporter runs on it), kDataLoss for corruption.
  static Status Open(const StoreOptions& options,
                     std::unique_ptr<SeriesStore>* store);

  ~SeriesStore() override;
  SeriesStore(const SeriesStore&) = delete;
  SeriesStore& operator=(const SeriesStore&) = delete;

  // Writes all samples or none, in one write batch, registering new series
  // in the catalogue in the same batch. kInvalidArgument (nothing written)
  // if a sample has no metric name, or is older than the retention window.
  // A sample with the same series and timestamp as a stored one replaces it.
  Status Append(const std::vector<LabeledSample>& samples);

  // Forces memtables to disk and lets RocksDB drop expired files.
  Status Flush();

  // Bytes of live table files on disk (for metrics and benchmarks).
  uint64_t DiskBytes() const;

  Status Select(const std::vector<Matcher>& matchers,
                std::vector<SeriesInfo>* out) const override;
  Status Read(uint32_t id, int64_t start_ms, int64_t end_ms,
              std::vector<Sample>* out) const override;
  Status ReadNewestFirst(uint32_t id, int64_t start_ms, int64_t end_ms,
                         size_t limit, std::vector<Sample>* out) const override;
  // The retention window in milliseconds.
  int64_t retention_ms() const;

 private:
  class Impl;
  explicit SeriesStore(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace ollama_exporter::tsdb
