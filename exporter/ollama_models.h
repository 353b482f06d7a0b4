#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ollama_exporter {

// What Ollama says about a model's build ("details" in /api/tags and
// /api/ps). Absent or null strings are empty; a null list is empty.
struct ModelDetails {
  std::string format;  // "gguf", "safetensors" or "".
  std::string family;  // "llama", "qwen3", ... or "".
  std::vector<std::string> families;
  std::string parameter_size;      // A label such as "8.2B", not a number.
  std::string quantization_level;  // "Q4_K_M", "F16", ... or "".
};

// One entry of GET /api/tags: a model on disk (or a cloud stub).
struct InstalledModel {
  std::string name;  // As listed: "qwen3:8b", "hf.co/user/Repo:Q4_K_M".
  int64_t size_bytes = 0;
  std::string digest;
  ModelDetails details;
  bool remote = false;  // A cloud stub (remote_host or remote_model set).
  std::optional<int64_t> modified_unix_ms;
};

// One entry of GET /api/ps: a model held in memory.
struct LoadedModel {
  std::string name;
  int64_t size_bytes = 0;  // Memory in use, GPU and CPU together.
  int64_t vram_bytes = 0;  // Part of size_bytes in GPU memory; 0 if absent.
  // Tokens per request slot; nullopt when the server does not report it
  // (before v0.10.0). 0 while a runner is starting.
  std::optional<int64_t> context_length;
  // When the idle timer unloads it; may be in the past or ~292 years ahead.
  std::optional<int64_t> expires_unix_ms;
  ModelDetails details;
};

}  // namespace ollama_exporter
