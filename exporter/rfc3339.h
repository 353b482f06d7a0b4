#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter {

// Parses an RFC 3339 timestamp as Ollama writes them (Go's RFC3339Nano):
// "2026-08-02T19:41:07.330918114+02:00", "2024-05-02T08:00:04.51Z".
// Accepts years 0001-9999, 0-9 fractional digits, "Z" or a +hh:mm / -hh:mm
// offset, "T"/"t" and "Z"/"z", and second 60 (counted as the next minute's
// first second). The fraction is truncated to milliseconds.
//
// On success sets *unix_ms to milliseconds since the Unix epoch (negative
// before 1970). kInvalidArgument, naming what is wrong and where, for
// anything else; then *unix_ms is unchanged. Pure; safe on any input.
Status ParseRfc3339(std::string_view text, int64_t* unix_ms);

}  // namespace ollama_exporter
