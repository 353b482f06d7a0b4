#include <signal.h>
#include <sys/wait.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/series_store.h"

#include "child_process.h"
#include "store_test_util.h"

namespace ollama_exporter::tsdb {
namespace {

using testing::ChildProcess;
using testing::FindSeries;
using testing::NewTempDir;
using testing::OpenOrDie;
using testing::OptionsFor;
using testing::Series;

constexpr int kTimeoutMs = 10'000;
constexpr int kSeries = 50;  // As in store_child.cc.

// Reads lines until one starts with `prefix`; its remainder, or fails.
std::string ExpectLine(ChildProcess* child, const std::string& prefix) {
  std::string line;
  REQUIRE(child->ReadLine(kTimeoutMs, &line));
  INFO("child said: " << line);
  REQUIRE(line.rfind(prefix, 0) == 0);
  return line.substr(prefix.size());
}

}  // namespace

TEST_CASE(
    "SeriesStore::Open fails clearly while another process holds the "
    "store",
    "[tsdb][store][process]") {
  auto dir = NewTempDir();
  ChildProcess child;
  REQUIRE(child.Start({OE_TSDB_STORE_CHILD, "hold", dir->path()}));
  ExpectLine(&child, "open");

  std::unique_ptr<SeriesStore> store;
  const Status status = SeriesStore::Open(OptionsFor(dir->path()), &store);
  CHECK(status.code() == StatusCode::kFailedPrecondition);
  CHECK(status.message().find("another process holds the store") !=
        std::string::npos);
  CHECK(status.message().find(dir->path()) != std::string::npos);
  CHECK(store == nullptr);

  // The refused open left the holder's files alone: RocksDB's own Open
  // would have rotated its info LOG to LOG.old.<time> first.
  for (const auto& entry : std::filesystem::directory_iterator(dir->path())) {
    INFO(entry.path());
    CHECK(entry.path().filename().string().rfind("LOG.old", 0) != 0);
  }

  // Once the holder exits cleanly, the store opens.
  child.CloseStdin();
  const int exit = child.Wait();
  CHECK(WIFEXITED(exit));
  CHECK(WEXITSTATUS(exit) == 0);
  OpenOrDie(OptionsFor(dir->path()));
}

TEST_CASE(
    "SeriesStore keeps every acknowledged sample when the writer is "
    "killed with SIGKILL",
    "[tsdb][store][process]") {
  const std::string sync = GENERATE(std::string("sync"), std::string("nosync"));
  INFO("writer mode " << sync);
  auto dir = NewTempDir();
  ChildProcess child;
  REQUIRE(child.Start({OE_TSDB_STORE_CHILD, "append", dir->path(), sync}));
  const int64_t base = std::stoll(ExpectLine(&child, "base "));

  // Let it get well into its stream of batches, then kill it mid-flight.
  int last_acked = -1;
  while (last_acked < 300) {
    last_acked = std::stoi(ExpectLine(&child, "acked "));
  }
  child.Kill();
  const int exit = child.Wait();
  REQUIRE(WIFSIGNALED(exit));
  CHECK(WTERMSIG(exit) == SIGKILL);
  // Acknowledgements written before the kill but not read yet count too.
  std::string line;
  while (child.ReadLine(100, &line)) {
    if (line.rfind("acked ", 0) == 0) last_acked = std::stoi(line.substr(6));
  }

  auto store = OpenOrDie(OptionsFor(dir->path()));
  for (int i = 0; i < kSeries; ++i) {
    const Labels labels = Series("crash_test", {{"series", std::to_string(i)}});
    std::vector<Sample> samples;
    REQUIRE_OK(store->Read(FindSeries(*store, labels).id, base,
                           std::numeric_limits<int64_t>::max(), &samples));
    // An append in flight at the kill may or may not have landed.
    REQUIRE(samples.size() >= static_cast<size_t>(last_acked) + 1);
    for (int b = 0; b <= last_acked; ++b) {
      REQUIRE(samples[b] == Sample{base + b, 100.0 * b + i});
    }
  }
}

}  // namespace ollama_exporter::tsdb
