#include "memory_args.h"

#include <catch2/catch.hpp>

namespace ollama_exporter::bench {
namespace {

TEST_CASE("ParseMemoryArgs keeps the defaults without arguments", "[bench]") {
  MemoryArgs args;
  REQUIRE(ParseMemoryArgs({}, &args).ok());
  CHECK(args.polls == 800);
  CHECK(args.models == 100);
}

TEST_CASE("ParseMemoryArgs reads polls and models", "[bench]") {
  MemoryArgs args;
  REQUIRE(ParseMemoryArgs({"--polls=5760", "--models=3"}, &args).ok());
  CHECK(args.polls == 5760);
  CHECK(args.models == 3);
  REQUIRE(ParseMemoryArgs({"--polls=1", "--polls=100000"}, &args).ok());
  CHECK(args.polls == 100000);
}

TEST_CASE("ParseMemoryArgs rejects bad arguments and keeps *out", "[bench]") {
  for (const char* arg :
       {"", "--polls", "--polls=", "--polls=0", "--polls=-5", "--polls=1.5",
        "--polls=12x", "--polls=100001", "--polls=99999999999999999999999",
        "--models=0", "--models=10001", "--verbose", "polls=5"}) {
    INFO(arg);
    MemoryArgs args;
    args.polls = 42;
    const Status status = ParseMemoryArgs({"--models=5", arg}, &args);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(args.polls == 42);
    CHECK(args.models == 100);
  }
}

}  // namespace
}  // namespace ollama_exporter::bench
