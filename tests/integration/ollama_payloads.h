#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ollama_exporter::integration {

// A model on disk: one /api/tags entry (shared/reference/ollama-api.md
// section 2), emitted with Ollama's field order and omitempty rules.
struct TagsModel {
  std::string name;  // Also emitted as "model".
  int64_t size = 0;  // Bytes on disk.
  std::string family;
  std::string parameter_size;      // "8.2B"
  std::string quantization_level;  // "Q4_K_M"
  std::string format = "gguf";
  // Both set for a cloud stub; omitted when empty.
  std::string remote_model;
  std::string remote_host;
  std::string modified_at = "2026-08-02T19:41:07.330918114+02:00";
  bool families_null = false;  // "families":null instead of [family].
  int64_t context_length = 0;  // Omitted when 0.
  int64_t embedding_length = 0;
  std::vector<std::string> capabilities;  // Omitted when empty.
};

// A model in memory: one /api/ps entry (section 3).
struct PsModel {
  std::string name;
  int64_t size = 0;                       // Bytes of memory.
  int64_t size_vram = 0;                  // Part of size in GPU memory.
  std::optional<int64_t> context_length;  // Absent before v0.10.0.
  std::string expires_at = "2026-08-21T12:17:02.0041+02:00";
  std::string family;
  std::string parameter_size;
  std::string quantization_level;
  std::string format = "gguf";
};

// {"models":[...]} as Ollama writes it; [] when empty.
std::string TagsJson(const std::vector<TagsModel>& models);
std::string PsJson(const std::vector<PsModel>& models);

// 64 lower-case hex digits, the same for the same name.
std::string FakeDigest(std::string_view name);

}  // namespace ollama_exporter::integration
