#include "proxy/bounded_line_splitter.h"

namespace ollama_exporter::proxy {

BoundedLineSplitter::BoundedLineSplitter(size_t max_line_bytes)
    : max_line_bytes_(max_line_bytes) {}

void BoundedLineSplitter::Feed(std::string_view piece, const LineFn& on_line) {
  while (!piece.empty()) {
    const size_t newline = piece.find('\n');
    const std::string_view head = piece.substr(0, newline);
    if (!skipping_ && partial_.size() + head.size() > max_line_bytes_) {
      skipping_ = true;
      ++overlong_lines_;
      partial_.clear();
      partial_.shrink_to_fit();
    }
    if (newline == std::string_view::npos) {
      if (!skipping_) partial_.append(head);
      return;
    }
    if (!skipping_) {
      // A line wholly inside the piece needs no copy.
      if (partial_.empty()) {
        Deliver(head, on_line);
      } else {
        partial_.append(head);
        Deliver(partial_, on_line);
        partial_.clear();
      }
    }
    skipping_ = false;
    piece.remove_prefix(newline + 1);
  }
}

void BoundedLineSplitter::Finish(const LineFn& on_line) {
  if (!skipping_ && !partial_.empty()) Deliver(partial_, on_line);
  partial_.clear();
  skipping_ = false;
}

void BoundedLineSplitter::Deliver(std::string_view line,
                                  const LineFn& on_line) {
  // A long line wholly inside one piece is skipped too, so the lines seen
  // do not depend on where the stream was cut.
  if (line.size() > max_line_bytes_) {
    ++overlong_lines_;
    return;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  on_line(line);
}

}  // namespace ollama_exporter::proxy
