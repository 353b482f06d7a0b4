#include "tsdb/value_codec.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tsdb/stale_marker.h"

namespace ollama_exporter::tsdb {
namespace {

uint64_t Bits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

double FromBits(uint64_t bits) {
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

std::string Encode(double value) {
  std::string bytes;
  EncodeValue(value, &bytes);
  return bytes;
}

// Decodes or fails the test; compares bits, so NaN and -0.0 count.
uint64_t RoundTripBits(double value) {
  double decoded = 12345;
  const Status status = DecodeValue(Encode(value), &decoded);
  REQUIRE(status.ToString() == "OK");
  return Bits(decoded);
}

}  // namespace

TEST_CASE("Values round-trip bit for bit", "[tsdb][codec]") {
  using limits = std::numeric_limits<double>;
  const std::vector<double> values = {
      0.0,
      -0.0,
      1,
      -1,
      0.1,
      12.75,
      45.123456789,
      -7.5e-10,
      3.141592653589793,
      1e15,
      9007199254740992.0,  // 2^53
      9007199254740994.0,  // 2^53 + 2
      1e300,
      -1e-300,
      limits::denorm_min(),
      limits::max(),
      limits::lowest(),
      limits::quiet_NaN(),
      -limits::quiet_NaN(),
      FromBits(0x7ff0000000000001),  // signalling NaN with a payload
      FromBits(0x7ff8dead0000beef),  // quiet NaN with a payload
      limits::infinity(),
      -limits::infinity(),
      17179869184.0,  // 16 GiB of VRAM
  };
  for (double value : values) {
    INFO("bits " << std::hex << Bits(value));
    CHECK(RoundTripBits(value) == Bits(value));
  }
}

TEST_CASE("The staleness marker round-trips as the marker", "[tsdb][codec]") {
  const std::string bytes = Encode(StaleMarker());
  // A NaN has no decimal form, so the marker is stored raw.
  CHECK(bytes == std::string("\x10\x02\x00\x00\x00\x00\x00\xf0\x7f", 9));
  double decoded = 0;
  REQUIRE(DecodeValue(bytes, &decoded).ToString() == "OK");
  CHECK(Bits(decoded) == kStaleNaNBits);
  CHECK(IsStaleMarker(decoded));

  // Other NaNs stay ordinary values through the codec.
  double quiet = 0;
  REQUIRE(DecodeValue(Encode(std::nan("")), &quiet).ToString() == "OK");
  CHECK(std::isnan(quiet));
  CHECK_FALSE(IsStaleMarker(quiet));
  CHECK_FALSE(IsStaleMarker(FromBits(0x7ff0000000000001)));
  CHECK_FALSE(IsStaleMarker(FromBits(kStaleNaNBits | (uint64_t{1} << 63))));
  CHECK_FALSE(IsStaleMarker(0));
}

TEST_CASE("Random doubles round-trip bit for bit", "[tsdb][codec]") {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> gauge(0, 1000);
  for (int i = 0; i < 20000; ++i) {
    const double any = FromBits(random());
    REQUIRE(RoundTripBits(any) == Bits(any));
    // Rounded gauges exercise the decimal form at every scale.
    const double rounded =
        std::round(gauge(random) * std::pow(10, i % 12)) / std::pow(10, i % 12);
    REQUIRE(RoundTripBits(rounded) == Bits(rounded));
  }
}

TEST_CASE("Short decimals take a few bytes, other values nine",
          "[tsdb][codec]") {
  CHECK(Encode(0).size() == 2);
  CHECK(Encode(1).size() == 2);
  CHECK(Encode(-1).size() == 2);
  CHECK(Encode(0.001).size() == 2);
  CHECK(Encode(12.75).size() == 3);
  CHECK(Encode(17179869184.0).size() == 7);
  CHECK(Encode(-0.0).size() == 9);
  CHECK(Encode(std::nan("")).size() == 9);
  CHECK(Encode(std::numeric_limits<double>::infinity()).size() == 9);
  CHECK(Encode(3.141592653589793).size() == 9);
}

TEST_CASE("Value decoding rejects malformed bytes", "[tsdb][codec]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"unknown tag", "\x11\x02"},
      {"tag 0xff", "\xff"},
      {"raw, 7 bytes", std::string("\x10", 1) + std::string(7, '\0')},
      {"raw, 9 bytes", std::string("\x10", 1) + std::string(9, '\0')},
      {"decimal without mantissa", std::string("\x00", 1)},
      {"truncated varint", std::string("\x02\x80", 2)},
      {"trailing bytes", std::string("\x00\x02\x00", 3)},
      {"non-shortest varint", std::string("\x00\x82\x00", 3)},
      {"mantissa over 2^53",
       // zigzag(2^53 + 1) = 2^54 + 2 as a varint.
       std::string("\x00\x82\x80\x80\x80\x80\x80\x80\x20", 9)},
      {"varint over 10 bytes",
       std::string("\x00", 1) + std::string(11, '\xff')},
  };
  for (const auto& [name, bytes] : cases) {
    INFO(name);
    double value = 42;
    CHECK(DecodeValue(bytes, &value).code() == StatusCode::kDataLoss);
    CHECK(value == 42);
  }
}

TEST_CASE("Random bytes never crash the value decoder", "[tsdb][codec]") {
  std::mt19937 random(3);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 12);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(length(random), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(random));
    double value;
    if (DecodeValue(bytes, &value).ok()) ++accepted;
  }
  CHECK(accepted > 0);
}

}  // namespace ollama_exporter::tsdb
