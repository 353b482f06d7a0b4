#include "tsdb/rocksdb_status.h"

#include <string>

namespace ollama_exporter::tsdb {

Status FromRocksDb(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return Status::Ok();
  Status ours;
  std::string text = status.ToString();
  if (status.IsNotFound()) {
    ours = Status::NotFound(std::move(text));
  } else if (status.IsCorruption()) {
    ours = Status::DataLoss(std::move(text));
  } else if (status.IsIOError() || status.IsBusy() || status.IsTimedOut() ||
             status.IsTryAgain()) {
    ours = Status::Unavailable(std::move(text));
  } else {
    ours = Status::Internal(std::move(text));
  }
  return ours.WithContext(context);
}

Status FromRocksDbOpen(const rocksdb::Status& status, std::string_view path) {
  const std::string context = "open store " + std::string(path);
  if (status.ok() || status.IsCorruption()) {
    return FromRocksDb(status, context);
  }
  const std::string text = status.ToString();

  // RocksDB reports both cases of a held LOCK file as I/O errors; the
  // text is the only way to tell them from a failing disk.
  if (text.find("lock hold by current process") != std::string::npos) {
    return Status::FailedPrecondition(
        context + ": the store is already open in this process (" + text + ")");
  }
  if (status.IsIOError() && text.find("While lock file") != std::string::npos) {
    return Status::FailedPrecondition(
        context +
        ": another process holds the store (is another exporter running "
        "on this directory?): " +
        text);
  }
  if (status.IsIOError() || status.IsInvalidArgument()) {
    return Status::FailedPrecondition(context + ": " + text);
  }
  return FromRocksDb(status, context);
}

}  // namespace ollama_exporter::tsdb
