// The built-in functions of the language (see dsl/builtins.h), including the
// GB 11643-1999 ID number and GB 32100-2015 credit code checks.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>

#include "engine/runtime/checksums.h"
#include "engine/runtime/kernel.h"

namespace miaopi::engine {

namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Bytes less continuation bytes (10xxxxxx), eight bytes at a time: a
// continuation byte has bit 7 set and bit 6 clear.
size_t CodePoints(std::string_view s) {
  size_t continuations = 0, i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // One flag bit per byte: shifted to bit 0 of each byte, the multiply
    // sums the bytes into the top one (std::popcount is a library call
    // without -mpopcnt, which the generic x86-64 build does not assume).
    const uint64_t flags = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
    continuations += static_cast<size_t>((flags * 0x0101010101010101ull) >> 56);
  }
  for (; i < s.size(); ++i) continuations += IsContinuation(s[i]);
  return s.size() - continuations;
}

// Byte offset of the `index`-th code point (or s.size()).
size_t OffsetOf(std::string_view s, int64_t index) {
  size_t i = 0;
  for (int64_t k = 0; k < index && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && IsContinuation(s[i])) ++i;
  }
  return i;
}

bool IsSpaceAt(std::string_view s, size_t i, size_t* len) {
  unsigned char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  // U+3000 IDEOGRAPHIC SPACE, common in Chinese form input.
  if (s.substr(i, 3) == "\xE3\x80\x80") {
    *len = 3;
    return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  size_t len = 0;
  while (!s.empty() && IsSpaceAt(s, 0, &len)) s.remove_prefix(len);
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r' ||
                       s.back() == '\f' || s.back() == '\v')) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") {
      s.remove_suffix(3);
    } else {
      return s;
    }
  }
}

Value MapCase(const Value& v, bool upper, KernelContext& ctx) {
  std::string_view s = v.string();
  auto changes = [&](char c) { return upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z'); };
  if (std::none_of(s.begin(), s.end(), changes)) return v;
  char* out = ctx.strings->Allocate(s.size());
  for (size_t i = 0; i < s.size(); ++i) out[i] = changes(s[i]) ? static_cast<char>(s[i] ^ 0x20) : s[i];
  return Value::String({out, s.size()});
}

// The unknown made of every unknown argument, if there is one.
std::optional<Value> AnyUnknown(const Value* args, uint32_t n, CauseArena& causes) {
  uint32_t cause = 0;
  bool any = false;
  for (uint32_t i = 0; i < n; ++i) {
    if (!args[i].known()) {
      cause = causes.Join(cause, args[i].cause);
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return Value::Unknown(cause);
}

Value Extreme(const Value* args, uint32_t n, bool want_max, KernelContext& ctx) {
  if (std::optional<Value> unknown = AnyUnknown(args, n, *ctx.causes)) return *unknown;
  if (n == 0) return Value::Unknown(ctx.causes->MakeNote(Note::kEmptyList));
  Value best = args[0];
  for (uint32_t i = 1; i < n; ++i) {
    std::optional<int> order = ops::Order(args[i], best);
    if (!order) return Value::Unknown(ctx.causes->MakeNote(Note::kIncomparable));
    if (want_max ? *order > 0 : *order < 0) best = args[i];
  }
  return best;
}

// A licence is known exactly when it is in force; when it is not, its
// cause says why, and that is the status. Unknown stays unknown where the
// library did not answer (or there is none, or no subject): nothing is known
// about the licence then.
Value LicenceStatus(const Value& licence, CauseArena& causes) {
  if (licence.known()) return Value::String("in_force");
  const Cause& c = causes.at(licence.cause);
  if (c.kind != CauseKind::kLicence) return licence;
  std::string_view word = LicenceProblemWord(static_cast<LicenceProblem>(c.b));
  if (word.empty()) return licence;
  return Value::String(word);
}

// Known and false for a value that is there; true for one that is unknown
// only because data is absent (or null); otherwise (a wrong type, a missing
// table row, a division by zero …) as unknown as the value: broken data is
// never taken for no data.
Value Absent(const Value& v, CauseArena& causes) {
  if (v.known()) return Value::Bool(false);
  uint32_t stack[64];
  size_t depth = 0;
  stack[depth++] = v.cause;
  while (depth > 0) {
    const Cause& c = causes.at(stack[--depth]);
    if (c.kind == CauseKind::kJoin && depth + 2 <= 64) {
      stack[depth++] = c.a;
      stack[depth++] = c.b;
    } else if (c.kind != CauseKind::kAbsent) {
      return v;
    }
  }
  return Value::Bool(true);
}

}  // namespace

Value ops::Builtin(dsl::Builtin b, const Value* args, uint32_t n, KernelContext& ctx) {
  using dsl::Builtin;
  if (b == Builtin::kMin || b == Builtin::kMax) {
    if (n == 1) {
      if (!args[0].known()) return args[0];
      return Extreme(args[0].list, args[0].len, b == Builtin::kMax, ctx);
    }
    return Extreme(args, n, b == Builtin::kMax, ctx);
  }
  if (b == Builtin::kLicenceStatus) return LicenceStatus(args[0], *ctx.causes);
  if (b == Builtin::kAbsent) return Absent(args[0], *ctx.causes);
  if (std::optional<Value> unknown = AnyUnknown(args, n, *ctx.causes)) return *unknown;
  switch (b) {
    case Builtin::kLen:
      if (args[0].kind == ValueKind::kList) return Value::Int(args[0].len);
      return Value::Int(static_cast<int64_t>(CodePoints(args[0].string())));
    case Builtin::kCount: return Value::Int(args[0].len);
    case Builtin::kLower: return MapCase(args[0], false, ctx);
    case Builtin::kUpper: return MapCase(args[0], true, ctx);
    case Builtin::kTrim: return Value::String(Trim(args[0].string()));
    case Builtin::kStartsWith: return Value::Bool(args[0].string().starts_with(args[1].string()));
    case Builtin::kEndsWith: return Value::Bool(args[0].string().ends_with(args[1].string()));
    case Builtin::kContains: return Value::Bool(args[0].string().find(args[1].string()) != std::string_view::npos);
    case Builtin::kSubstr: {
      std::string_view s = args[0].string();
      int64_t start = std::max<int64_t>(0, args[1].i);
      int64_t count = std::max<int64_t>(0, args[2].i);
      size_t from = OffsetOf(s, start);
      std::string_view rest = s.substr(from);
      return Value::String(rest.substr(0, OffsetOf(rest, count)));
    }
    case Builtin::kYear: return Value::Int(dsl::CivilFromDays(args[0].date).year);
    case Builtin::kMonth: return Value::Int(dsl::CivilFromDays(args[0].date).month);
    case Builtin::kDay: return Value::Int(dsl::CivilFromDays(args[0].date).day);
    case Builtin::kAge: return Value::Int(dsl::AgeInYears(args[0].date, args[1].date));
    case Builtin::kDaysBetween: return Value::Int(static_cast<int64_t>(args[1].date) - args[0].date);
    case Builtin::kIdNumberValid: return Value::Bool(IdNumberValid(args[0].string()));
    case Builtin::kIdNumberBirth: {
      std::optional<int32_t> birth = IdNumberBirth(args[0].string());
      if (!birth) return Value::Unknown(ctx.causes->MakeNote(Note::kBadIdNumber));
      return Value::Date(*birth);
    }
    case Builtin::kUsccValid: return Value::Bool(UsccValid(args[0].string()));
    case Builtin::kExists: return Value::Bool(true);
    case Builtin::kAbs:
      if (args[0].kind == ValueKind::kInt) {
        if (args[0].i == INT64_MIN) return Value::Unknown(ctx.causes->MakeNote(Note::kOverflow));
        return Value::Int(args[0].i < 0 ? -args[0].i : args[0].i);
      }
      return Value::Number(args[0].d < 0 ? -args[0].d : args[0].d);
    case Builtin::kMin:
    case Builtin::kMax:
    case Builtin::kLicenceStatus:
    case Builtin::kAbsent: break;
  }
  return Value::Unknown(0);
}

}  // namespace miaopi::engine
