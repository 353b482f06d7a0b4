#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::bench {

// Reads /proc/<pid>/<file> ("status", "smaps_rollup", "smaps") into *text.
// kUnavailable when it cannot be read (the process is gone).
[[nodiscard]] Status ReadProcFile(pid_t pid, std::string_view file,
                                  std::string* text);

// The number of the line "<name>: <n>" or "<name>: <n> kB" of a /proc file
// such as status or smaps_rollup (VmRSS, VmHWM, Threads, Rss, ...).
// kNotFound when no line has that name; kInvalidArgument when its value is
// not a whole number that fits in int64. On error *value is unchanged.
[[nodiscard]] Status FindProcField(std::string_view text, std::string_view name,
                                   int64_t* value);

// One mapping of /proc/<pid>/smaps: its path ("" for anonymous memory,
// "[heap]", "[stack]", a file) and resident kB.
struct Mapping {
  std::string path;
  int64_t rss_kib = 0;
};

// The mappings of a /proc/<pid>/smaps text, in file order, replacing *out.
// kInvalidArgument (naming the line) when a mapping has no Rss line or an
// Rss value that is not a number, or a field line comes before any mapping;
// then *out is unchanged.
[[nodiscard]] Status ParseSmaps(std::string_view text,
                                std::vector<Mapping>* out);

}  // namespace ollama_exporter::bench
