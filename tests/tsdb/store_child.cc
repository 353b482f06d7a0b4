// A second process for the store tests (series_store_process_test.cc).
//
//   store_child hold PATH          opens the store, prints "open" (or
//                                  "error <status>"), holds it until stdin
//                                  closes
//   store_child append PATH SYNC   SYNC is "sync" or "nosync": prints
//                                  "base <ms>", then appends batch after
//                                  batch and prints "acked <n>" after each
//                                  Append returned OK, until killed
//
// Both modes end by themselves after 30 s at most, in case the test that
// started them died.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tsdb/series_store.h"

namespace {

using ollama_exporter::Status;
using ollama_exporter::tsdb::LabeledSample;
using ollama_exporter::tsdb::SeriesStore;
using ollama_exporter::tsdb::StoreOptions;

constexpr int kSeries = 50;
constexpr int kMaxBatches = 100000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

// The store stays open until the test closes our stdin.
int HoldUntilStdinCloses() {
  Say("open");
  char byte;
  while (read(STDIN_FILENO, &byte, 1) > 0) {
  }
  return 0;
}

int AppendUntilKilled(SeriesStore* store) {
  const int64_t base = NowMs();
  Say("base " + std::to_string(base));
  std::vector<LabeledSample> batch(kSeries);
  for (int b = 0; b < kMaxBatches; ++b) {
    for (int i = 0; i < kSeries; ++i) {
      batch[i].labels = {{"__name__", "crash_test"},
                         {"series", std::to_string(i)}};
      batch[i].sample = {base + b, 100.0 * b + i};
    }
    const Status status = store->Append(batch);
    if (!status.ok()) {
      Say("error " + status.ToString());
      return 1;
    }
    Say("acked " + std::to_string(b));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  alarm(30);
  if (argc < 3) {
    std::fprintf(stderr, "usage: store_child hold|append PATH [sync|nosync]\n");
    return 2;
  }
  const std::string mode = argv[1];
  StoreOptions options;
  options.path = argv[2];
  options.sync = argc > 3 && std::string(argv[3]) == "sync";

  std::unique_ptr<SeriesStore> store;
  const Status status = SeriesStore::Open(options, &store);
  if (!status.ok()) {
    Say("error " + status.ToString());
    return 1;
  }
  if (mode == "hold") return HoldUntilStdinCloses();
  if (mode == "append") return AppendUntilKilled(store.get());
  return 2;
}
