#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "parser_fuzz_target.h"

namespace ollama_exporter::fuzz {
namespace {

// The real Ollama replies the parser tests use, as seeds to damage.
std::vector<std::string> FixtureSeeds() {
  std::vector<std::string> seeds;
  for (const char* kind : {"/ollama", "/proxy"}) {
    const std::string dir = std::string(OE_FIXTURES_DIR) + kind;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      seeds.push_back(text.str());
    }
  }
  REQUIRE(seeds.size() > 10);
  return seeds;
}

void Run(int parser, const std::string& input) {
  std::string bytes(1, static_cast<char>(parser));
  bytes += input;
  FuzzOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

TEST_CASE("Every parser survives random bytes", "[fuzz]") {
  std::mt19937 random(20261204);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 64);
  for (int parser = 0; parser < kParserCount; ++parser) {
    for (int i = 0; i < 2000; ++i) {
      std::string input(length(random), '\0');
      for (char& c : input) c = static_cast<char>(byte(random));
      Run(parser, input);
    }
  }
  SUCCEED("no crash, hang or throw");
}

TEST_CASE("Every parser survives damaged Ollama replies", "[fuzz]") {
  std::mt19937 random(42);
  std::uniform_int_distribution<int> byte(0, 255);
  for (const std::string& seed : FixtureSeeds()) {
    for (int i = 0; i < 20; ++i) {
      std::string damaged = seed;
      std::uniform_int_distribution<size_t> at(0, damaged.size() - 1);
      for (int flips = 0; flips < 1 + i % 4; ++flips) {
        damaged[at(random)] = static_cast<char>(byte(random));
      }
      damaged.resize(at(random) + 1);
      for (int parser = 0; parser < kParserCount; ++parser) {
        Run(parser, damaged);
      }
    }
  }
  SUCCEED("no crash, hang or throw");
}

}  // namespace
}  // namespace ollama_exporter::fuzz
