#include "common/time_format.h"

#include <chrono>

namespace ollama_exporter {
namespace {

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
constexpr int64_t kMinMillis = -62135596800000;
constexpr int64_t kMaxMillis = 253402300799999;

// Howard Hinnant's days-to-civil algorithm (public domain).
void CivilFromDays(int64_t days, int64_t* year, unsigned* month,
                   unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2 ? 1 : 0);
}

}  // namespace

int64_t NowMillis() {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::system_clock;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

std::string FormatIsoMillis(int64_t unix_ms) {
  std::string text;
  AppendIsoMillis(unix_ms, &text);
  return text;
}

void AppendIsoMillis(int64_t unix_ms, std::string* out) {
  if (unix_ms < kMinMillis) unix_ms = kMinMillis;
  if (unix_ms > kMaxMillis) unix_ms = kMaxMillis;

  int64_t days = unix_ms / 86400000;
  int64_t rest = unix_ms % 86400000;
  if (rest < 0) {
    rest += 86400000;
    days -= 1;
  }
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);

  // "YYYY-MM-DDTHH:MM:SS.mmmZ", digits written in place.
  char text[] = "0000-00-00T00:00:00.000Z";
  auto put = [&text](int at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10) {
      text[at + i] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, year, 4);
  put(5, month, 2);
  put(8, day, 2);
  put(11, rest / 3600000, 2);
  put(14, rest / 60000 % 60, 2);
  put(17, rest / 1000 % 60, 2);
  put(20, rest % 1000, 3);
  out->append(text, sizeof(text) - 1);
}

}  // namespace ollama_exporter
