#include "model_fleet.h"

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "exporter/ps_collector.h"
#include "exporter/tags_collector.h"

namespace ollama_exporter::bench {
namespace {

TEST_CASE("The fleet reads back as 100 distinct models with every field",
          "[bench]") {
  const ModelFleet fleet = MakeModelFleet(100);

  TagsReply tags;
  REQUIRE(ParseTagsReply(integration::TagsJson(fleet.installed), &tags).ok());
  CHECK(tags.models.size() == 100);
  CHECK(tags.skipped_entries == 0);
  std::set<std::string> names;
  for (const InstalledModel& model : tags.models) {
    names.insert(model.name);
    CHECK(model.size_bytes > 1'000'000'000);
    CHECK(model.digest.size() == 64);
    CHECK(model.modified_unix_ms.has_value());
    CHECK_FALSE(model.details.family.empty());
  }
  CHECK(names.size() == 100);

  PsReply ps;
  REQUIRE(ParsePsReply(integration::PsJson(fleet.loaded), &ps).ok());
  REQUIRE(ps.models.size() == 100);
  CHECK(ps.skipped_entries == 0);
  int split = 0;
  for (const LoadedModel& model : ps.models) {
    CHECK(names.count(model.name) == 1);
    CHECK(model.vram_bytes > 0);
    CHECK(model.vram_bytes <= model.size_bytes);
    if (model.vram_bytes < model.size_bytes) ++split;
    CHECK(model.context_length.value_or(0) >= 4096);
    CHECK(model.expires_unix_ms.has_value());
  }
  CHECK(split == 34);  // Every third, from the first.
}

TEST_CASE("The fleet is the same for the same count", "[bench]") {
  CHECK(integration::TagsJson(MakeModelFleet(9).installed) ==
        integration::TagsJson(MakeModelFleet(9).installed));
  CHECK(integration::PsJson(MakeModelFleet(9).loaded) ==
        integration::PsJson(MakeModelFleet(9).loaded));
}

TEST_CASE("A fleet of no models lists none", "[bench]") {
  for (int models : {0, -1}) {
    const ModelFleet fleet = MakeModelFleet(models);
    CHECK(integration::TagsJson(fleet.installed) == R"({"models":[]})");
    CHECK(integration::PsJson(fleet.loaded) == R"({"models":[]})");
  }
}

}  // namespace
}  // namespace ollama_exporter::bench
