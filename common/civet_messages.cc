#include "common/civet_messages.h"

#include "common/log.h"

namespace ollama_exporter {
namespace {

thread_local std::string* startup_messages = nullptr;

}  // namespace

CivetStartupMessages::CivetStartupMessages() { startup_messages = &text_; }

CivetStartupMessages::~CivetStartupMessages() { startup_messages = nullptr; }

void HandleCivetMessage(std::string_view server, const char* message) {
  try {
    if (startup_messages != nullptr) {
      if (!startup_messages->empty()) *startup_messages += "; ";
      *startup_messages += message;
    } else {
      LOG_WARN(std::string(server) + " error", {log::Field("err", message)});
    }
  } catch (...) {
    // Out of memory while logging: drop the message, not the server.
  }
}

}  // namespace ollama_exporter
