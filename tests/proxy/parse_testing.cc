#include "parse_testing.h"

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

namespace ollama_exporter::proxy::testing {

std::string ProxyFixture(std::string_view name) {
  const std::string path =
      std::string(OE_FIXTURES_DIR) + "/proxy/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in.good());
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace ollama_exporter::proxy::testing
