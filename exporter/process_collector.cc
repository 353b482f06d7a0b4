#include "exporter/process_collector.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "exporter/metric_families.h"

namespace ollama_exporter {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fields of /proc/<pid>/stat after the command name, which may itself
// hold spaces and parentheses: fields[0] is field 3 (state).
std::vector<std::string> StatFields(const std::string& stat) {
  std::vector<std::string> fields;
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  while (rest >> field) fields.push_back(field);
  return fields;
}

std::optional<double> Field(const std::vector<std::string>& fields,
                            size_t stat_index) {
  size_t i = stat_index - 3;
  if (i >= fields.size()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(fields[i].c_str(), &end);
  if (end == fields[i].c_str()) return std::nullopt;
  return value;
}

std::optional<double> BootTimeSeconds(const std::string& proc_root) {
  std::optional<std::string> stat = ReadFile(proc_root + "/stat");
  if (!stat) return std::nullopt;
  std::istringstream lines(*stat);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("btime ", 0) == 0)
      return std::strtod(line.c_str() + 6, nullptr);
  }
  return std::nullopt;
}

// "Max open files  1024  4096  files" -> the soft limit. "unlimited" is
// 2^64, as the Go client reports RLIM_INFINITY; the largest double would
// not survive the serializer's 16-digit rounding.
std::optional<double> Limit(const std::string& limits, std::string_view row) {
  std::istringstream lines(limits);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(row, 0) != 0) continue;
    std::istringstream values(line.substr(row.size()));
    std::string soft;
    values >> soft;
    if (soft == "unlimited") return 18446744073709551616.0;
    char* end = nullptr;
    double value = std::strtod(soft.c_str(), &end);
    if (end == soft.c_str()) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

std::optional<double> OpenFds(const std::string& fd_dir) {
  DIR* dir = opendir(fd_dir.c_str());
  if (dir == nullptr) return std::nullopt;
  double count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // The descriptor opendir itself holds.
}

void AddGauge(std::string name, std::string help, std::optional<double> value,
              std::vector<prometheus::MetricFamily>* out) {
  if (!value) return;
  out->push_back(MakeGauge(std::move(name), std::move(help)));
  AddSample(&out->back(), {}, *value);
}

}  // namespace

ProcessCollector::ProcessCollector(std::string proc_self)
    : proc_self_(std::move(proc_self)) {}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  std::vector<prometheus::MetricFamily> out;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  std::vector<std::string> stat =
      StatFields(ReadFile(proc_self_ + "/stat").value_or(""));

  // Fields 14 and 15 (utime, stime) are in clock ticks.
  std::optional<double> utime = Field(stat, 14);
  std::optional<double> stime = Field(stat, 15);
  if (utime && stime) {
    out.push_back(MakeCounter("process_cpu_seconds_total",
                              "Total user and system CPU time spent in "
                              "seconds."));
    AddSample(&out.back(), {}, (*utime + *stime) / ticks);
  }

  std::optional<std::string> limits = ReadFile(proc_self_ + "/limits");
  AddGauge("process_open_fds", "Number of open file descriptors.",
           OpenFds(proc_self_ + "/fd"), &out);
  AddGauge("process_max_fds", "Maximum number of open file descriptors.",
           limits ? Limit(*limits, "Max open files") : std::nullopt, &out);

  // Field 23 is vsize in bytes, 24 rss in pages.
  AddGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
           Field(stat, 23), &out);
  AddGauge("process_virtual_memory_max_bytes",
           "Maximum amount of virtual memory available in bytes.",
           limits ? Limit(*limits, "Max address space") : std::nullopt, &out);
  std::optional<double> rss = Field(stat, 24);
  AddGauge("process_resident_memory_bytes", "Resident memory size in bytes.",
           rss ? std::optional<double>(*rss * page) : std::nullopt, &out);

  // Field 22 is the start time in ticks after boot.
  std::optional<double> start_ticks = Field(stat, 22);
  std::string proc_root = proc_self_.substr(0, proc_self_.rfind('/'));
  std::optional<double> boot = BootTimeSeconds(proc_root);
  AddGauge("process_start_time_seconds",
           "Start time of the process since unix epoch in seconds.",
           start_ticks && boot
               ? std::optional<double>(*boot + *start_ticks / ticks)
               : std::nullopt,
           &out);
  AddGauge("process_threads", "Number of OS threads in the process.",
           Field(stat, 20), &out);
  return out;
}

}  // namespace ollama_exporter
