#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tsdb/sample.h"

namespace ollama_exporter::tsdb {

// Keys of both column families and the canonical bytes of a label set
// (tsdb/FORMAT.md has the byte diagrams).
//
// Sample keys sort bytewise in (series id, timestamp) order, negative
// timestamps before positive ones, so one series over a time range is one
// contiguous scan. Every decoder rejects malformed bytes with kDataLoss and
// leaves its outputs unchanged; none can crash on any input.
//
// Thread safety: pure functions.

inline constexpr size_t kSampleKeySize = 12;

// The version of the on-disk format, stored under FormatVersionKey().
inline constexpr uint32_t kFormatVersion = 1;

// [u32 big-endian id][u64 big-endian timestamp_ms with the sign bit flipped].
std::string EncodeSampleKey(uint32_t id, int64_t timestamp_ms);

// kDataLoss unless `key` is exactly kSampleKeySize bytes.
[[nodiscard]] Status DecodeSampleKey(std::string_view key, uint32_t* id,
                                     int64_t* timestamp_ms);

// The canonical bytes of `labels`: a varint pair count, then per pair in
// name order a varint length and the name, a varint length and the value.
// Equal label sets, and only those, give equal bytes.
std::string EncodeLabels(const Labels& labels);

// kDataLoss for truncated or trailing bytes, non-shortest varints, or
// names that are not strictly increasing (which EncodeLabels never
// writes, so each label set has exactly one encoding).
[[nodiscard]] Status DecodeLabels(std::string_view bytes, Labels* labels);

// Catalogue keys, in the default column family. One tag byte tells them
// apart.
std::string FormatVersionKey();               // -> u32 BE version
std::string NextIdKey();                      // -> u32 BE next free id
std::string SeriesIdKey(uint32_t id);         // -> EncodeLabels(labels)
std::string LabelsKey(const Labels& labels);  // -> u32 BE id

enum class CatalogueKeyKind { kFormatVersion, kNextId, kSeriesId, kLabels };

// Classifies a catalogue key; sets *id for kSeriesId and *labels for
// kLabels. kDataLoss for an unknown tag or a malformed remainder.
[[nodiscard]] Status DecodeCatalogueKey(std::string_view key,
                                        CatalogueKeyKind* kind, uint32_t* id,
                                        Labels* labels);

// The 4-byte big-endian values of the catalogue (ids, counter, version).
std::string EncodeU32(uint32_t value);

// kDataLoss unless `bytes` is exactly 4 bytes.
[[nodiscard]] Status DecodeU32(std::string_view bytes, uint32_t* value);

}  // namespace ollama_exporter::tsdb
