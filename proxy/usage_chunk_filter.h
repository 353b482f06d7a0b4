#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ollama_exporter::proxy {

// Removes OpenAI's usage-only chunk ("choices": [] with "usage") from an
// SSE stream on its way to the client: the /v1 usage policy's other half,
// for streams where the proxy injected stream_options.include_usage.
// Enable it only then, and only for a text/event-stream reply; disabled,
// it forwards every piece unchanged.
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

  explicit UsageChunkFilter(bool strip_usage_chunk,
                            size_t max_event_bytes = kMaxEventBytes);

  // Appends to *forward what the client gets for `piece`.
  void Feed(std::string_view piece, std::string* forward);

  // The stream ended: appends the held-back bytes (a cut-off event), unless
  // they are a complete usage-only chunk.
  void Finish(std::string* forward);

  // Usage-only events dropped so far.
  size_t stripped_events() const { return stripped_events_; }

 private:
  void EndEvent(std::string_view event, std::string* forward);

  const bool strip_;
  const size_t max_event_bytes_;
  std::string held_;              // The unfinished event's bytes so far.
  bool line_has_text_ = false;    // The unfinished line has more than "\r".
  bool passing_through_ = false;  // The unfinished event went over the cap.
  size_t stripped_events_ = 0;
};

}  // namespace ollama_exporter::proxy
