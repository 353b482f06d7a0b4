#include "tsdb/key_codec.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::tsdb {
namespace {

constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max();
constexpr uint32_t kMaxId = std::numeric_limits<uint32_t>::max();

const std::vector<uint32_t> kIds = {0, 1, 255, 256, kMaxId - 1, kMaxId};
const std::vector<int64_t> kTimes = {
    kMinTime, kMinTime + 1,      -1'700'000'000'000, -1,           0,
    1,        1'700'000'000'000, 1'700'000'015'000,  kMaxTime - 1, kMaxTime};

}  // namespace

TEST_CASE("Sample keys round-trip every id and timestamp", "[tsdb][codec]") {
  for (uint32_t id : kIds) {
    for (int64_t t : kTimes) {
      const std::string key = EncodeSampleKey(id, t);
      REQUIRE(key.size() == kSampleKeySize);
      uint32_t decoded_id = 7;
      int64_t decoded_t = 7;
      REQUIRE(DecodeSampleKey(key, &decoded_id, &decoded_t).ok());
      CHECK(decoded_id == id);
      CHECK(decoded_t == t);
    }
  }
}

TEST_CASE("Sample keys sort by series then time, negative times first",
          "[tsdb][codec]") {
  std::vector<std::tuple<uint32_t, int64_t, std::string>> keys;
  for (uint32_t id : kIds) {
    for (int64_t t : kTimes) keys.emplace_back(id, t, EncodeSampleKey(id, t));
  }
  for (const auto& [id_a, t_a, key_a] : keys) {
    for (const auto& [id_b, t_b, key_b] : keys) {
      const bool numeric_less = std::tie(id_a, t_a) < std::tie(id_b, t_b);
      INFO("(" << id_a << ", " << t_a << ") vs (" << id_b << ", " << t_b
               << ")");
      REQUIRE((key_a < key_b) == numeric_less);
    }
  }
}

TEST_CASE("Sample keys are big-endian with the time's sign bit flipped",
          "[tsdb][codec]") {
  CHECK(EncodeSampleKey(0x01020304, 0) ==
        std::string("\x01\x02\x03\x04\x80\0\0\0\0\0\0\0", 12));
  CHECK(EncodeSampleKey(0, -1) ==
        std::string("\0\0\0\0\x7f\xff\xff\xff\xff\xff\xff\xff", 12));
}

TEST_CASE("Sample key decoding rejects keys of the wrong length",
          "[tsdb][codec]") {
  const std::string good = EncodeSampleKey(5, 6);
  for (size_t size : {size_t{0}, size_t{1}, size_t{11}, size_t{13}}) {
    std::string key = good;
    key.resize(size, 'x');
    uint32_t id = 99;
    int64_t t = 99;
    const Status status = DecodeSampleKey(key, &id, &t);
    CHECK(status.code() == StatusCode::kDataLoss);
    CHECK(id == 99);
    CHECK(t == 99);
  }
}

TEST_CASE("Label sets round-trip, including separators and long values",
          "[tsdb][codec]") {
  const std::vector<Labels> sets = {
      {},
      {{"__name__", "ollama_up"}},
      {{"__name__", "m"}, {"model", "llama3:8b"}, {"quant", "Q4_K_M"}},
      {{"a", std::string("x\0y", 3)}, {"b", "=,\"{}\n"}, {"c", ""}},
      {{"name", std::string(300, 'v')}, {std::string(200, 'n'), "é漢"}},
  };
  for (const Labels& labels : sets) {
    Labels decoded = {{"stale", "value"}};
    REQUIRE(DecodeLabels(EncodeLabels(labels), &decoded).ok());
    CHECK(decoded == labels);
  }
}

TEST_CASE("Different label sets never share an encoding", "[tsdb][codec]") {
  // Pairs that a separator-based encoding would confuse.
  const std::vector<std::pair<Labels, Labels>> pairs = {
      {{{"a", "b,c=d"}}, {{"a", "b"}, {"c", "d"}}},
      {{{"a", std::string("b\0c", 3)}}, {{"a", "b"}, {"c", ""}}},
      {{{"ab", ""}}, {{"a", "b"}}},
      {{{"a", ""}}, {}},
  };
  for (const auto& [left, right] : pairs) {
    CHECK(EncodeLabels(left) != EncodeLabels(right));
    CHECK(LabelsKey(left) != LabelsKey(right));
  }
}

TEST_CASE("Label decoding rejects malformed bytes", "[tsdb][codec]") {
  const std::string valid = EncodeLabels({{"a", "1"}, {"b", "2"}});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"count past the data", std::string("\x05\x01"
                                          "a\x01"
                                          "1",
                                          5)},
      {"truncated value", std::string("\x01\x01"
                                      "a\x05"
                                      "12",
                                      6)},
      {"trailing bytes", valid + "x"},
      {"names out of order", std::string("\x02\x01"
                                         "b\x00\x01"
                                         "a\x00",
                                         7)},
      {"duplicate names", std::string("\x02\x01"
                                      "a\x00\x01"
                                      "a\x00",
                                      7)},
      {"non-shortest count", std::string("\x81\x00\x01"
                                         "a\x00",
                                         5)},
      {"huge length",
       std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10)},
      {"varint over 10 bytes", std::string(11, '\xff')},
  };
  for (const auto& [name, bytes] : cases) {
    INFO(name);
    Labels labels = {{"kept", "yes"}};
    const Status status = DecodeLabels(bytes, &labels);
    CHECK(status.code() == StatusCode::kDataLoss);
    CHECK(labels == Labels{{"kept", "yes"}});
  }
}

TEST_CASE("Every truncation of a label encoding is rejected", "[tsdb][codec]") {
  const std::string bytes =
      EncodeLabels({{"__name__", "ollama_model_vram_bytes"},
                    {"model", std::string(200, 'm')}});
  for (size_t size = 0; size < bytes.size(); ++size) {
    Labels labels;
    INFO("size " << size);
    CHECK(DecodeLabels(bytes.substr(0, size), &labels).code() ==
          StatusCode::kDataLoss);
  }
}

TEST_CASE(
    "Random bytes never crash a decoder and accepted labels are "
    "canonical",
    "[tsdb][codec]") {
  std::mt19937 random(42);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 24);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(length(random), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(random));
    // Bias towards plausible label sets: a small pair count first.
    if (!bytes.empty() && i % 2 == 0) bytes[0] = static_cast<char>(i % 3);

    Labels labels;
    if (DecodeLabels(bytes, &labels).ok()) {
      ++accepted;
      REQUIRE(EncodeLabels(labels) == bytes);
    }
    CatalogueKeyKind kind;
    uint32_t id;
    (void)DecodeCatalogueKey(bytes, &kind, &id, &labels);
    int64_t t;
    (void)DecodeSampleKey(bytes, &id, &t);
  }
  CHECK(accepted > 0);
}

TEST_CASE("Catalogue keys decode to their kind", "[tsdb][codec]") {
  CatalogueKeyKind kind;
  uint32_t id = 0;
  Labels labels;

  REQUIRE(DecodeCatalogueKey(FormatVersionKey(), &kind, &id, &labels).ok());
  CHECK(kind == CatalogueKeyKind::kFormatVersion);

  REQUIRE(DecodeCatalogueKey(NextIdKey(), &kind, &id, &labels).ok());
  CHECK(kind == CatalogueKeyKind::kNextId);

  REQUIRE(DecodeCatalogueKey(SeriesIdKey(kMaxId), &kind, &id, &labels).ok());
  CHECK(kind == CatalogueKeyKind::kSeriesId);
  CHECK(id == kMaxId);

  const Labels series = {{"__name__", "m"}, {"model", "x"}};
  REQUIRE(DecodeCatalogueKey(LabelsKey(series), &kind, &id, &labels).ok());
  CHECK(kind == CatalogueKeyKind::kLabels);
  CHECK(labels == series);
}

TEST_CASE("Catalogue key decoding rejects malformed keys", "[tsdb][codec]") {
  const std::vector<std::string> bad = {
      "",
      "Z",
      FormatVersionKey() + "x",
      NextIdKey() + "x",
      SeriesIdKey(1).substr(0, 3),
      SeriesIdKey(1) + "x",
      LabelsKey({{"a", "b"}}) + "x",
      "L",
  };
  for (const std::string& key : bad) {
    INFO("key of " << key.size() << " bytes");
    CatalogueKeyKind kind;
    uint32_t id;
    Labels labels;
    CHECK(DecodeCatalogueKey(key, &kind, &id, &labels).code() ==
          StatusCode::kDataLoss);
  }
}

TEST_CASE("Catalogue u32 values round-trip and reject other lengths",
          "[tsdb][codec]") {
  for (uint32_t value : kIds) {
    uint32_t decoded = 0;
    REQUIRE(DecodeU32(EncodeU32(value), &decoded).ok());
    CHECK(decoded == value);
  }
  uint32_t decoded = 17;
  CHECK(DecodeU32("", &decoded).code() == StatusCode::kDataLoss);
  CHECK(DecodeU32("abc", &decoded).code() == StatusCode::kDataLoss);
  CHECK(DecodeU32("abcde", &decoded).code() == StatusCode::kDataLoss);
  CHECK(decoded == 17);
}

}  // namespace ollama_exporter::tsdb
