#pragma once

#include <string>
#include <string_view>

namespace ollama_exporter {

// CivetWeb reports problems through one log callback per server. While a
// server starts, the thread starting it wants those messages (why a bind
// failed) for the Status it returns; once it runs, they belong in the log.

// Collects the CivetWeb messages of this thread while alive.
// Thread safety: one per thread at a time; not nested.
class CivetStartupMessages {
 public:
  CivetStartupMessages();
  ~CivetStartupMessages();
  CivetStartupMessages(const CivetStartupMessages&) = delete;
  CivetStartupMessages& operator=(const CivetStartupMessages&) = delete;

  // The messages so far, joined with "; "; empty when there were none.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// For a CivetWeb log_message callback: adds `message` to this thread's
// CivetStartupMessages if one is alive, else logs it as a warning
// "<server> error". Never throws.
void HandleCivetMessage(std::string_view server, const char* message);

}  // namespace ollama_exporter
