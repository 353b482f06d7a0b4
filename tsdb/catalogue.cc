#include "tsdb/catalogue.h"

#include <string>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "tsdb/key_codec.h"
#include "tsdb/rocksdb_status.h"

namespace ollama_exporter::tsdb {
namespace {

// What a scan of the catalogue column family found, before it is checked.
struct RawCatalogue {
  bool empty = true;
  bool has_version = false;
  uint32_t version = 0;
  bool has_next_id = false;
  uint32_t next_id = 0;
  std::map<uint32_t, Labels> labels_by_id;
  std::map<Labels, uint32_t> ids;
};

Status ReadEntry(std::string_view key, std::string_view value,
                 RawCatalogue* raw) {
  CatalogueKeyKind kind;
  uint32_t id = 0;
  Labels labels;
  Status status = DecodeCatalogueKey(key, &kind, &id, &labels);
  if (!status.ok()) return status;
  switch (kind) {
    case CatalogueKeyKind::kFormatVersion:
      raw->has_version = true;
      return DecodeU32(value, &raw->version).WithContext("format version");
    case CatalogueKeyKind::kNextId:
      raw->has_next_id = true;
      return DecodeU32(value, &raw->next_id).WithContext("id counter");
    case CatalogueKeyKind::kSeriesId:
      status = DecodeLabels(value, &labels);
      if (!status.ok()) {
        return status.WithContext("labels of series " + std::to_string(id));
      }
      raw->labels_by_id.emplace(id, std::move(labels));
      return Status::Ok();
    case CatalogueKeyKind::kLabels:
      status = DecodeU32(value, &id);
      if (!status.ok()) return status.WithContext("id of a label set");
      raw->ids.emplace(std::move(labels), id);
      return Status::Ok();
  }
  return Status::Internal("unhandled catalogue key kind");
}

// Both directions must describe the same series, and the counter must be
// past every id, or new series could reuse an id.
Status Check(const RawCatalogue& raw) {
  if (!raw.has_version) {
    return Status::DataLoss("catalogue has entries but no format version");
  }
  if (raw.version != kFormatVersion) {
    return Status::FailedPrecondition(
        "store format version " + std::to_string(raw.version) +
        " is not supported (this build reads version " +
        std::to_string(kFormatVersion) + ")");
  }
  if (!raw.has_next_id) return Status::DataLoss("catalogue has no id counter");
  if (raw.ids.size() != raw.labels_by_id.size()) {
    return Status::DataLoss(
        "catalogue directions disagree: " + std::to_string(raw.ids.size()) +
        " label sets, " + std::to_string(raw.labels_by_id.size()) + " ids");
  }
  for (const auto& [labels, id] : raw.ids) {
    auto it = raw.labels_by_id.find(id);
    if (it == raw.labels_by_id.end() || it->second != labels) {
      return Status::DataLoss("catalogue directions disagree on series " +
                              std::to_string(id));
    }
    if (id >= raw.next_id) {
      return Status::DataLoss("series id " + std::to_string(id) +
                              " is not below the id counter " +
                              std::to_string(raw.next_id));
    }
  }
  return Status::Ok();
}

Status Initialize(rocksdb::DB* db, const std::string& path) {
  rocksdb::WriteBatch batch;
  batch.Put(FormatVersionKey(), EncodeU32(kFormatVersion))
      .PermitUncheckedError();
  Catalogue::PutNextId(0, &batch);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  const rocksdb::Status status = db->Write(write_options, &batch);
  return FromRocksDb(status, "initialize catalogue of " + path);
}

}  // namespace

Status Catalogue::Load(rocksdb::DB* db, const std::string& path,
                       std::unique_ptr<Catalogue>* catalogue) {
  RawCatalogue raw;
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    raw.empty = false;
    Status status =
        ReadEntry(it->key().ToStringView(), it->value().ToStringView(), &raw);
    if (!status.ok()) return status.WithContext("load catalogue of " + path);
  }
  Status status = FromRocksDb(it->status(), "load catalogue of " + path);
  if (!status.ok()) return status;

  if (raw.empty) {
    status = Initialize(db, path);
    if (!status.ok()) return status;
  } else {
    status = Check(raw);
    if (!status.ok()) return status.WithContext("load catalogue of " + path);
  }
  std::unique_ptr<Catalogue> loaded(new Catalogue());
  loaded->ids_ = std::move(raw.ids);
  loaded->next_id_ = raw.next_id;
  *catalogue = std::move(loaded);
  return Status::Ok();
}

bool Catalogue::Find(const Labels& labels, uint32_t* id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ids_.find(labels);
  if (it == ids_.end()) return false;
  *id = it->second;
  return true;
}

std::vector<SeriesInfo> Catalogue::Select(
    const std::vector<Matcher>& matchers) const {
  std::vector<SeriesInfo> selected;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, id] : ids_) {
    if (MatchesAll(matchers, labels)) selected.push_back({id, labels});
  }
  return selected;
}

uint32_t Catalogue::next_id() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_id_;
}

void Catalogue::PutSeries(const Labels& labels, uint32_t id,
                          rocksdb::WriteBatch* batch) {
  // WriteBatch::Put only fails on sizes over 4 GiB, impossible here.
  batch->Put(SeriesIdKey(id), EncodeLabels(labels)).PermitUncheckedError();
  batch->Put(LabelsKey(labels), EncodeU32(id)).PermitUncheckedError();
}

void Catalogue::PutNextId(uint32_t next_id, rocksdb::WriteBatch* batch) {
  batch->Put(NextIdKey(), EncodeU32(next_id)).PermitUncheckedError();
}

void Catalogue::Insert(const std::map<Labels, uint32_t>& added,
                       uint32_t next_id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, id] : added) ids_.emplace(labels, id);
  next_id_ = next_id;
}

}  // namespace ollama_exporter::tsdb
