// The built-in functions of the language: names and what they do. The
// checker types calls from this list; engine/builtins.cc implements them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace miaopi::dsl {

// clang-format off
#define MIAOPI_BUILTINS(X)                                                                         \
  X(kLen, "len", "len(s) characters of a string, or len(L) elements of a list")                  \
  X(kLower, "lower", "lower(s) ASCII letters to lower case")                                       \
  X(kUpper, "upper", "upper(s) ASCII letters to upper case")                                       \
  X(kTrim, "trim", "trim(s) without leading and trailing white space")                            \
  X(kStartsWith, "starts_with", "starts_with(s, prefix)")                                          \
  X(kEndsWith, "ends_with", "ends_with(s, suffix)")                                                \
  X(kContains, "contains", "contains(s, part) substring test")                                     \
  X(kSubstr, "substr", "substr(s, start, count) by characters, from 0; clipped to the string")    \
  X(kYear, "year", "year(d)")                                                                      \
  X(kMonth, "month", "month(d) 1-12")                                                              \
  X(kDay, "day", "day(d) 1-31")                                                                    \
  X(kAge, "age", "age(birth, at) whole years")                                                     \
  X(kDaysBetween, "days_between", "days_between(a, b) = b - a in days")                           \
  X(kIdNumberValid, "id_number_valid", "id_number_valid(s) GB 11643-1999 check")                  \
  X(kIdNumberBirth, "id_number_birth", "id_number_birth(s) birth date inside an ID number")       \
  X(kUsccValid, "uscc_valid", "uscc_valid(s) GB 32100-2015 check")                                \
  X(kExists, "exists", "exists(e) true when e is known: present, not null, of its type")         \
  X(kAbsent, "absent", "absent(e) true when e is absent or null; unknown when it is there but broken") \
  X(kCount, "count", "count(L) elements of a list")                                                \
  X(kMin, "min", "min(a, b, ...) or min(L)")                                                       \
  X(kMax, "max", "max(a, b, ...) or max(L)")                                                       \
  X(kAbs, "abs", "abs(x)")                                                                         \
  X(kLicenceStatus, "licence_status",                                                              \
    "licence_status(L) of a licence the item uses: in_force, or why it cannot be used (not_found, " \
    "expired, revoked, cancelled, suspended, not_yet_valid, other_status, unreadable)")
// clang-format on

enum class Builtin : uint8_t {
#define MIAOPI_BUILTIN_ENUM(id, name, doc) id,
  MIAOPI_BUILTINS(MIAOPI_BUILTIN_ENUM)
#undef MIAOPI_BUILTIN_ENUM
};

std::optional<Builtin> FindBuiltin(std::string_view name);
std::string_view BuiltinName(Builtin b);
std::string_view BuiltinDoc(Builtin b);

}  // namespace miaopi::dsl
