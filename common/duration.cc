#include "common/duration.h"

#include <cstdint>
#include <iterator>
#include <limits>

namespace ollama_exporter {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t milliseconds;
};

// Largest first: the order terms must appear in.
constexpr Unit kUnits[] = {
    {"y", 365LL * 24 * 3600 * 1000},
    {"w", 7LL * 24 * 3600 * 1000},
    {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},
    {"m", 60LL * 1000},
    {"s", 1000},
    {"ms", 1},
};

Status Invalid(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("invalid duration \"" + std::string(text) +
                                 "\": " + std::string(why));
}

}  // namespace

Status ParseDuration(std::string_view text, int64_t* milliseconds) {
  if (text == "0") {
    *milliseconds = 0;
    return Status::Ok();
  }
  if (text.empty()) return Invalid(text, "empty");

  int64_t total = 0;
  size_t next_unit = 0;  // The smallest kUnits index still allowed.
  size_t pos = 0;
  while (pos < text.size()) {
    // The number.
    int64_t number = 0;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      int digit = text[pos] - '0';
      if (number > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        return Invalid(text, "too large");
      }
      number = number * 10 + digit;
      ++pos;
      ++digits;
    }
    if (digits == 0) {
      return Invalid(text,
                     "expected a number followed by a unit "
                     "(y, w, d, h, m, s, ms)");
    }

    // The unit: "ms" before "m".
    size_t unit_end = pos;
    while (unit_end < text.size() &&
           (text[unit_end] < '0' || text[unit_end] > '9')) {
      ++unit_end;
    }
    std::string_view suffix = text.substr(pos, unit_end - pos);
    size_t index = next_unit;
    while (index < std::size(kUnits) && kUnits[index].suffix != suffix) {
      ++index;
    }
    if (index == std::size(kUnits)) {
      return Invalid(text, suffix.empty()
                               ? "missing unit (y, w, d, h, m, s, ms)"
                               : "unknown or out-of-order unit \"" +
                                     std::string(suffix) + "\"");
    }
    int64_t scale = kUnits[index].milliseconds;
    if (number > (std::numeric_limits<int64_t>::max() - total) / scale) {
      return Invalid(text, "too large");
    }
    total += number * scale;
    next_unit = index + 1;
    pos = unit_end;
  }
  *milliseconds = total;
  return Status::Ok();
}

std::string FormatDuration(int64_t milliseconds) {
  if (milliseconds <= 0) return "0s";
  std::string text;
  for (const Unit& unit : kUnits) {
    int64_t count = milliseconds / unit.milliseconds;
    if (count == 0) continue;
    text += std::to_string(count);
    text += unit.suffix;
    milliseconds -= count * unit.milliseconds;
  }
  return text;
}

}  // namespace ollama_exporter
