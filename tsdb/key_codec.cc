#include "tsdb/key_codec.h"

#include <utility>

#include "tsdb/varint.h"

namespace ollama_exporter::tsdb {
namespace {

constexpr char kFormatVersionTag = 'V';
constexpr char kNextIdTag = 'N';
constexpr char kSeriesIdTag = 'I';
constexpr char kLabelsTag = 'L';

constexpr uint64_t kSignBit = uint64_t{1} << 63;

void PutBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) {
    out->push_back(static_cast<char>(value >> (8 * i)));
  }
}

uint64_t GetBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

// Reads a varint length and that many bytes from the front of *input.
bool GetLengthPrefixed(std::string_view* input, std::string_view* out) {
  uint64_t length;
  std::string_view rest = *input;
  if (!GetVarint64(&rest, &length) || length > rest.size()) return false;
  *out = rest.substr(0, length);
  rest.remove_prefix(length);
  *input = rest;
  return true;
}

void PutLengthPrefixed(const std::string& text, std::string* out) {
  PutVarint64(text.size(), out);
  out->append(text);
}

}  // namespace

std::string EncodeSampleKey(uint32_t id, int64_t timestamp_ms) {
  std::string key;
  key.reserve(kSampleKeySize);
  PutBigEndian(id, 4, &key);
  PutBigEndian(static_cast<uint64_t>(timestamp_ms) ^ kSignBit, 8, &key);
  return key;
}

Status DecodeSampleKey(std::string_view key, uint32_t* id,
                       int64_t* timestamp_ms) {
  if (key.size() != kSampleKeySize) {
    return Status::DataLoss("sample key is " + std::to_string(key.size()) +
                            " bytes, want " + std::to_string(kSampleKeySize));
  }
  *id = static_cast<uint32_t>(GetBigEndian(key.substr(0, 4)));
  *timestamp_ms = static_cast<int64_t>(GetBigEndian(key.substr(4)) ^ kSignBit);
  return Status::Ok();
}

std::string EncodeLabels(const Labels& labels) {
  std::string bytes;
  PutVarint64(labels.size(), &bytes);
  for (const auto& [name, value] : labels) {
    PutLengthPrefixed(name, &bytes);
    PutLengthPrefixed(value, &bytes);
  }
  return bytes;
}

Status DecodeLabels(std::string_view bytes, Labels* labels) {
  uint64_t count;
  if (!GetVarint64(&bytes, &count)) {
    return Status::DataLoss("label set has a malformed pair count");
  }

  // Each pair takes at least two bytes; this also bounds the loop.
  if (count > bytes.size() / 2) {
    return Status::DataLoss("label set is shorter than its pair count");
  }
  Labels decoded;
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name, value;
    if (!GetLengthPrefixed(&bytes, &name) ||
        !GetLengthPrefixed(&bytes, &value)) {
      return Status::DataLoss("label set is truncated");
    }
    if (!decoded.empty() && name <= decoded.rbegin()->first) {
      return Status::DataLoss("label names are not strictly increasing");
    }
    decoded.emplace_hint(decoded.end(), name, value);
  }
  if (!bytes.empty()) {
    return Status::DataLoss("label set has trailing bytes");
  }
  *labels = std::move(decoded);
  return Status::Ok();
}

std::string FormatVersionKey() { return std::string(1, kFormatVersionTag); }

std::string NextIdKey() { return std::string(1, kNextIdTag); }

std::string SeriesIdKey(uint32_t id) {
  std::string key(1, kSeriesIdTag);
  PutBigEndian(id, 4, &key);
  return key;
}

std::string LabelsKey(const Labels& labels) {
  return std::string(1, kLabelsTag) + EncodeLabels(labels);
}

Status DecodeCatalogueKey(std::string_view key, CatalogueKeyKind* kind,
                          uint32_t* id, Labels* labels) {
  if (key.empty()) return Status::DataLoss("empty catalogue key");
  const char tag = key[0];
  key.remove_prefix(1);
  switch (tag) {
    case kFormatVersionTag:
    case kNextIdTag:
      if (!key.empty()) {
        return Status::DataLoss("catalogue key has trailing bytes");
      }
      *kind = tag == kFormatVersionTag ? CatalogueKeyKind::kFormatVersion
                                       : CatalogueKeyKind::kNextId;
      return Status::Ok();
    case kSeriesIdTag: {
      uint32_t decoded;
      Status status = DecodeU32(key, &decoded);
      if (!status.ok()) return status.WithContext("series id key");
      *id = decoded;
      *kind = CatalogueKeyKind::kSeriesId;
      return Status::Ok();
    }
    case kLabelsTag: {
      Status status = DecodeLabels(key, labels);
      if (!status.ok()) return status.WithContext("labels key");
      *kind = CatalogueKeyKind::kLabels;
      return Status::Ok();
    }
  }
  return Status::DataLoss("unknown catalogue key tag " +
                          std::to_string(static_cast<uint8_t>(tag)));
}

std::string EncodeU32(uint32_t value) {
  std::string bytes;
  PutBigEndian(value, 4, &bytes);
  return bytes;
}

Status DecodeU32(std::string_view bytes, uint32_t* value) {
  if (bytes.size() != 4) {
    return Status::DataLoss("u32 field is " + std::to_string(bytes.size()) +
                            " bytes, want 4");
  }
  *value = static_cast<uint32_t>(GetBigEndian(bytes));
  return Status::Ok();
}

}  // namespace ollama_exporter::tsdb
