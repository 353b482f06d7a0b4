#include "tsdb/series_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "common/log.h"
#include "tsdb/catalogue.h"
#include "tsdb/db_options.h"
#include "tsdb/key_codec.h"
#include "tsdb/rocksdb_status.h"
#include "tsdb/time_range.h"
#include "tsdb/value_codec.h"

namespace ollama_exporter::tsdb {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status ValidateOptions(const StoreOptions& options) {
  if (options.path.empty()) {
    return Status::InvalidArgument("store path is empty");
  }
  if (options.retention_ms <= 0) {
    return Status::InvalidArgument("store retention must be positive, got " +
                                   std::to_string(options.retention_ms) +
                                   " ms");
  }
  if (options.flush_interval_ms <= 0) {
    return Status::InvalidArgument(
        "store flush interval must be positive, got " +
        std::to_string(options.flush_interval_ms) + " ms");
  }
  return Status::Ok();
}

Status Validate(const std::vector<LabeledSample>& samples, int64_t oldest_ms) {
  for (size_t i = 0; i < samples.size(); ++i) {
    const LabeledSample& sample = samples[i];
    auto name = sample.labels.find(kMetricNameLabel);
    if (name == sample.labels.end() || name->second.empty()) {
      return Status::InvalidArgument("sample " + std::to_string(i) +
                                     " has no metric name");
    }
    if (sample.sample.timestamp_ms < oldest_ms) {
      return Status::InvalidArgument(
          "sample " + std::to_string(i) + " of " + name->second + " at " +
          std::to_string(sample.sample.timestamp_ms) +
          " ms is older than the retention window (oldest accepted " +
          std::to_string(oldest_ms) + " ms)");
    }
  }
  return Status::Ok();
}

// Bounds the scan to [*lower, *upper) and skips table files whose time
// range misses [start_ms, end_ms]. The slices must outlive the iterator.
rocksdb::ReadOptions SampleReadOptions(int64_t start_ms, int64_t end_ms,
                                       const rocksdb::Slice* lower,
                                       const rocksdb::Slice* upper) {
  rocksdb::ReadOptions read_options;
  read_options.iterate_lower_bound = lower;
  read_options.iterate_upper_bound = upper;
  read_options.table_filter = [start_ms,
                               end_ms](const rocksdb::TableProperties& table) {
    return TableMayHold(table, start_ms, end_ms);
  };
  return read_options;
}

}  // namespace

class SeriesStore::Impl {
 public:
  Impl(StoreOptions options, rocksdb::DB* db,
       std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : options_(std::move(options)),
        db_(db),
        handles_(std::move(handles)),
        last_flush_ms_(NowMs()) {}

  ~Impl();

  Status LoadCatalogue() {
    return Catalogue::Load(db_.get(), options_.path, &catalogue_);
  }

  Status Append(const std::vector<LabeledSample>& samples);
  Status Flush();
  uint64_t DiskBytes() const;
  Status Select(const std::vector<Matcher>& matchers,
                std::vector<SeriesInfo>* out) const;
  Status Scan(uint32_t id, int64_t start_ms, int64_t end_ms, bool newest_first,
              size_t limit, std::vector<Sample>* out) const;

  int64_t retention_ms() const { return options_.retention_ms; }

 private:
  rocksdb::ColumnFamilyHandle* samples_cf() const { return handles_[1]; }

  // Adds the samples and any new series to *batch; *added gets the new
  // series and *next_id the counter after them.
  Status Build(const std::vector<LabeledSample>& samples,
               rocksdb::WriteBatch* batch, std::map<Labels, uint32_t>* added,
               uint32_t* next_id) const;

  void MaybeFlush(int64_t now_ms);

  const StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  // Catalogue (default) first, samples second, as in MakeDbConfig.
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<Catalogue> catalogue_;

  // Serializes Append, which assigns ids, and guards last_flush_ms_.
  std::mutex write_mu_;
  int64_t last_flush_ms_;
};

SeriesStore::Impl::~Impl() {
  // A failed flush loses nothing: the WAL replays on the next Open.
  Status status = Flush();
  if (!status.ok()) {
    LOG_WARN("store flush at close failed", {{"err", status}});
  }
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  status = FromRocksDb(db_->Close(), "close store " + options_.path);
  if (!status.ok()) {
    LOG_WARN("store close failed", {{"err", status}});
  }
}

Status SeriesStore::Impl::Build(const std::vector<LabeledSample>& samples,
                                rocksdb::WriteBatch* batch,
                                std::map<Labels, uint32_t>* added,
                                uint32_t* next_id) const {
  uint32_t next = catalogue_->next_id();
  std::string value;
  for (const LabeledSample& sample : samples) {
    uint32_t id;
    if (!catalogue_->Find(sample.labels, &id)) {
      auto it = added->find(sample.labels);
      if (it != added->end()) {
        id = it->second;
      } else {
        if (next == std::numeric_limits<uint32_t>::max()) {
          return Status::FailedPrecondition(
              "the store has used every series id");
        }
        id = next++;
        added->emplace(sample.labels, id);
        Catalogue::PutSeries(sample.labels, id, batch);
      }
    }
    value.clear();
    EncodeValue(sample.sample.value, &value);
    // WriteBatch::Put only fails on sizes over 4 GiB, impossible here.
    batch
        ->Put(samples_cf(), EncodeSampleKey(id, sample.sample.timestamp_ms),
              value)
        .PermitUncheckedError();
  }
  if (!added->empty()) Catalogue::PutNextId(next, batch);
  *next_id = next;
  return Status::Ok();
}

Status SeriesStore::Impl::Append(const std::vector<LabeledSample>& samples) {
  const int64_t now_ms = NowMs();
  Status status = Validate(samples, now_ms - options_.retention_ms);
  if (!status.ok() || samples.empty()) return status;

  std::lock_guard<std::mutex> lock(write_mu_);
  rocksdb::WriteBatch batch;
  std::map<Labels, uint32_t> added;
  uint32_t next_id;
  status = Build(samples, &batch, &added, &next_id);
  if (!status.ok()) return status.WithContext("append to " + options_.path);

  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  status = FromRocksDb(db_->Write(write_options, &batch),
                       "append " + std::to_string(samples.size()) +
                           " samples to " + options_.path);
  if (!status.ok()) return status;

  // Only now are the new series on disk, so only now may readers see them.
  if (!added.empty()) catalogue_->Insert(added, next_id);
  MaybeFlush(now_ms);
  return Status::Ok();
}

void SeriesStore::Impl::MaybeFlush(int64_t now_ms) {
  if (now_ms - last_flush_ms_ < options_.flush_interval_ms) return;

  // The samples are already written, so a failed flush must not fail the
  // append; it is retried on the next one.
  Status status = Flush();
  if (!status.ok()) {
    LOG_WARN("periodic store flush failed", {{"err", status}});
    return;
  }
  last_flush_ms_ = now_ms;
}

Status SeriesStore::Impl::Flush() {
  rocksdb::FlushOptions flush_options;
  flush_options.wait = true;
  Status status = FromRocksDb(db_->Flush(flush_options, handles_),
                              "flush store " + options_.path);
  if (!status.ok()) return status;

  // FIFO checks file ages only when a new version is installed, which an
  // empty flush does not do. A manual FIFO compaction runs that check and
  // nothing else while allow_compaction is off (tens of microseconds).
  rocksdb::CompactRangeOptions compact_options;
  compact_options.exclusive_manual_compaction = false;
  return FromRocksDb(
      db_->CompactRange(compact_options, samples_cf(), nullptr, nullptr),
      "drop expired files of " + options_.path);
}

uint64_t SeriesStore::Impl::DiskBytes() const {
  uint64_t total = 0;
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    uint64_t bytes = 0;
    if (db_->GetIntProperty(handle, rocksdb::DB::Properties::kLiveSstFilesSize,
                            &bytes)) {
      total += bytes;
    }
  }
  return total;
}

Status SeriesStore::Impl::Select(const std::vector<Matcher>& matchers,
                                 std::vector<SeriesInfo>* out) const {
  if (matchers.empty()) {
    return Status::InvalidArgument("a series selector needs a matcher");
  }
  *out = catalogue_->Select(matchers);
  return Status::Ok();
}

Status SeriesStore::Impl::Scan(uint32_t id, int64_t start_ms, int64_t end_ms,
                               bool newest_first, size_t limit,
                               std::vector<Sample>* out) const {
  std::vector<Sample> samples;
  start_ms = std::max(start_ms, NowMs() - options_.retention_ms);
  if (start_ms > end_ms || limit == 0) {
    out->clear();
    return Status::Ok();
  }

  // Keys are exactly kSampleKeySize bytes, so the end key plus one byte is
  // an exclusive bound that cannot overflow, even at INT64_MAX.
  const std::string lower = EncodeSampleKey(id, start_ms);
  const std::string last = EncodeSampleKey(id, end_ms);
  const std::string upper = last + '\0';
  const rocksdb::Slice lower_slice(lower), upper_slice(upper);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(
      SampleReadOptions(start_ms, end_ms, &lower_slice, &upper_slice),
      samples_cf()));

  const std::string context =
      "read series " + std::to_string(id) + " of " + options_.path;
  if (newest_first) {
    it->SeekForPrev(last);
  } else {
    it->Seek(lower);
  }
  for (; it->Valid() && samples.size() < limit;
       newest_first ? it->Prev() : it->Next()) {
    // The bounds keep the scan inside the series; only the key's length
    // can be wrong.
    uint32_t key_id;
    Sample sample;
    Status status = DecodeSampleKey(it->key().ToStringView(), &key_id,
                                    &sample.timestamp_ms);
    if (status.ok()) {
      status = DecodeValue(it->value().ToStringView(), &sample.value);
    }
    if (!status.ok()) return status.WithContext(context);
    samples.push_back(sample);
  }
  Status status = FromRocksDb(it->status(), context);
  if (!status.ok()) return status;
  *out = std::move(samples);
  return Status::Ok();
}

namespace {

// Refuses a store whose LOCK another process holds, before RocksDB's own
// Open: that one rotates the holder's info LOG before it finds the lock.
Status CheckNotHeldElsewhere(const std::string& path) {
  const std::string lock_path = path + "/LOCK";
  int fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Ok();  // A new store, or RocksDB will report.
  struct flock query = {};
  query.l_type = F_WRLCK;
  query.l_whence = SEEK_SET;
  const bool held = fcntl(fd, F_GETLK, &query) == 0 && query.l_type != F_UNLCK;
  close(fd);
  if (!held) return Status::Ok();
  return Status::FailedPrecondition(
      "open store " + path +
      ": another process holds the store (is another exporter running on "
      "this directory?): pid " +
      std::to_string(query.l_pid) + " locks " + lock_path);
}

}  // namespace

Status SeriesStore::Open(const StoreOptions& options,
                         std::unique_ptr<SeriesStore>* store) {
  Status status = ValidateOptions(options);
  if (!status.ok()) return status;

  std::error_code error;
  std::filesystem::create_directories(options.path, error);
  if (error) {
    return Status::FailedPrecondition("create store directory " + options.path +
                                      ": " + error.message());
  }

  status = CheckNotHeldElsewhere(options.path);
  if (!status.ok()) return status;

  DbConfig config = MakeDbConfig(options);
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  status =
      FromRocksDbOpen(rocksdb::DB::Open(config.db, options.path,
                                        config.column_families, &handles, &db),
                      options.path);
  if (!status.ok()) return status;

  // From here the Impl owns the database and closes it on every path.
  auto impl = std::make_unique<Impl>(options, db, std::move(handles));
  status = impl->LoadCatalogue();
  if (!status.ok()) return status;
  store->reset(new SeriesStore(std::move(impl)));
  return Status::Ok();
}

SeriesStore::SeriesStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SeriesStore::~SeriesStore() = default;

Status SeriesStore::Append(const std::vector<LabeledSample>& samples) {
  return impl_->Append(samples);
}

Status SeriesStore::Flush() { return impl_->Flush(); }

uint64_t SeriesStore::DiskBytes() const { return impl_->DiskBytes(); }

Status SeriesStore::Select(const std::vector<Matcher>& matchers,
                           std::vector<SeriesInfo>* out) const {
  return impl_->Select(matchers, out);
}

Status SeriesStore::Read(uint32_t id, int64_t start_ms, int64_t end_ms,
                         std::vector<Sample>* out) const {
  return impl_->Scan(id, start_ms, end_ms, /*newest_first=*/false,
                     std::numeric_limits<size_t>::max(), out);
}

Status SeriesStore::ReadNewestFirst(uint32_t id, int64_t start_ms,
                                    int64_t end_ms, size_t limit,
                                    std::vector<Sample>* out) const {
  return impl_->Scan(id, start_ms, end_ms, /*newest_first=*/true, limit, out);
}

int64_t SeriesStore::retention_ms() const { return impl_->retention_ms(); }

}  // namespace ollama_exporter::tsdb
