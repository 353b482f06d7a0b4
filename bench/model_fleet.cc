#include "model_fleet.h"

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <utility>

namespace ollama_exporter::bench {
namespace {

struct Family {
  const char* name;
  const char* parameter_size;
  int64_t size_bytes;
  int context_length;
  int embedding_length;
};

constexpr Family kFamilies[] = {
    {"qwen3", "8.2B", 5'225'388'164, 40'960, 4'096},
    {"llama", "3.2B", 2'019'393'189, 131'072, 3'072},
    {"gemma3", "12.2B", 8'149'190'253, 131'072, 3'840},
    {"mistral", "7.2B", 4'372'824'384, 32'768, 4'096},
    {"qwen2", "1.5B", 1'285'493'011, 32'768, 1'536},
    {"deepseek2", "15.7B", 8'905'125'527, 163'840, 2'048},
    {"phi3", "14.0B", 9'053'116'391, 16'384, 5'120},
    {"llama", "70.6B", 42'520'413'916, 131'072, 8'192},
};

constexpr const char* kQuantizations[] = {"Q4_K_M", "Q8_0", "Q5_K_M", "F16"};

// keep_alive -1 expires ~292 years ahead; the idle timer within minutes.
constexpr char kPinnedExpiry[] = "2318-11-30T09:12:44.61830527+01:00";
constexpr char kIdleExpiry[] = "2026-12-04T18:17:02.0041+01:00";

}  // namespace

ModelFleet MakeModelFleet(int models) {
  ModelFleet fleet;
  for (int i = 0; i < models; ++i) {
    const Family& family = kFamilies[i % std::size(kFamilies)];
    const char* quantization = kQuantizations[i % std::size(kQuantizations)];

    integration::TagsModel installed;
    installed.name = std::string(family.name) + "-" + std::to_string(i) + ":" +
                     family.parameter_size;
    installed.size = family.size_bytes + i;
    installed.family = family.name;
    installed.parameter_size = family.parameter_size;
    installed.quantization_level = quantization;
    char modified[64];
    std::snprintf(modified, sizeof(modified),
                  "2026-%02d-%02dT%02d:41:07.%09d+02:00", 1 + i % 11,
                  1 + i % 28, i % 24, 330918114 + i);
    installed.modified_at = modified;
    installed.context_length = family.context_length;
    installed.embedding_length = family.embedding_length;
    installed.capabilities = {"completion", "tools"};

    integration::PsModel loaded;
    loaded.name = installed.name;
    loaded.size = family.size_bytes * 13 / 10 + i;
    loaded.size_vram = i % 3 == 0 ? loaded.size / 2 : loaded.size;
    loaded.context_length = 4096 << (i % 4);
    loaded.expires_at = i % 2 == 0 ? kPinnedExpiry : kIdleExpiry;
    loaded.family = family.name;
    loaded.parameter_size = family.parameter_size;
    loaded.quantization_level = quantization;

    fleet.installed.push_back(std::move(installed));
    fleet.loaded.push_back(std::move(loaded));
  }
  return fleet;
}

}  // namespace ollama_exporter::bench
