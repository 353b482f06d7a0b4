#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::bench {

// A libcurl client that POSTs JSON and reports each piece of the reply
// body the moment it arrives, keeping its connection open between
// requests as the Ollama client libraries do. Proxy settings of the
// environment are ignored.
//
// Thread safety: one thread at a time per probe.
// Ownership: owns the handle and its open connection.
class StreamProbe {
 public:
  // Arrival time (SteadyNanos) and the bytes of one piece.
  using OnPiece = std::function<void(int64_t, std::string_view)>;

  StreamProbe();
  ~StreamProbe();
  StreamProbe(const StreamProbe&) = delete;
  StreamProbe& operator=(const StreamProbe&) = delete;

  // POSTs `body` to `url` and waits for the whole reply (10 s at most).
  // kDeadlineExceeded on timeout, kUnavailable for a failed transfer,
  // kFailedPrecondition for a status other than 200.
  [[nodiscard]] Status Post(const std::string& url, const std::string& body,
                            const OnPiece& on_piece);

 private:
  void* curl_;     // A CURL*, so that curl.h stays out of this header.
  void* headers_;  // A curl_slist*: Content-Type.
};

}  // namespace ollama_exporter::bench
