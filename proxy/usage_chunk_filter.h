#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ollama_exporter::proxy {

// Removes OpenAI's usage-only chunk ("choices": [] with "usage") from an
// SSE stream on its way to the client: the /v1 usage policy's other half,
// for text/event-stream replies to requests where the proxy injected
// stream_options.include_usage.
//
// Events end at a blank line ("\n\n", "\r\n\r\n" or a mix). Every complete
// event is forwarded (or dropped) in the call that completes it; only the
// bytes of one unfinished event are held back. An event larger than the
// cap is never examined: once it outgrows the cap it is forwarded as it
// arrives, so memory stays bounded and nothing is ever refused.
//
// Thread safety: none; one stream per filter.
class UsageChunkFilter {
 public:
  static constexpr size_t kMaxEventBytes = size_t{1} << 20;

  explicit UsageChunkFilter(size_t max_event_bytes = kMaxEventBytes);

  // What the client gets for `piece`; valid until the next call.
  std::string_view Feed(std::string_view piece);

  // The stream ended: the held-back bytes (a cut-off event), unless they
  // are a complete usage-only chunk; valid until the next call.
  std::string_view Finish();

  // Usage-only events dropped so far.
  size_t stripped_events() const { return stripped_events_; }

 private:
  void EndEvent(std::string_view event);

  const size_t max_event_bytes_;
  std::string forward_;           // The last call's output.
  std::string held_;              // The unfinished event's bytes so far.
  bool line_has_text_ = false;    // The unfinished line has more than "\r".
  bool passing_through_ = false;  // The unfinished event went over the cap.
  size_t stripped_events_ = 0;
};

}  // namespace ollama_exporter::proxy
