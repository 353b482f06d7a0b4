#include "http/prom_time.h"

#include <charconv>
#include <cmath>
#include <string>

#include "common/duration.h"

namespace ollama_exporter::http {
namespace {

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
constexpr int64_t kMinMillis = -62135596800000;
constexpr int64_t kMaxMillis = 253402300799999;

Status BadTimestamp(std::string_view text) {
  return Status::InvalidArgument("cannot parse \"" + std::string(text) +
                                 "\" to a valid timestamp");
}

Status BadDuration(std::string_view text, std::string_view detail) {
  return Status::InvalidArgument("cannot parse \"" + std::string(text) +
                                 "\" to a valid duration" +
                                 std::string(detail));
}

// A whole-string decimal float as Go's ParseFloat reads it, sign included.
bool ParseFloat(std::string_view text, double* value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return false;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, *value);
  return error == std::errc() && ptr == end;
}

// Reads exactly `count` digits at text[*pos].
bool ReadDigits(std::string_view text, size_t* pos, size_t count, int* value) {
  if (*pos + count > text.size()) return false;
  *value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    *value = *value * 10 + (c - '0');
  }
  *pos += count;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the given proleptic Gregorian date.
int64_t DaysFromCivil(int year, int month, int day) {
  // Count from March so the leap day ends each shifted year.
  const int64_t y = month <= 2 ? year - 1 : year;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t month_from_march = month > 2 ? month - 3 : month + 9;
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool ParseRfc3339(std::string_view text, int64_t* unix_ms) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day) || !Expect(text, &pos, 'T') ||
      !ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &second)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    return false;
  }

  // Fraction: 1-9 digits, milliseconds kept.
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return false;
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }

  // Zone: "Z" or "+hh:mm" / "-hh:mm".
  int64_t offset_minutes = 0;
  if (Expect(text, &pos, 'Z')) {
    // UTC.
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int zone_hours, zone_minutes;
    if (!ReadDigits(text, &pos, 2, &zone_hours) || !Expect(text, &pos, ':') ||
        !ReadDigits(text, &pos, 2, &zone_minutes) || zone_hours > 23 ||
        zone_minutes > 59) {
      return false;
    }
    offset_minutes = sign * (zone_hours * 60 + zone_minutes);
  } else {
    return false;
  }
  if (pos != text.size()) return false;

  const int64_t seconds = DaysFromCivil(year, month, day) * 86400 +
                          hour * 3600 + minute * 60 + second -
                          offset_minutes * 60;
  *unix_ms = seconds * 1000 + millis;
  return true;
}

}  // namespace

Status ParseTimestamp(std::string_view text, int64_t* unix_ms) {
  int64_t ms;
  double seconds;
  if (ParseFloat(text, &seconds)) {
    // Whole and fractional parts apart, so large times keep their
    // milliseconds.
    if (!std::isfinite(seconds) || seconds < kMinMillis / 1000.0 - 1 ||
        seconds > kMaxMillis / 1000.0 + 1) {
      return BadTimestamp(text);
    }
    double whole;
    double fraction = std::modf(seconds, &whole);
    ms = static_cast<int64_t>(whole) * 1000 + std::llround(fraction * 1000);
  } else if (!ParseRfc3339(text, &ms)) {
    return BadTimestamp(text);
  }
  if (ms < kMinMillis || ms > kMaxMillis) return BadTimestamp(text);
  *unix_ms = ms;
  return Status::Ok();
}

Status ParseStep(std::string_view text, int64_t* step_ms) {
  double seconds;
  if (ParseFloat(text, &seconds)) {
    if (std::isnan(seconds)) return BadDuration(text, "");
    const double ms = seconds * 1000;
    // 2^63 is exactly representable; anything at or past it overflows.
    if (std::fabs(ms) >= 9223372036854775808.0) {
      return BadDuration(text, ". It overflows int64");
    }
    *step_ms = static_cast<int64_t>(ms);
    return Status::Ok();
  }
  // The common parser's finer message is replaced by Prometheus' wording.
  if (!ParseDuration(text, step_ms).ok()) return BadDuration(text, "");
  return Status::Ok();
}

}  // namespace ollama_exporter::http
