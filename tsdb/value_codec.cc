#include "tsdb/value_codec.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "tsdb/varint.h"

namespace ollama_exporter::tsdb {
namespace {

// Tags 0..kMaxScale are decimal scales; kRawTag is a raw double.
constexpr int kMaxScale = 15;
constexpr uint8_t kRawTag = 0x10;

// Every integer up to this magnitude is exact in a double.
constexpr int64_t kMaxExactInteger = int64_t{1} << 53;

constexpr double kPowersOfTen[kMaxScale + 1] = {
    1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

uint64_t BitsOf(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

double FromBits(uint64_t bits) {
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

// The value the decoder computes for (mantissa, scale). Division by an
// exact power of ten is correctly rounded, so the encoder can check a
// candidate by running exactly this.
double DecimalValue(int64_t mantissa, int scale) {
  return static_cast<double>(mantissa) / kPowersOfTen[scale];
}

// Finds the smallest scale at which `value` is a short decimal.
bool FindDecimal(double value, int64_t* mantissa, int* scale) {
  if (!std::isfinite(value)) return false;
  const uint64_t bits = BitsOf(value);
  for (int s = 0; s <= kMaxScale; ++s) {
    const double scaled = std::nearbyint(value * kPowersOfTen[s]);
    if (std::fabs(scaled) > static_cast<double>(kMaxExactInteger)) {
      return false;
    }
    const auto m = static_cast<int64_t>(scaled);

    // Comparing bits, not values, keeps -0.0 out (it would decode as +0).
    if (BitsOf(DecimalValue(m, s)) == bits) {
      *mantissa = m;
      *scale = s;
      return true;
    }
  }
  return false;
}

}  // namespace

void EncodeValue(double value, std::string* out) {
  int64_t mantissa;
  int scale;
  if (FindDecimal(value, &mantissa, &scale)) {
    out->push_back(static_cast<char>(scale));
    PutVarint64(ZigzagEncode(mantissa), out);
    return;
  }
  out->push_back(static_cast<char>(kRawTag));
  const uint64_t bits = BitsOf(value);
  for (int i = 0; i < 8; ++i) {
    out->push_back(static_cast<char>(bits >> (8 * i)));
  }
}

Status DecodeValue(std::string_view bytes, double* value) {
  if (bytes.empty()) return Status::DataLoss("empty sample value");
  const auto tag = static_cast<uint8_t>(bytes[0]);
  bytes.remove_prefix(1);
  if (tag == kRawTag) {
    if (bytes.size() != 8) {
      return Status::DataLoss("raw sample value is not 8 bytes");
    }
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
      bits |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * i);
    }
    *value = FromBits(bits);
    return Status::Ok();
  }
  if (tag > kMaxScale) {
    return Status::DataLoss("unknown sample value tag " + std::to_string(tag));
  }
  uint64_t zigzag;
  if (!GetVarint64(&bytes, &zigzag) || !bytes.empty()) {
    return Status::DataLoss("malformed decimal sample value");
  }
  const int64_t mantissa = ZigzagDecode(zigzag);
  if (mantissa > kMaxExactInteger || mantissa < -kMaxExactInteger) {
    return Status::DataLoss("decimal sample value out of range");
  }
  *value = DecimalValue(mantissa, tag);
  return Status::Ok();
}

}  // namespace ollama_exporter::tsdb
