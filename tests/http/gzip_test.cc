#include "http/gzip.h"

#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "gunzip.h"

namespace ollama_exporter::http {
namespace {

TEST_CASE("AcceptsGzip reads Accept-Encoding lists and q-values", "[http]") {
  CHECK(AcceptsGzip("gzip"));
  CHECK(AcceptsGzip("GZIP"));
  CHECK(AcceptsGzip("deflate, gzip;q=0.5"));
  CHECK(AcceptsGzip(" br ; q=1 ,\tgzip "));
  CHECK(AcceptsGzip("*"));
  CHECK(AcceptsGzip("gzip;q=0.001"));
  CHECK_FALSE(AcceptsGzip(""));
  CHECK_FALSE(AcceptsGzip("identity"));
  CHECK_FALSE(AcceptsGzip("x-gzip2"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip; Q=0.000"));
  CHECK_FALSE(AcceptsGzip("*, gzip;q=0"));
  CHECK_FALSE(AcceptsGzip("*;q=0"));
  CHECK(AcceptsGzip("*;q=0, gzip"));
  CHECK(AcceptsGzip(",,gzip,,"));
}

TEST_CASE("GzipCompress output decompresses to the input", "[http]") {
  std::mt19937 random(7);
  for (size_t size : {0, 1, 100, 70000}) {
    std::string data;
    for (size_t i = 0; i < size; ++i) {
      data += static_cast<char>(random() % 16);
    }
    std::string compressed;
    REQUIRE(GzipCompress(data, &compressed).ok());
    // gzip magic bytes.
    REQUIRE(compressed.size() >= 2);
    CHECK(compressed.substr(0, 2) == "\x1f\x8b");
    std::string round_trip;
    CHECK(Gunzip(compressed, &round_trip));
    CHECK(round_trip == data);
  }
}

}  // namespace
}  // namespace ollama_exporter::http
