#include "http/promql_cursor.h"

#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter::http {
namespace {

TEST_CASE("PromqlCursor skips space and comments to the next token", "[http]") {
  PromqlCursor cursor(" \t# note\r\n  up # end");
  cursor.SkipSpace();
  CHECK(cursor.pos() == 12);
  CHECK(cursor.ReadMetricName() == "up");
  cursor.SkipSpace();
  CHECK(cursor.AtEnd());
  CHECK(cursor.Peek() == '\0');
  CHECK(cursor.DescribeNext() == "end of input");
}

TEST_CASE("PromqlCursor finds call names without moving", "[http]") {
  PromqlCursor call("rate # why\n (x[5m])");
  CHECK(call.PeekCallName() == "rate");
  CHECK(call.pos() == 0);
  CHECK(PromqlCursor("rate_total{a=\"b\"}").PeekCallName().empty());
  CHECK(PromqlCursor("(x)").PeekCallName().empty());
}

TEST_CASE("PromqlCursor reads quoted strings with PromQL's escapes", "[http]") {
  PromqlCursor cursor(R"("a\x41\101\u00e9\"\\" 'it\'s' `raw\n`)");
  std::string value;
  REQUIRE(cursor.ReadString(&value).ok());
  CHECK(value == "aAA\xC3\xA9\"\\");
  cursor.SkipSpace();
  value.clear();
  REQUIRE(cursor.ReadString(&value).ok());
  CHECK(value == "it's");
  cursor.SkipSpace();
  value.clear();
  REQUIRE(cursor.ReadString(&value).ok());
  CHECK(value == "raw\\n");
  CHECK(cursor.AtEnd());

  PromqlCursor bad("x{a=\n\"\\q\"");
  bad.set_pos(5);
  CHECK(bad.ReadString(&value).message() ==
        "2:2: parse error: unknown escape sequence \\q");
}

TEST_CASE("PromqlCursor names what a parser cannot read", "[http]") {
  const std::string only = " are not supported here";
  CHECK(PromqlCursor("x offset 5m", 2).Unsupported(only).message() ==
        "1:3: parse error: offset modifiers are not supported here");
  CHECK(PromqlCursor("x[5m]", 1).Unsupported(only).message() ==
        "1:2: parse error: range selectors such as [5m] are not supported "
        "here");
  CHECK(PromqlCursor("x foo", 2).Unsupported(only).message() ==
        "1:3: parse error: unexpected identifier \"foo\"");
  CHECK(PromqlCursor("x", 1).Unsupported(only).message() ==
        "1:2: parse error: unexpected end of input");
  CHECK(PromqlCursor("x\x01", 1).Unsupported(only).message() ==
        "1:2: parse error: unexpected character byte 0x01");
}

}  // namespace
}  // namespace ollama_exporter::http
