// The history across restarts, crashes and retention.

#include <algorithm>
#include <chrono>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "rig.h"
#include "rig_checks.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kWaitMs = 5000;

std::set<int64_t> Timestamps(const HistoryReply& reply) {
  std::set<int64_t> timestamps;
  for (const HistoryEntry& entry : reply.data) {
    timestamps.insert(entry.timestamp_ms);
  }
  return timestamps;
}

// Waits until the history holds at least `count` polls.
void WaitForPolls(Rig* rig, size_t count, HistoryReply* reply) {
  REQUIRE(Eventually(
      [&] {
        return rig->History("", reply).ok() && reply->data.size() >= count;
      },
      kWaitMs));
}

// The polls of `before` missing from `after`.
std::vector<int64_t> Missing(const std::set<int64_t>& before,
                             const std::set<int64_t>& after) {
  std::vector<int64_t> missing;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(missing));
  return missing;
}

TEST_CASE("History survives a clean restart on the same storage",
          "[integration][persistence]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  HistoryReply reply;
  WaitForPolls(rig.get(), 3, &reply);

  int exit_code = -1;
  REQUIRE_OK(rig->exporter().Terminate(10000, &exit_code));
  CHECK(exit_code == 0);
  const std::string log = rig->exporter().Log();
  INFO(log);
  CHECK(log.find("msg=\"shutting down\"") != std::string::npos);
  CHECK(log.find("level=error") == std::string::npos);

  // Every poll written before the stop, including the last ones.
  REQUIRE_OK(rig->StartExporter());
  HistoryReply first_after;
  REQUIRE_OK(rig->History("", &first_after));
  const std::set<int64_t> before = Timestamps(reply);
  WaitForPolls(rig.get(), before.size() + 2, &reply);
  const std::set<int64_t> after = Timestamps(reply);
  CHECK(Missing(before, after).empty());
  CHECK(*after.rbegin() > *before.rbegin());
  CHECK(first_after.data.size() >= before.size());
}

TEST_CASE("History keeps every reported poll after kill -9",
          "[integration][persistence]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  REQUIRE_OK(rig->StartExporter());
  HistoryReply reply;
  WaitForPolls(rig.get(), 5, &reply);

  // Kill while polling, right after reading the history.
  REQUIRE_OK(rig->History("", &reply));
  rig->exporter().Kill();
  const std::set<int64_t> before = Timestamps(reply);

  REQUIRE_OK(rig->StartExporter());
  HttpReply ready;
  REQUIRE(Eventually(
      [&] {
        return rig->exporter().Get("/-/ready", &ready).ok() &&
               ready.status == 200;
      },
      kWaitMs));
  REQUIRE_OK(rig->History("", &reply));
  const std::set<int64_t> after = Timestamps(reply);
  CHECK(Missing(before, after).empty());
  CHECK(after.size() > before.size());
  INFO(rig->exporter().Log());
  CHECK(rig->exporter().Log().find("level=error") == std::string::npos);
}

TEST_CASE("History drops polls older than the retention",
          "[integration][persistence]") {
  std::unique_ptr<Rig> rig;
  REQUIRE_OK(Rig::Create(&rig));
  const int64_t started_ms = NowMillis();
  REQUIRE_OK(rig->StartExporter({"--storage.retention=3s"}));
  HistoryReply reply;
  WaitForPolls(rig.get(), 3, &reply);
  std::this_thread::sleep_for(std::chrono::milliseconds(
      std::max<int64_t>(0, started_ms + 5000 - NowMillis())));

  REQUIRE_OK(rig->History("?hours=1", &reply));
  REQUIRE_FALSE(reply.data.empty());
  for (const HistoryEntry& entry : reply.data) {
    CAPTURE(entry.timestamp_ms, reply.timestamp_ms);
    CHECK(entry.timestamp_ms >= reply.timestamp_ms - 3000);
  }
  // The first polls (right after start) are gone.
  CHECK(reply.data.back().timestamp_ms > started_ms + 1000);
  // About 3 s of 200ms polls remain.
  CHECK(reply.data.size() >= 5);
  CHECK(reply.data.size() <= 17);
}

}  // namespace
}  // namespace ollama_exporter::integration
