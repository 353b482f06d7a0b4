#include "tsdb/time_range.h"

#include <limits>
#include <string>

#include "tsdb/key_codec.h"

namespace ollama_exporter::tsdb {
namespace {

constexpr char kMinProperty[] = "ollama_exporter.min_timestamp_ms";
constexpr char kMaxProperty[] = "ollama_exporter.max_timestamp_ms";

// The timestamps reuse the sample key encoding: a key of series 0.
std::string EncodeTimestamp(int64_t timestamp_ms) {
  return EncodeSampleKey(0, timestamp_ms);
}

bool DecodeTimestamp(const std::string& bytes, int64_t* timestamp_ms) {
  uint32_t id;
  return DecodeSampleKey(bytes, &id, timestamp_ms).ok();
}

class TimeRangeCollector final : public rocksdb::TablePropertiesCollector {
 public:
  // RocksDB is not exception-safe; nothing here throws.
  rocksdb::Status AddUserKey(const rocksdb::Slice& key,
                             const rocksdb::Slice& /*value*/,
                             rocksdb::EntryType /*type*/,
                             rocksdb::SequenceNumber /*seq*/,
                             uint64_t /*file_size*/) override {
    uint32_t id;
    int64_t timestamp_ms;
    if (key.size() != kSampleKeySize ||
        !DecodeSampleKey(key.ToStringView(), &id, &timestamp_ms).ok()) {
      // A foreign key: the range is unknown, so leave the file unfiltered.
      malformed_ = true;
      return rocksdb::Status::OK();
    }
    if (timestamp_ms < min_ms_) min_ms_ = timestamp_ms;
    if (timestamp_ms > max_ms_) max_ms_ = timestamp_ms;
    return rocksdb::Status::OK();
  }

  rocksdb::Status Finish(
      rocksdb::UserCollectedProperties* properties) override {
    if (malformed_ || min_ms_ > max_ms_) return rocksdb::Status::OK();
    properties->emplace(kMinProperty, EncodeTimestamp(min_ms_));
    properties->emplace(kMaxProperty, EncodeTimestamp(max_ms_));
    return rocksdb::Status::OK();
  }

  rocksdb::UserCollectedProperties GetReadableProperties() const override {
    if (malformed_ || min_ms_ > max_ms_) return {};
    return {{kMinProperty, std::to_string(min_ms_)},
            {kMaxProperty, std::to_string(max_ms_)}};
  }

  const char* Name() const override { return "TimeRangeCollector"; }

 private:
  int64_t min_ms_ = std::numeric_limits<int64_t>::max();
  int64_t max_ms_ = std::numeric_limits<int64_t>::min();
  bool malformed_ = false;
};

class TimeRangeCollectorFactory final
    : public rocksdb::TablePropertiesCollectorFactory {
 public:
  rocksdb::TablePropertiesCollector* CreateTablePropertiesCollector(
      rocksdb::TablePropertiesCollectorFactory::Context /*context*/) override {
    return new TimeRangeCollector();
  }

  const char* Name() const override { return "TimeRangeCollectorFactory"; }
};

}  // namespace

std::shared_ptr<rocksdb::TablePropertiesCollectorFactory>
NewTimeRangeCollectorFactory() {
  return std::make_shared<TimeRangeCollectorFactory>();
}

bool TableMayHold(const rocksdb::TableProperties& properties, int64_t start_ms,
                  int64_t end_ms) {
  const auto& user = properties.user_collected_properties;
  auto min = user.find(kMinProperty);
  auto max = user.find(kMaxProperty);
  int64_t min_ms;
  int64_t max_ms;
  if (min == user.end() || max == user.end() ||
      !DecodeTimestamp(min->second, &min_ms) ||
      !DecodeTimestamp(max->second, &max_ms)) {
    return true;
  }
  return min_ms <= end_ms && start_ms <= max_ms;
}

}  // namespace ollama_exporter::tsdb
