#pragma once

#include <vector>

#include "ollama_payloads.h"

namespace ollama_exporter::bench {

// What memory_bench's fake Ollama lists: `models` models installed and
// every one of them loaded, drawn from eight real model families and four
// quantizations, with every field of Ollama 0.30's /api/tags and /api/ps
// (shared/reference/ollama-api.md sections 2 and 3). Half are pinned
// (keep_alive -1), half on the idle timer; every third is split between
// GPU and CPU. Names are distinct; the same count gives the same lists.
struct ModelFleet {
  std::vector<integration::TagsModel> installed;
  std::vector<integration::PsModel> loaded;
};

// Empty lists for 0 or fewer models.
ModelFleet MakeModelFleet(int models);

}  // namespace ollama_exporter::bench
