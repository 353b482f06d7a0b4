#include "exporter/rfc3339.h"

#include <cstdint>
#include <string>

namespace ollama_exporter {
namespace {

constexpr int64_t kDaysFrom0001To1970 = 719162;

// Days in the months before `month` (1-12) of a common year.
constexpr int kDaysBeforeMonth[] = {0,   31,  59,  90,  120, 151,
                                    181, 212, 243, 273, 304, 334};

bool IsLeapYear(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int DaysInMonth(int64_t year, int month) {
  if (month == 2) return IsLeapYear(year) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

// Days from 1970-01-01 to year-month-day in the proleptic Gregorian
// calendar, for year >= 1.
int64_t DaysSinceEpoch(int64_t year, int month, int day) {
  int64_t past_years = year - 1;
  int64_t days =
      past_years * 365 + past_years / 4 - past_years / 100 + past_years / 400;
  days += kDaysBeforeMonth[month - 1];
  if (month > 2 && IsLeapYear(year)) ++days;
  return days + day - 1 - kDaysFrom0001To1970;
}

// Reads fixed-width fields left to right; the first failure sticks.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // Reads exactly `width` digits into *value.
  bool Digits(int width, int64_t* value) {
    int64_t result = 0;
    for (int i = 0; i < width; ++i) {
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
        return false;
      }
      result = result * 10 + (text_[pos_++] - '0');
    }
    *value = result;
    return true;
  }

  // Consumes one character if it is one of `accepted`.
  bool Char(std::string_view accepted) {
    if (pos_ >= text_.size() ||
        accepted.find(text_[pos_]) == std::string_view::npos) {
      return false;
    }
    ++pos_;
    return true;
  }

  bool Peek(std::string_view accepted) const {
    return pos_ < text_.size() &&
           accepted.find(text_[pos_]) != std::string_view::npos;
  }

  bool AtEnd() const { return pos_ == text_.size(); }

  size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Status Invalid(const Scanner& scanner, std::string_view what) {
  return Status::InvalidArgument(
      "not an RFC 3339 timestamp: " + std::string(what) + " at offset " +
      std::to_string(scanner.pos()));
}

}  // namespace

Status ParseRfc3339(std::string_view text, int64_t* unix_ms) {
  Scanner scan(text);
  int64_t year, month, day, hour, minute, second;
  if (!scan.Digits(4, &year) || !scan.Char("-") || !scan.Digits(2, &month) ||
      !scan.Char("-") || !scan.Digits(2, &day)) {
    return Invalid(scan, "expected YYYY-MM-DD");
  }
  if (year < 1) return Invalid(scan, "year 0000");
  if (month < 1 || month > 12) return Invalid(scan, "month out of range");
  if (day < 1 || day > DaysInMonth(year, static_cast<int>(month))) {
    return Invalid(scan, "day out of range");
  }
  if (!scan.Char("Tt")) return Invalid(scan, "expected T");
  if (!scan.Digits(2, &hour) || !scan.Char(":") || !scan.Digits(2, &minute) ||
      !scan.Char(":") || !scan.Digits(2, &second)) {
    return Invalid(scan, "expected hh:mm:ss");
  }
  if (hour > 23 || minute > 59 || second > 60) {
    return Invalid(scan, "time of day out of range");
  }

  // The fraction: digits past the third only add precision we drop.
  int64_t millis = 0;
  if (scan.Char(".")) {
    int digits = 0;
    int64_t digit;
    while (scan.Peek("0123456789")) {
      if (++digits > 9) return Invalid(scan, "more than 9 fractional digits");
      scan.Digits(1, &digit);  // Cannot fail after Peek().
      if (digits <= 3) millis = millis * 10 + digit;
    }
    if (digits == 0) return Invalid(scan, "empty fraction");
    for (; digits < 3; ++digits) millis *= 10;
  }

  // The offset from UTC, subtracted to get UTC.
  int64_t offset_minutes = 0;
  if (!scan.Char("Zz")) {
    bool negative = scan.Peek("-");
    int64_t offset_hours, offset_mins;
    if (!scan.Char("+-") || !scan.Digits(2, &offset_hours) || !scan.Char(":") ||
        !scan.Digits(2, &offset_mins)) {
      return Invalid(scan, "expected Z or +hh:mm / -hh:mm");
    }
    if (offset_hours > 23 || offset_mins > 59) {
      return Invalid(scan, "offset out of range");
    }
    offset_minutes = offset_hours * 60 + offset_mins;
    if (negative) offset_minutes = -offset_minutes;
  }
  if (!scan.AtEnd()) return Invalid(scan, "trailing characters");

  int64_t seconds =
      DaysSinceEpoch(year, static_cast<int>(month), static_cast<int>(day)) *
          86400 +
      hour * 3600 + (minute - offset_minutes) * 60 + second;
  *unix_ms = seconds * 1000 + millis;
  return Status::Ok();
}

}  // namespace ollama_exporter
