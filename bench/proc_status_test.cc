#include "proc_status.h"

#include <unistd.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::bench {
namespace {

constexpr char kStatus[] =
    "Name:\tollama_exporter\n"
    "VmPeak:\t  812345 kB\n"
    "VmHWM:\t   30112 kB\n"
    "VmRSS:\t   28876 kB\n"
    "Threads:\t14\n";

TEST_CASE("FindProcField reads kB and plain counts from a status file",
          "[bench]") {
  int64_t value = 0;
  REQUIRE(FindProcField(kStatus, "VmRSS", &value).ok());
  CHECK(value == 28876);
  REQUIRE(FindProcField(kStatus, "VmHWM", &value).ok());
  CHECK(value == 30112);
  REQUIRE(FindProcField(kStatus, "Threads", &value).ok());
  CHECK(value == 14);
}

TEST_CASE("FindProcField matches whole field names only", "[bench]") {
  int64_t value = 7;
  CHECK(FindProcField(kStatus, "VmRS", &value).code() == StatusCode::kNotFound);
  CHECK(FindProcField(kStatus, "RSS", &value).code() == StatusCode::kNotFound);
  CHECK(value == 7);
}

TEST_CASE("FindProcField rejects values that are not whole numbers",
          "[bench]") {
  int64_t value = 7;
  SECTION("empty text") {
    CHECK(FindProcField("", "VmRSS", &value).code() == StatusCode::kNotFound);
  }
  SECTION("a name, not a number") {
    CHECK(FindProcField(kStatus, "Name", &value).code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("no value") {
    CHECK(FindProcField("VmRSS:\n", "VmRSS", &value).code() ==
          StatusCode::kInvalidArgument);
    CHECK(FindProcField("VmRSS: kB", "VmRSS", &value).code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("truncated unit or trailing junk") {
    CHECK(FindProcField("VmRSS: 12 k", "VmRSS", &value).code() ==
          StatusCode::kInvalidArgument);
    CHECK(FindProcField("VmRSS: 12x kB", "VmRSS", &value).code() ==
          StatusCode::kInvalidArgument);
    CHECK(FindProcField("VmRSS: 1.5 kB", "VmRSS", &value).code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("too large for int64") {
    CHECK(FindProcField("VmRSS: 99999999999999999999 kB", "VmRSS", &value)
              .code() == StatusCode::kInvalidArgument);
  }
  CHECK(value == 7);
}

TEST_CASE("FindProcField reads this process's own resident memory", "[bench]") {
  std::string status;
  REQUIRE(ReadProcFile(getpid(), "status", &status).ok());
  int64_t rss = 0;
  REQUIRE(FindProcField(status, "VmRSS", &rss).ok());
  CHECK(rss > 100);
}

TEST_CASE("ReadProcFile fails for a process that does not exist", "[bench]") {
  std::string text = "unchanged";
  CHECK(ReadProcFile(-1, "status", &text).code() == StatusCode::kUnavailable);
  CHECK(text == "unchanged");
}

constexpr char kSmaps[] =
    "55d0c2a1b000-55d0c2a1c000 r--p 00000000 08:01 1234    "
    "/usr/bin/my exporter\n"
    "Size:                  4 kB\n"
    "Rss:                   4 kB\n"
    "VmFlags: rd mr mw me dw sd\n"
    "55d0c3000000-55d0c3100000 rw-p 00000000 00:00 0 \n"
    "Size:               1024 kB\n"
    "Rss:                 900 kB\n"
    "7ffd1000-7ffd2000 rw-p 00000000 00:00 0      [stack]\n"
    "Rss:                 132 kB\n";

TEST_CASE("ParseSmaps gives each mapping's path and resident kB", "[bench]") {
  std::vector<Mapping> mappings;
  REQUIRE(ParseSmaps(kSmaps, &mappings).ok());
  REQUIRE(mappings.size() == 3);
  CHECK(mappings[0].path == "/usr/bin/my exporter");
  CHECK(mappings[0].rss_kib == 4);
  CHECK(mappings[1].path.empty());
  CHECK(mappings[1].rss_kib == 900);
  CHECK(mappings[2].path == "[stack]");
  CHECK(mappings[2].rss_kib == 132);
}

TEST_CASE("ParseSmaps reads this process's own mappings", "[bench]") {
  std::string text;
  REQUIRE(ReadProcFile(getpid(), "smaps", &text).ok());
  std::vector<Mapping> mappings;
  REQUIRE(ParseSmaps(text, &mappings).ok());
  int64_t total = 0;
  for (const Mapping& mapping : mappings) total += mapping.rss_kib;
  CHECK(total > 100);
}

TEST_CASE("ParseSmaps rejects malformed text and keeps the output", "[bench]") {
  std::vector<Mapping> mappings = {{"kept", 1}};
  SECTION("a field before any mapping") {
    CHECK(ParseSmaps("Rss: 4 kB\n", &mappings).code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("a mapping without Rss, truncated at the end") {
    CHECK(ParseSmaps("1000-2000 r--p 00000000 08:01 12 /lib/x.so\n"
                     "Size: 4 kB\n",
                     &mappings)
              .code() == StatusCode::kInvalidArgument);
  }
  SECTION("a mapping without Rss before the next") {
    CHECK(ParseSmaps("1000-2000 r--p 0 08:01 12 /a\n"
                     "3000-4000 r--p 0 08:01 12 /b\nRss: 4 kB\n",
                     &mappings)
              .code() == StatusCode::kInvalidArgument);
  }
  SECTION("a line that is neither") {
    CHECK(ParseSmaps("garbage\n", &mappings).code() ==
          StatusCode::kInvalidArgument);
  }
  SECTION("an Rss that is not a number") {
    CHECK(ParseSmaps("1000-2000 r--p 0 08:01 12 /a\nRss: lots\n", &mappings)
              .code() == StatusCode::kInvalidArgument);
    CHECK(ParseSmaps("1000-2000 r--p 0 08:01 12 /a\n"
                     "Rss: 123456789012345678901234567890 kB\n",
                     &mappings)
              .code() == StatusCode::kInvalidArgument);
  }
  REQUIRE(mappings.size() == 1);
  CHECK(mappings[0].path == "kept");
}

TEST_CASE("ParseSmaps of empty text gives no mappings", "[bench]") {
  std::vector<Mapping> mappings = {{"old", 1}};
  REQUIRE(ParseSmaps("", &mappings).ok());
  CHECK(mappings.empty());
}

}  // namespace
}  // namespace ollama_exporter::bench
