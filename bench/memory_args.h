#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::bench {

// memory_bench's command line.
struct MemoryArgs {
  // Polls to wait for. The exporter polls at most every 100 ms (a poll of
  // 100 models takes ~130 ms on the 2-core build machine), so the default
  // fits the two-minute budget of a benchmark run; 5760 is a day.
  int64_t polls = 800;
  // Models the fake Ollama lists as installed and as loaded.
  int64_t models = 100;
};

inline constexpr char kMemoryUsage[] =
    "usage: memory_bench [--polls=N (1-100000, default 800; 5760 is a day "
    "at 15 s)] [--models=N (1-10000, default 100)]";

// Parses "--polls=N" and "--models=N" (argv without the program name) into
// *out, keeping the defaults of flags not given; a repeated flag counts
// its last value. kInvalidArgument, naming the argument, for any other
// argument or a value that is not a whole number in range. On error *out
// is unchanged.
[[nodiscard]] Status ParseMemoryArgs(const std::vector<std::string>& args,
                                     MemoryArgs* out);

}  // namespace ollama_exporter::bench
