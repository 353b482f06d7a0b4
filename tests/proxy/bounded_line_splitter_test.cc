#include "proxy/bounded_line_splitter.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::proxy {
namespace {

TEST_CASE("The splitter joins lines across pieces and drops CR",
          "[proxy][parse]") {
  BoundedLineSplitter splitter(64);
  std::vector<std::string> lines;
  const auto collect = [&](std::string_view line) { lines.emplace_back(line); };
  splitter.Feed("ab", collect);
  splitter.Feed("c\r\nd\n\nef", collect);
  CHECK(lines == std::vector<std::string>{"abc", "d", ""});
  splitter.Finish(collect);
  CHECK(lines == std::vector<std::string>{"abc", "d", "", "ef"});
}

TEST_CASE("The splitter skips a line over its cap and resumes after it",
          "[proxy][parse]") {
  BoundedLineSplitter splitter(8);
  std::vector<std::string> lines;
  const auto collect = [&](std::string_view line) { lines.emplace_back(line); };
  splitter.Feed("12345", collect);
  splitter.Feed("6789", collect);
  splitter.Feed("0123\nok\n12345678", collect);
  splitter.Feed("9", collect);
  splitter.Finish(collect);
  CHECK(lines == std::vector<std::string>{"ok"});
  CHECK(splitter.overlong_lines() == 2);
}

}  // namespace
}  // namespace ollama_exporter::proxy
