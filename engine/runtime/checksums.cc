#include "engine/runtime/checksums.h"

#include "dsl/date.h"

namespace miaopi::engine {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<int32_t> IdNumberBirth(std::string_view s) {
  if (s.size() != 18) return std::nullopt;
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(s[i])) return std::nullopt;
  }
  int32_t year = 0;
  uint32_t month = 0, day = 0;
  for (size_t i = 6; i < 10; ++i) year = year * 10 + (s[i] - '0');
  month = (s[10] - '0') * 10 + (s[11] - '0');
  day = (s[12] - '0') * 10 + (s[13] - '0');
  if (!dsl::IsValidCivil(year, month, day)) return std::nullopt;
  return dsl::DaysFromCivil({year, month, day});
}

bool IdNumberValid(std::string_view s) {
  if (!IdNumberBirth(s)) return false;
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (s[i] - '0') * kWeights[i];
  char expected = kCheck[sum % 11];
  char last = s[17] == 'x' ? 'X' : s[17];
  return last == expected;
}

bool UsccValid(std::string_view s) {
  static constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  if (s.size() != 18) return false;
  int values[18];
  for (size_t i = 0; i < 18; ++i) {
    size_t v = kCharset.find(s[i]);
    if (v == std::string_view::npos) return false;
    values[i] = static_cast<int>(v);
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += values[i] * kWeights[i];
  int check = (31 - sum % 31) % 31;
  return values[17] == check;
}

}  // namespace miaopi::engine
