#pragma once

#include <cstdint>
#include <cstring>

namespace ollama_exporter::tsdb {

// The staleness marker, as in Prometheus: a sample with this exact NaN
// says "the series ended here". The poller appends one when a series it
// stored in one poll is missing from the next; queries treat a series
// whose newest sample in the lookback window is a marker as having no
// value, and never return the marker itself.
//
// Only these exact bits are a marker: any other NaN (the quiet NaN a
// computation yields, one a collector reports) is an ordinary value. The
// value codec stores it bit for bit (tsdb/value_codec.h).
//
// Thread safety: pure functions.
inline constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002;

// A double with the bits kStaleNaNBits.
inline double StaleMarker() {
  double value;
  std::memcpy(&value, &kStaleNaNBits, sizeof(value));
  return value;
}

// Whether `value` has exactly the bits kStaleNaNBits.
inline bool IsStaleMarker(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits == kStaleNaNBits;
}

}  // namespace ollama_exporter::tsdb
