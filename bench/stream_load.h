#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace ollama_exporter::bench {

// What a load run received within its window.
struct StreamLoadResult {
  int64_t bytes = 0;      // Body bytes.
  int64_t completed = 0;  // Replies received whole.
  double seconds = 0;     // The window.
};

// Keeps `streams` POSTs of `body` to `url` in flight at once for
// `seconds`, from one thread (libcurl multi, kept-alive connections),
// starting a new one whenever one ends, and counts what arrived in that
// window; transfers still running at its end are cut. kUnavailable
// (naming the cause) when a transfer fails or answers other than 200,
// kInternal when libcurl cannot make its handles.
[[nodiscard]] Status RunStreamLoad(const std::string& url,
                                   const std::string& body, int streams,
                                   double seconds, StreamLoadResult* result);

}  // namespace ollama_exporter::bench
