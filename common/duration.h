#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter {

// Parses a Prometheus duration: one or more <integer><unit> terms from
// largest to smallest unit, units y w d h m s ms ("1h30m", "500ms", "7d").
// A bare "0" is zero. kInvalidArgument (message quoting the text) for
// anything else: empty, negative, decimals, unknown or repeated units,
// overflow past int64 milliseconds.
Status ParseDuration(std::string_view text, int64_t* milliseconds);

// The shortest Prometheus form of a duration: 90000 -> "1m30s", 0 -> "0s".
std::string FormatDuration(int64_t milliseconds);

}  // namespace ollama_exporter
