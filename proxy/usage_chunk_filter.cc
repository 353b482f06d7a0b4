#include "proxy/usage_chunk_filter.h"

#include "proxy/sse_event.h"

namespace ollama_exporter::proxy {
namespace {

bool HasText(std::string_view line_part) {
  return line_part.find_first_not_of('\r') != std::string_view::npos;
}

}  // namespace

UsageChunkFilter::UsageChunkFilter(size_t max_event_bytes)
    : max_event_bytes_(max_event_bytes) {}

std::string_view UsageChunkFilter::Feed(std::string_view piece) {
  forward_.clear();

  // Walk the lines; a blank one closes the event begun at event_begin
  // (or earlier, in held_).
  size_t event_begin = 0;
  size_t line_begin = 0;
  for (size_t newline = piece.find('\n'); newline != std::string_view::npos;
       newline = piece.find('\n', line_begin)) {
    const bool blank = !line_has_text_ &&
                       !HasText(piece.substr(line_begin, newline - line_begin));
    line_has_text_ = false;
    line_begin = newline + 1;
    if (!blank) continue;

    const std::string_view tail =
        piece.substr(event_begin, line_begin - event_begin);
    if (passing_through_) {
      forward_.append(tail);
      passing_through_ = false;
    } else if (held_.empty()) {
      EndEvent(tail);
    } else {
      held_.append(tail);
      EndEvent(held_);
      held_.clear();
    }
    event_begin = line_begin;
  }
  if (HasText(piece.substr(line_begin))) line_has_text_ = true;

  const std::string_view rest = piece.substr(event_begin);
  if (passing_through_) {
    forward_.append(rest);
    return forward_;
  }
  held_.append(rest);
  if (held_.size() > max_event_bytes_) {
    forward_.append(held_);
    held_.clear();
    held_.shrink_to_fit();
    passing_through_ = true;
  }
  return forward_;
}

std::string_view UsageChunkFilter::Finish() {
  forward_.clear();
  if (!held_.empty()) EndEvent(held_);
  held_.clear();
  line_has_text_ = false;
  passing_through_ = false;
  return forward_;
}

void UsageChunkFilter::EndEvent(std::string_view event) {
  // Sizes, not piece boundaries, decide what is examined, so the output
  // is the same however the stream was cut.
  if (event.size() <= max_event_bytes_ && IsUsageOnlyEvent(event)) {
    ++stripped_events_;
    return;
  }
  forward_.append(event);
}

}  // namespace ollama_exporter::proxy
