#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ollama_exporter::integration {

// Bytes of a reply body as one libcurl write delivered them.
struct ArrivedPiece {
  double seconds = 0;  // Since the request was started.
  std::string bytes;
};

struct StreamReply {
  long status = 0;           // 0 when no status line arrived.
  std::string content_type;  // "" when none.
  std::string body;          // Every body byte that arrived, unframed.
  std::vector<ArrivedPiece> pieces;
  bool hung_up = false;  // on_piece asked to stop before the end.
  double seconds = 0;    // Until the end, the hang-up or the failure.
};

// One POST whose reply is read as it arrives.
struct StreamRequest {
  std::string url;
  std::string body;  // Sent with Content-Type: application/json.
  int timeout_ms = 10000;
  // Called after each arrival with the reply so far; returning false
  // hangs up (closes the connection) at once.
  std::function<bool(const StreamReply&)> on_piece;
};

// Sends `request` with libcurl, ignoring proxy settings, and records each
// piece of the reply as it arrives. OK when the reply ended normally or
// on_piece hung up. kDeadlineExceeded after timeout_ms; kUnavailable for
// any other failure, including a connection cut mid-body. *reply holds
// what arrived in every case.
// Thread safety: any thread; each call uses its own handle.
[[nodiscard]] Status PostStreaming(const StreamRequest& request,
                                   StreamReply* reply);

// The lines of an NDJSON body, without their "\n"; a last line without
// "\n" is included too.
std::vector<std::string> NdjsonLines(std::string_view body);

// One server-sent event: its `event:` field ("" when none) and `data:`.
struct SseEvent {
  std::string event;
  std::string data;
};

// The events of an SSE body, each ended by a blank line; an unterminated
// last event is dropped. Lines other than event:/data: are ignored.
std::vector<SseEvent> SseEvents(std::string_view body);

}  // namespace ollama_exporter::integration
