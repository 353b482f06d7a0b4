#pragma once

namespace ollama_exporter {

// `text` from a C API that answers NULL for "nothing", as a string that
// is safe to read: "" for NULL.
inline const char* OrEmpty(const char* text) {
  return text == nullptr ? "" : text;
}

}  // namespace ollama_exporter
