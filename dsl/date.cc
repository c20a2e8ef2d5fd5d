#include "dsl/date.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace miaopi::dsl {

bool IsLeapYear(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

uint32_t DaysInMonth(int32_t year, uint32_t month) {
  static constexpr uint8_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsValidCivil(int32_t year, uint32_t month, uint32_t day) {
  return year >= kMinYear && year <= kMaxYear && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(CivilDate date) {
  int32_t y = date.year - (date.month <= 2);
  const int32_t era = (y >= 0 ? y : y - 399) / 400;
  const uint32_t yoe = static_cast<uint32_t>(y - era * 400);
  const uint32_t mp = (date.month + 9) % 12;
  const uint32_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

CivilDate CivilFromDays(int32_t z) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint32_t doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t y = static_cast<int32_t>(yoe) + era * 400;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  const uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  const uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

namespace {

const int32_t kMinDays = DaysFromCivil({kMinYear, 1, 1});
const int32_t kMaxDays = DaysFromCivil({kMaxYear, 12, 31});

}  // namespace

bool InRange(int64_t days) { return days >= kMinDays && days <= kMaxDays; }

// For each year 0–9999: the days from 1970-01-01 to its 1 January, times
// two, plus one in a leap year — one load instead of the divisions of
// days_from_civil (40 KB; an application's years are few, so few lines).
struct YearTable {
  int32_t start_and_leap[10000];
};
constexpr YearTable MakeYearTable() {
  YearTable t{};
  int32_t days = -719528;  // 0000-01-01 (proleptic Gregorian) from 1970-01-01
  for (int32_t y = 0; y < 10000; ++y) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    t.start_and_leap[y] = days * 2 + (leap ? 1 : 0);
    days += leap ? 366 : 365;
  }
  return t;
}
constexpr YearTable kYears = MakeYearTable();
// Days before each month's first, in a common year.
constexpr uint16_t kDaysBeforeMonth[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

// Fixed width, without branches on the digits: every application carries
// dates, and this runs for each of them. "YYYY-MM-DD" is read as one 8-byte
// word and one 2-byte word: the bytes XOR '0' are the digits, and a byte is
// a digit when that is at most 9 — checked for all bytes at once (x + 0x76
// reaches bit 7 from 10 up; `| x` catches bytes from 0x80, whose carries
// cannot hide that). The day count comes from the year table.
std::optional<int32_t> ParseIsoDate(std::string_view s) {
  static_assert(std::endian::native == std::endian::little, "byte i of the text is byte i of the word");
  if (s.size() != 10) return std::nullopt;
  uint64_t head;
  uint16_t tail;
  std::memcpy(&head, s.data(), 8);
  std::memcpy(&tail, s.data() + 8, 2);
  constexpr uint64_t kDashBytes = (uint64_t{0xFF} << 32) | (uint64_t{0xFF} << 56);  // bytes 4 and 7
  constexpr uint64_t kDashes = (uint64_t{'-'} << 32) | (uint64_t{'-'} << 56);
  const uint64_t x = (head ^ 0x3030303030303030ull) & ~kDashBytes;
  const uint32_t t = static_cast<uint32_t>(tail ^ 0x3030u);
  const bool bad = (head & kDashBytes) != kDashes || (((x + 0x7676767676767676ull) | x) & 0x8080808080808080ull) != 0 ||
                   (((t + 0x7676u) | t) & 0x8080u) != 0;
  if (bad) return std::nullopt;
  const uint32_t y = static_cast<uint32_t>(x & 0xF) * 1000 + static_cast<uint32_t>((x >> 8) & 0xF) * 100 +
                     static_cast<uint32_t>((x >> 16) & 0xF) * 10 + static_cast<uint32_t>((x >> 24) & 0xF);
  const uint32_t m = static_cast<uint32_t>((x >> 40) & 0xF) * 10 + static_cast<uint32_t>((x >> 48) & 0xF);
  const uint32_t d = (t & 0xF) * 10 + ((t >> 8) & 0xF);
  static constexpr uint8_t kDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y == 0 || m - 1 > 11 || d == 0) return std::nullopt;
  const int32_t year = kYears.start_and_leap[y];
  const uint32_t leap = static_cast<uint32_t>(year & 1);
  if (d > kDays[m] + (m == 2 ? leap : 0)) return std::nullopt;
  return (year >> 1) + kDaysBeforeMonth[m] + static_cast<int32_t>(m > 2 ? leap : 0) + static_cast<int32_t>(d) - 1;
}

std::string FormatIsoDate(int32_t days) {
  CivilDate c = CivilFromDays(days);
  if (c.year < 0 || c.year > 9999) {  // outside the language's dates: as printf would write it
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
    return buf;
  }
  // Digits by hand: records and remedies write many dates, and printf is slow.
  char buf[10];
  unsigned y = static_cast<unsigned>(c.year);
  buf[0] = static_cast<char>('0' + y / 1000);
  buf[1] = static_cast<char>('0' + y / 100 % 10);
  buf[2] = static_cast<char>('0' + y / 10 % 10);
  buf[3] = static_cast<char>('0' + y % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + c.month / 10);
  buf[6] = static_cast<char>('0' + c.month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + c.day / 10);
  buf[9] = static_cast<char>('0' + c.day % 10);
  return std::string(buf, 10);
}

std::optional<int32_t> AddMonths(int32_t days, int64_t months) {
  CivilDate c = CivilFromDays(days);
  int64_t total = static_cast<int64_t>(c.year) * 12 + (c.month - 1) + months;
  int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
  uint32_t month = static_cast<uint32_t>(total - year * 12) + 1;
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  uint32_t day = std::min(c.day, DaysInMonth(static_cast<int32_t>(year), month));
  return DaysFromCivil({static_cast<int32_t>(year), month, day});
}

std::optional<int32_t> AddDuration(int32_t days, Duration d, int sign) {
  std::optional<int32_t> r = AddMonths(days, static_cast<int64_t>(sign) * d.months);
  if (!r) return std::nullopt;
  int64_t total = static_cast<int64_t>(*r) + static_cast<int64_t>(sign) * d.days;
  if (!InRange(total)) return std::nullopt;
  return static_cast<int32_t>(total);
}

int32_t AgeInYears(int32_t birth, int32_t at) {
  CivilDate b = CivilFromDays(birth), a = CivilFromDays(at);
  int32_t years = a.year - b.year;
  if (a.month < b.month || (a.month == b.month && a.day < b.day)) --years;
  return years;
}

std::string FormatDuration(Duration d) {
  std::string out;
  auto part = [&](int64_t n, const char* one, const char* many) {
    if (!out.empty()) out += " + ";
    out += std::to_string(n) + " " + (n == 1 || n == -1 ? one : many);
  };
  if (d.months != 0 && d.months % 12 == 0) {
    part(d.months / 12, "year", "years");
  } else if (d.months != 0) {
    part(d.months, "month", "months");
  }
  if (d.days != 0 || d.months == 0) part(d.days, "day", "days");
  return out;
}

std::optional<Duration> ParseIsoDuration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P') return std::nullopt;
  Duration d;
  int64_t months = 0, days = 0;
  size_t i = 1;
  bool any = false;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i || j == s.size() || j - i > 6) return std::nullopt;
    int64_t n = std::stoll(std::string(s.substr(i, j - i)));
    switch (s[j]) {
      case 'Y': months += n * 12; break;
      case 'M': months += n; break;
      case 'W': days += n * 7; break;
      case 'D': days += n; break;
      default: return std::nullopt;
    }
    any = true;
    i = j + 1;
  }
  if (!any || months > 120000 || days > 4000000) return std::nullopt;
  d.months = static_cast<int32_t>(months);
  d.days = static_cast<int32_t>(days);
  return d;
}

}  // namespace miaopi::dsl
