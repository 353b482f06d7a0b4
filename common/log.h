#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::log {

enum class Level { kDebug, kInfo, kWarn, kError };

enum class Format { kLogfmt, kJson };

// One key=value pair of an event. Numbers are printed unquoted.
class Field {
 public:
  Field(std::string_view key, std::string_view value);
  Field(std::string_view key, const char* value);
  Field(std::string_view key, const std::string& value);
  Field(std::string_view key, const Status& status);  // "err"-style text
  Field(std::string_view key, int64_t value);
  Field(std::string_view key, int value);
  Field(std::string_view key, uint64_t value);
  Field(std::string_view key, double value);
  Field(std::string_view key, bool value);

  const std::string& key() const { return key_; }

  const std::string& value() const { return value_; }

  bool quoted() const { return quoted_; }

 private:
  std::string key_;
  std::string value_;
  bool quoted_;
};

// Sets the threshold and the output format. Call once in main() before
// other threads start; the default is info, logfmt.
void Configure(Level level, Format format);

// "debug", "info", "warn", "error" -> *level. False for anything else.
bool ParseLevel(std::string_view text, Level* level);

// "logfmt", "json" -> *format. False for anything else.
bool ParseFormat(std::string_view text, Format* format);

bool Enabled(Level level);

// Writes one event line to stderr: time, level, source, msg, then fields.
// Thread safety: any thread; lines never interleave.
void Write(Level level, const char* file, int line, std::string_view msg,
           std::initializer_list<Field> fields = {});

// Renders one event without writing it (used by Write and by tests).
std::string Render(Format format, std::string_view time, Level level,
                   std::string_view source, std::string_view msg,
                   std::initializer_list<Field> fields);

}  // namespace ollama_exporter::log

#define OE_LOG(level, ...)                                                   \
  do {                                                                       \
    if (::ollama_exporter::log::Enabled(level))                              \
      ::ollama_exporter::log::Write(level, __FILE__, __LINE__, __VA_ARGS__); \
  } while (false)

#define LOG_DEBUG(...) \
  OE_LOG(::ollama_exporter::log::Level::kDebug, __VA_ARGS__)
#define LOG_INFO(...) OE_LOG(::ollama_exporter::log::Level::kInfo, __VA_ARGS__)
#define LOG_WARN(...) OE_LOG(::ollama_exporter::log::Level::kWarn, __VA_ARGS__)
#define LOG_ERROR(...) \
  OE_LOG(::ollama_exporter::log::Level::kError, __VA_ARGS__)
