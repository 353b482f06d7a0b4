#pragma once

#include <string_view>

#include "common/status.h"

#include "subprocess.h"

namespace ollama_exporter::integration {

// Pipes `exposition` into `promtool check metrics` (the promtool found at
// configure time) and waits up to 10 s. *result holds promtool's exit code
// (0 clean, 1 parse error, 3 lint findings) and its output. Errors only
// when promtool cannot be run, as RunProcess.
Status PromtoolCheckMetrics(std::string_view exposition, ProcessResult* result);

}  // namespace ollama_exporter::integration
