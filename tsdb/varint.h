#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ollama_exporter::tsdb {

// LEB128 unsigned varints (7 bits a byte, low groups first), shared by the
// label and value codecs. Internal to tsdb/.

// Appends the shortest encoding of `value` to *out.
void PutVarint64(uint64_t value, std::string* out);

// Reads one varint from the front of *input and advances past it. False,
// with *input unchanged, when it is truncated, longer than 10 bytes,
// overflows 64 bits or is not the shortest encoding (so that every value
// has exactly one encoding).
bool GetVarint64(std::string_view* input, uint64_t* value);

// Zigzag maps signed to unsigned so that small magnitudes stay short:
// 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...
inline uint64_t ZigzagEncode(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^
         static_cast<uint64_t>(value >> 63);
}

inline int64_t ZigzagDecode(uint64_t value) {
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

}  // namespace ollama_exporter::tsdb
