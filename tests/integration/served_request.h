#pragma once

#include <string>
#include <utility>
#include <vector>

#include "inference_script.h"

namespace ollama_exporter::integration {

// What the fake did with one inference request, recorded when it ended.
// Value type.
struct ServedRequest {
  int sequence = 0;            // 1 for the first inference request, then 2, ...
  std::string path;            // "/api/chat", without the query.
  std::string model;           // From the request body, as sent.
  bool streamed = false;       // After Ollama's per-route default.
  bool include_usage = false;  // The body asked stream_options.include_usage.
  std::string request_body;
  // The request's headers, in arrival order, names as sent.
  std::vector<std::pair<std::string, std::string>> request_headers;

  int status = 0;  // The status sent; 0 when nothing was sent.
  std::string content_type;
  int writes_sent = 0;          // Writes (lines or SSE groups) sent in full.
  int content_chunks_sent = 0;  // Of them, those with text or thinking.
  // What the writes sent carried, FinalStats{} when none carried stats
  // (see ReplyWrite::stats): token counts, ns durations, done_reason.
  FinalStats stats_sent;
  bool final_sent = false;    // The write carrying the final stats went out.
  bool stream_error = false;  // Ended with the scripted mid-stream error.
  bool cut = false;           // The fake cut the connection mid-body.
  // The client was gone (it closed or half-closed its connection, or a
  // write failed) before the reply ended; the fake stopped there, as
  // Ollama stops generating. Seen within 20 ms during a pause.
  bool client_went_away = false;
  bool hold_timed_out = false;  // A hold ended by its timeout, not Release.
  std::string body_sent;        // Every body byte sent, without chunk framing.
  double seconds = 0;           // From the end of the request to the last byte.
};

// [{"sequence":1,"path":...}, ...]: every field above by its name,
// stats_sent as an object of FinalStats' field names, headers as
// [[name,value],...].
std::string ServedRequestsJson(const std::vector<ServedRequest>& served);

}  // namespace ollama_exporter::integration
