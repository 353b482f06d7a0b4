#pragma once

#include <cstdint>
#include <string>

namespace ollama_exporter {

// Milliseconds since the Unix epoch, from the system clock.
int64_t NowMillis();

// "2026-08-21T12:00:00.123Z": ISO-8601 UTC with milliseconds. Handles
// any int64 milliseconds in years 0001-9999; others are clamped.
std::string FormatIsoMillis(int64_t unix_ms);

// Appends FormatIsoMillis(unix_ms) to *out, without a temporary: replies
// with thousands of timestamps use it.
void AppendIsoMillis(int64_t unix_ms, std::string* out);

}  // namespace ollama_exporter
