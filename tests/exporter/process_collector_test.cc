#include "exporter/process_collector.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "exporter/metric_families.h"

#include "testing/temp_dir.h"

namespace ollama_exporter {
namespace {

// A fake /proc with one process directory "self" in it.
class FakeProc {
 public:
  FakeProc() {
    REQUIRE(testing::TempDir::Create("process_collector_test", &dir_).ok());
    std::filesystem::create_directories(dir_->File("self/fd"));
  }

  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(dir_->File(relative)) << text;
  }

  void AddFds(int count) {
    for (int i = 0; i < count; ++i) {
      Write("self/fd/" + std::to_string(i), "");
    }
  }

  std::string self() const { return dir_->File("self"); }

 private:
  std::unique_ptr<testing::TempDir> dir_;
};

std::map<std::string, double> Values(const ProcessCollector& collector) {
  std::map<std::string, double> values;
  for (const auto& family : collector.Collect()) {
    REQUIRE(family.metric.size() == 1);
    values[family.name] = SampleValue(family, family.metric[0]);
  }
  return values;
}

// Fields 1-24 of /proc/<pid>/stat; the command name holds a space and a
// parenthesis, as a real one may.
constexpr char kStat[] =
    "4242 (ollama (x) exporter) S 1 4242 4242 0 -1 4194560 1000 0 0 0 "
    "250 150 0 0 20 0 14 0 500 894013440 5740";

constexpr char kLimits[] =
    "Limit                     Soft Limit           Hard Limit           "
    "Units\n"
    "Max cpu time              unlimited            unlimited            "
    "seconds\n"
    "Max open files            1024                 4096                 "
    "files\n"
    "Max address space         unlimited            unlimited            "
    "bytes\n";

TEST_CASE("ProcessCollector reads the standard process metrics from /proc",
          "[process]") {
  FakeProc proc;
  proc.Write("self/stat", kStat);
  proc.Write("self/limits", kLimits);
  proc.Write("stat", "cpu  1 2 3\nbtime 1796400000\nprocesses 9\n");
  proc.AddFds(5);

  std::map<std::string, double> values = Values(ProcessCollector(proc.self()));
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  CHECK(values["process_cpu_seconds_total"] == Approx(400 / ticks));
  CHECK(values["process_open_fds"] == 4);  // Less opendir's own descriptor.
  CHECK(values["process_max_fds"] == 1024);
  CHECK(values["process_virtual_memory_bytes"] == 894013440);
  CHECK(values["process_virtual_memory_max_bytes"] == 18446744073709551616.0);
  CHECK(values["process_resident_memory_bytes"] == 5740 * page);
  CHECK(values["process_start_time_seconds"] ==
        Approx(1796400000 + 500 / ticks));
  CHECK(values["process_threads"] == 14);
}

TEST_CASE("ProcessCollector leaves out what it cannot read", "[process]") {
  FakeProc proc;
  proc.Write("self/stat", "garbage without the command's parenthesis");
  std::map<std::string, double> values = Values(ProcessCollector(proc.self()));
  CHECK(values.count("process_cpu_seconds_total") == 0);
  CHECK(values.count("process_resident_memory_bytes") == 0);
  CHECK(values.count("process_start_time_seconds") == 0);
  CHECK(values.count("process_max_fds") == 0);
  CHECK(values.count("process_open_fds") == 1);
}

TEST_CASE("ProcessCollector reads this very process", "[process]") {
  std::map<std::string, double> values = Values(ProcessCollector());
  CHECK(values["process_resident_memory_bytes"] > 0);
  CHECK(values["process_threads"] >= 1);
  CHECK(values["process_start_time_seconds"] > 1.7e9);
}

}  // namespace
}  // namespace ollama_exporter
