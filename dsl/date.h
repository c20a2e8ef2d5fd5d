// Calendar dates as days since 1970-01-01 (proleptic Gregorian), and the
// duration arithmetic of the language: years and months keep the day of
// month, clamped to the month's last day (2008-02-29 + 18 years = 2026-02-28).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace miaopi::dsl {

struct CivilDate {
  int32_t year = 1970;
  uint32_t month = 1;  // 1..12
  uint32_t day = 1;    // 1..31
};

// A span of calendar time: months (years are 12 months) and then days.
struct Duration {
  int32_t months = 0;
  int32_t days = 0;
  bool operator==(const Duration&) const = default;
};

// Years 1..9999 only, so every date prints as YYYY-MM-DD.
constexpr int32_t kMinYear = 1;
constexpr int32_t kMaxYear = 9999;

bool IsLeapYear(int32_t year);
uint32_t DaysInMonth(int32_t year, uint32_t month);
bool IsValidCivil(int32_t year, uint32_t month, uint32_t day);

int32_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(int32_t days);

// "YYYY-MM-DD" naming a real calendar day; anything else is nullopt.
std::optional<int32_t> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(int32_t days);

// date + months, the day clamped to the target month; nullopt when the
// result leaves years 1..9999.
std::optional<int32_t> AddMonths(int32_t days, int64_t months);
// date + duration (months first, then days); nullopt when out of range.
std::optional<int32_t> AddDuration(int32_t days, Duration d, int sign = 1);
bool InRange(int64_t days);

// Whole years between birth and at, as age(): the difference of the years,
// less one when at's month-day comes before birth's.
int32_t AgeInYears(int32_t birth, int32_t at);

// "18 years", "1 month"; the ISO form "P1Y2M3D" for JSON input.
std::string FormatDuration(Duration d);
std::optional<Duration> ParseIsoDuration(std::string_view text);

}  // namespace miaopi::dsl
