#include "tsdb/rocksdb_status.h"

#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter::tsdb {

TEST_CASE("RocksDB statuses map to what the caller should do",
          "[tsdb][status]") {
  CHECK(FromRocksDb(rocksdb::Status::OK(), "ctx").ok());
  CHECK(FromRocksDb(rocksdb::Status::NotFound("x"), "ctx").code() ==
        StatusCode::kNotFound);
  CHECK(FromRocksDb(rocksdb::Status::Corruption("x"), "ctx").code() ==
        StatusCode::kDataLoss);
  CHECK(FromRocksDb(rocksdb::Status::IOError("x"), "ctx").code() ==
        StatusCode::kUnavailable);
  CHECK(FromRocksDb(rocksdb::Status::Busy("x"), "ctx").code() ==
        StatusCode::kUnavailable);
  CHECK(FromRocksDb(rocksdb::Status::TimedOut("x"), "ctx").code() ==
        StatusCode::kUnavailable);
  CHECK(FromRocksDb(rocksdb::Status::TryAgain("x"), "ctx").code() ==
        StatusCode::kUnavailable);
  CHECK(FromRocksDb(rocksdb::Status::InvalidArgument("x"), "ctx").code() ==
        StatusCode::kInternal);
  CHECK(FromRocksDb(rocksdb::Status::NotSupported("x"), "ctx").code() ==
        StatusCode::kInternal);
}

TEST_CASE("Mapped RocksDB errors keep the context and RocksDB's text",
          "[tsdb][status]") {
  const Status status = FromRocksDb(
      rocksdb::Status::IOError("While appending to file", "/data/000012.log"),
      "append 700 samples to /data");
  CHECK(status.message() ==
        "append 700 samples to /data: IO error: While appending to file: "
        "/data/000012.log");
}

TEST_CASE("Open errors are setup problems, a held lock says who holds it",
          "[tsdb][status]") {
  SECTION("another process") {
    const Status status = FromRocksDbOpen(
        rocksdb::Status::IOError("While lock file: /data/LOCK",
                                 "Resource temporarily unavailable"),
        "/data");
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message().rfind(
              "open store /data: another process holds the store", 0) == 0);
  }
  SECTION("this process") {
    const Status status = FromRocksDbOpen(
        rocksdb::Status::IOError("lock hold by current process, acquire "
                                 "time 1 acquiring thread 2: /data/LOCK",
                                 "No locks available"),
        "/data");
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message().rfind(
              "open store /data: the store is already open in this process",
              0) == 0);
  }
  SECTION("a file that cannot be created") {
    const Status status = FromRocksDbOpen(
        rocksdb::Status::IOError("While open a file for lock: /data/LOCK",
                                 "Permission denied"),
        "/data");
    CHECK(status.code() == StatusCode::kFailedPrecondition);
    CHECK(status.message().find("another process") == std::string::npos);
    CHECK(status.message().find("Permission denied") != std::string::npos);
  }
  SECTION("corruption") {
    CHECK(FromRocksDbOpen(rocksdb::Status::Corruption("bad MANIFEST"), "/data")
              .code() == StatusCode::kDataLoss);
  }
  SECTION("our own bug") {
    CHECK(
        FromRocksDbOpen(rocksdb::Status::NotSupported("ttl"), "/data").code() ==
        StatusCode::kInternal);
  }
}

}  // namespace ollama_exporter::tsdb
