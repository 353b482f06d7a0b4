#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace ollama_exporter::proxy {

// Cuts a byte stream that arrives in pieces of any size into lines ending
// in "\n" (a "\r" before it is dropped), holding only the unfinished line.
// A line longer than the cap is skipped whole: it is never delivered, and
// memory stays within the cap.
//
// Thread safety: none; one stream per splitter.
class BoundedLineSplitter {
 public:
  // Called with each complete line, without its terminator. The view is
  // valid only during the call.
  using LineFn = std::function<void(std::string_view line)>;

  explicit BoundedLineSplitter(size_t max_line_bytes);

  // Delivers every line that `piece` completes, in order.
  void Feed(std::string_view piece, const LineFn& on_line);

  // Delivers the unterminated last line, if any and not over the cap.
  void Finish(const LineFn& on_line);

  // Lines skipped so far for exceeding the cap.
  size_t overlong_lines() const { return overlong_lines_; }

 private:
  void Deliver(std::string_view line, const LineFn& on_line);

  const size_t max_line_bytes_;
  std::string partial_;    // The unfinished line's bytes so far.
  bool skipping_ = false;  // The unfinished line is over the cap.
  size_t overlong_lines_ = 0;
};

}  // namespace ollama_exporter::proxy
