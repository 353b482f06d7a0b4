#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::tsdb {

// The bytes of one sample value in the samples column family
// (tsdb/FORMAT.md, "Values").
//
// A value that is a short decimal (m / 10^s with |m| <= 2^53 and
// 0 <= s <= 15, e.g. 1, 4096, 12.75, 0.001) is stored as the tag s and m
// as a zigzag varint, 2 to 9 bytes; anything else (NaN, +-Inf, -0.0,
// long fractions, huge integers) as a tag and the 8 raw IEEE-754 bytes.
// Every double round-trips bit for bit, NaN payloads included.
//
// Thread safety: pure functions.

// Appends the encoding of `value` to *out.
void EncodeValue(double value, std::string* out);

// Decodes exactly `bytes` (no trailing bytes allowed) into *value.
// kDataLoss for anything EncodeValue cannot produce; *value is then
// unchanged.
[[nodiscard]] Status DecodeValue(std::string_view bytes, double* value);

}  // namespace ollama_exporter::tsdb
