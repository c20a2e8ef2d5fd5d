#include "dsl/date.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

namespace miaopi::dsl {
namespace {

int32_t D(const char* s) { return *ParseIsoDate(s); }

TEST(Date, ParsesOnlyRealDays) {
  EXPECT_TRUE(ParseIsoDate("2024-02-29"));
  EXPECT_FALSE(ParseIsoDate("2026-02-29"));
  EXPECT_FALSE(ParseIsoDate("2026-02-30"));
  EXPECT_FALSE(ParseIsoDate("2026-13-01"));
  EXPECT_FALSE(ParseIsoDate("2026-1-01"));
  EXPECT_FALSE(ParseIsoDate("2026-01-01T00:00"));
  EXPECT_FALSE(ParseIsoDate("0000-01-01"));
  EXPECT_TRUE(ParseIsoDate("1900-02-28"));
  EXPECT_FALSE(ParseIsoDate("1900-02-29"));  // 1900 is not a leap year
  EXPECT_TRUE(ParseIsoDate("2000-02-29"));   // 2000 is
}

// The parser before it read words: a digit at a time, then IsValidCivil and
// DaysFromCivil. The word parser must answer the same for every text.
std::optional<int32_t> ReferenceParse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  uint32_t digit[10];
  for (int i = 0; i < 10; ++i) {
    digit[i] = static_cast<uint32_t>(static_cast<unsigned char>(s[i])) - '0';
    if (i != 4 && i != 7 && digit[i] > 9) return std::nullopt;
  }
  const int32_t y = static_cast<int32_t>(digit[0] * 1000 + digit[1] * 100 + digit[2] * 10 + digit[3]);
  const uint32_t m = digit[5] * 10 + digit[6], d = digit[8] * 10 + digit[9];
  if (!IsValidCivil(y, m, d)) return std::nullopt;
  return DaysFromCivil({y, m, d});
}

TEST(Date, ParsesAsTheDigitByDigitReferenceOnEveryText) {
  char s[11] = {};
  // Every year, months 00–19 and days 00–39: all real days and their near misses.
  for (int y = 0; y <= 9999; ++y) {
    for (int m = 0; m < 20; ++m) {
      for (int d = 0; d < 40; ++d) {
        std::snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
        ASSERT_EQ(ParseIsoDate(s), ReferenceParse(s)) << s;
      }
    }
  }
  // Each byte of a few dates replaced by each of the 256 values.
  for (const char* base : {"2024-02-29", "1999-12-31", "0001-01-01", "9999-12-31"}) {
    for (int at = 0; at < 10; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::memcpy(s, base, 10);
        s[at] = static_cast<char>(b);
        std::string_view text(s, 10);
        ASSERT_EQ(ParseIsoDate(text), ReferenceParse(text)) << at << " " << b;
      }
    }
  }
}

TEST(Date, RoundTrips) {
  for (const char* s : {"1970-01-01", "0001-01-01", "9999-12-31", "2008-02-29", "1880-01-01", "2026-09-01"}) {
    EXPECT_EQ(FormatIsoDate(D(s)), s);
  }
  EXPECT_EQ(D("1970-01-02") - D("1970-01-01"), 1);
}

TEST(Date, YearsKeepTheDayClampedToTheMonth) {
  // LANGUAGE.md: 2008-02-29 + 18 years = 2026-02-28.
  EXPECT_EQ(FormatIsoDate(*AddDuration(D("2008-02-29"), {18 * 12, 0})), "2026-02-28");
  EXPECT_EQ(FormatIsoDate(*AddDuration(D("2008-02-29"), {16 * 12, 0})), "2024-02-29");
  EXPECT_EQ(FormatIsoDate(*AddDuration(D("2026-01-31"), {1, 0})), "2026-02-28");
  EXPECT_EQ(FormatIsoDate(*AddDuration(D("2026-03-31"), {1, 0}, -1)), "2026-02-28");
  EXPECT_EQ(FormatIsoDate(*AddDuration(D("2026-12-31"), {0, 1})), "2027-01-01");
  EXPECT_EQ(FormatIsoDate(*AddDuration(D("2026-01-31"), {1, 1})), "2026-03-01");  // months first
  EXPECT_FALSE(AddDuration(D("9999-12-31"), {0, 1}));
  EXPECT_FALSE(AddDuration(D("0001-01-01"), {1, 0}, -1));
}

TEST(Date, AgeCountsWholeYears) {
  EXPECT_EQ(AgeInYears(D("2000-06-15"), D("2018-06-14")), 17);
  EXPECT_EQ(AgeInYears(D("2000-06-15"), D("2018-06-15")), 18);
  // Born 29 February: 18 on 1 March of a common year, not on 28 February.
  EXPECT_EQ(AgeInYears(D("2008-02-29"), D("2026-02-28")), 17);
  EXPECT_EQ(AgeInYears(D("2008-02-29"), D("2026-03-01")), 18);
  EXPECT_EQ(AgeInYears(D("2008-02-29"), D("2028-02-29")), 20);
}

TEST(Date, Durations) {
  EXPECT_EQ(FormatDuration({216, 0}), "18 years");
  EXPECT_EQ(FormatDuration({1, 0}), "1 month");
  EXPECT_EQ(FormatDuration({0, 30}), "30 days");
  EXPECT_EQ(FormatDuration({13, 2}), "13 months + 2 days");
  EXPECT_EQ(*ParseIsoDuration("P1Y2M3D"), (Duration{14, 3}));
  EXPECT_EQ(*ParseIsoDuration("P2W"), (Duration{0, 14}));
  EXPECT_FALSE(ParseIsoDuration("P"));
  EXPECT_FALSE(ParseIsoDuration("1Y"));
  EXPECT_FALSE(ParseIsoDuration("PT1H"));
}

}  // namespace
}  // namespace miaopi::dsl
