#include "common/log.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "common/time_format.h"

namespace ollama_exporter::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kLogfmt};
std::mutex g_write_mu;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", value);
  return text;
}

// logfmt leaves a value bare when it has no space, quote, '=' or control
// character; otherwise it is quoted with Go-style escapes.
bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == 0x7f) return true;
  }
  return false;
}

void AppendEscaped(std::string_view value, std::string* out) {
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "\\u%04x", c);
          *out += hex;
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
}

void AppendLogfmt(std::string_view key, std::string_view value, bool quoted,
                  std::string* out) {
  if (!out->empty()) *out += ' ';
  *out += key;
  *out += '=';
  if (quoted && NeedsQuotes(value)) {
    *out += '"';
    AppendEscaped(value, out);
    *out += '"';
  } else {
    *out += value;
  }
}

void AppendJson(std::string_view key, std::string_view value, bool quoted,
                std::string* out) {
  *out += out->size() > 1 ? ",\"" : "\"";
  AppendEscaped(key, out);
  *out += "\":";
  bool bare_number =
      !quoted && value != "NaN" && value != "+Inf" && value != "-Inf";
  if (bare_number) {
    *out += value;
  } else {
    *out += '"';
    AppendEscaped(value, out);
    *out += '"';
  }
}

std::string_view BaseName(const char* path) {
  std::string_view view(path);
  size_t slash = view.rfind('/');
  return slash == std::string_view::npos ? view : view.substr(slash + 1);
}

}  // namespace

Field::Field(std::string_view key, std::string_view value)
    : key_(key), value_(value), quoted_(true) {}

Field::Field(std::string_view key, const char* value)
    : Field(key, std::string_view(value)) {}

Field::Field(std::string_view key, const std::string& value)
    : Field(key, std::string_view(value)) {}

Field::Field(std::string_view key, const Status& status)
    : Field(key, status.ToString()) {}

Field::Field(std::string_view key, int64_t value)
    : key_(key), value_(std::to_string(value)), quoted_(false) {}

Field::Field(std::string_view key, int value)
    : Field(key, static_cast<int64_t>(value)) {}

Field::Field(std::string_view key, uint64_t value)
    : key_(key), value_(std::to_string(value)), quoted_(false) {}

Field::Field(std::string_view key, double value)
    : key_(key), value_(FormatDouble(value)), quoted_(false) {}

Field::Field(std::string_view key, bool value)
    : key_(key), value_(value ? "true" : "false"), quoted_(false) {}

void Configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

bool ParseLevel(std::string_view text, Level* level) {
  for (Level candidate :
       {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

bool ParseFormat(std::string_view text, Format* format) {
  if (text == "logfmt") {
    *format = Format::kLogfmt;
    return true;
  }
  if (text == "json") {
    *format = Format::kJson;
    return true;
  }
  return false;
}

bool Enabled(Level level) { return level >= g_level.load(); }

std::string Render(Format format, std::string_view time, Level level,
                   std::string_view source, std::string_view msg,
                   std::initializer_list<Field> fields) {
  std::string line;
  auto append = format == Format::kJson ? AppendJson : AppendLogfmt;
  if (format == Format::kJson) line = "{";
  append("time", time, true, &line);
  append("level", LevelName(level), true, &line);
  append("source", source, true, &line);
  append("msg", msg, true, &line);
  for (const Field& field : fields) {
    append(field.key(), field.value(), field.quoted(), &line);
  }
  if (format == Format::kJson) line += "}";
  line += '\n';
  return line;
}

void Write(Level level, const char* file, int line, std::string_view msg,
           std::initializer_list<Field> fields) {
  std::string source = std::string(BaseName(file)) + ":" + std::to_string(line);
  std::string text = Render(g_format.load(), FormatIsoMillis(NowMillis()),
                            level, source, msg, fields);
  std::lock_guard<std::mutex> lock(g_write_mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace ollama_exporter::log
