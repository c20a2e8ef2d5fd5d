#include "engine/runtime/kernel.h"

#include <re2/re2.h>

#include "dsl/ast.h"

#include <cmath>
#include <cstring>

namespace miaopi::engine {

namespace ops {

Value EitherUnknown(const Value& a, const Value& b, CauseArena& causes) {
  if (!a.known() && !b.known()) return Value::Unknown(causes.Join(a.cause, b.cause));
  return a.known() ? b : a;
}

Value Not(const Value& a) { return a.known() ? Value::Bool(!a.b) : a; }

Value And(const Value& a, const Value& b, CauseArena& causes) {
  if ((a.known() && !a.b) || (b.known() && !b.b)) return Value::Bool(false);
  if (a.known() && b.known()) return Value::Bool(true);
  return EitherUnknown(a, b, causes);
}

Value Or(const Value& a, const Value& b, CauseArena& causes) {
  if ((a.known() && a.b) || (b.known() && b.b)) return Value::Bool(true);
  if (a.known() && b.known()) return Value::Bool(false);
  return EitherUnknown(a, b, causes);
}

Value If(const Value& c, const Value& then_value, const Value& else_value) {
  if (!c.known()) return c;
  return c.b ? then_value : else_value;
}

Value Coalesce(const Value& a, const Value& b) { return a.known() ? a : b; }

Value Exists(const Value& a) { return Value::Bool(a.known()); }

Value Neg(uint8_t cls, const Value& a, CauseArena& causes) {
  if (!a.known()) return a;
  switch (cls) {
    case 0:
      if (a.kind == ValueKind::kInt) {
        if (a.i == INT64_MIN) return Value::Unknown(causes.MakeNote(Note::kOverflow));
        return Value::Int(-a.i);
      }
      return Value::Number(-a.d);
    case 1: return Value::Number(-a.AsDouble());
    default: return Value::Duration({-a.duration.months, -a.duration.days});
  }
}

namespace {

Value CheckedNumber(double d, CauseArena& causes) {
  if (!std::isfinite(d)) return Value::Unknown(causes.MakeNote(Note::kNotANumber));
  return Value::Number(d);
}

Value DateOrUnknown(std::optional<int32_t> d, CauseArena& causes) {
  if (!d) return Value::Unknown(causes.MakeNote(Note::kDateOutOfRange));
  return Value::Date(*d);
}

bool FitsInt32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

}  // namespace

Value Arithmetic(Arith op, ArithClass cls, const Value& a, const Value& b, CauseArena& causes) {
  if (!a.known() || !b.known()) return EitherUnknown(a, b, causes);
  switch (cls) {
    case ArithClass::kInt: {
      int64_t r = 0;
      bool overflow = false;
      switch (op) {
        case Arith::kAdd: overflow = __builtin_add_overflow(a.i, b.i, &r); break;
        case Arith::kSub: overflow = __builtin_sub_overflow(a.i, b.i, &r); break;
        case Arith::kMul: overflow = __builtin_mul_overflow(a.i, b.i, &r); break;
        case Arith::kMod:
          if (b.i == 0) return Value::Unknown(causes.MakeNote(Note::kDivisionByZero));
          r = b.i == -1 ? 0 : a.i % b.i;
          break;
        case Arith::kDiv:
          if (b.i == 0) return Value::Unknown(causes.MakeNote(Note::kDivisionByZero));
          return CheckedNumber(static_cast<double>(a.i) / static_cast<double>(b.i), causes);
      }
      if (overflow) return Value::Unknown(causes.MakeNote(Note::kOverflow));
      return Value::Int(r);
    }
    case ArithClass::kNumber: {
      double x = a.AsDouble(), y = b.AsDouble();
      switch (op) {
        case Arith::kAdd: return CheckedNumber(x + y, causes);
        case Arith::kSub: return CheckedNumber(x - y, causes);
        case Arith::kMul: return CheckedNumber(x * y, causes);
        case Arith::kDiv:
          if (y == 0) return Value::Unknown(causes.MakeNote(Note::kDivisionByZero));
          return CheckedNumber(x / y, causes);
        case Arith::kMod:
          if (y == 0) return Value::Unknown(causes.MakeNote(Note::kDivisionByZero));
          return CheckedNumber(std::fmod(x, y), causes);
      }
      break;
    }
    case ArithClass::kDateDuration:
      return DateOrUnknown(dsl::AddDuration(a.date, b.duration, op == Arith::kSub ? -1 : 1), causes);
    case ArithClass::kDurationDate: return DateOrUnknown(dsl::AddDuration(b.date, a.duration, 1), causes);
    case ArithClass::kString: break;  // Concat
    case ArithClass::kDuration: {
      int sign = op == Arith::kSub ? -1 : 1;
      int64_t months = int64_t{a.duration.months} + sign * int64_t{b.duration.months};
      int64_t days = int64_t{a.duration.days} + sign * int64_t{b.duration.days};
      if (!FitsInt32(months) || !FitsInt32(days)) return Value::Unknown(causes.MakeNote(Note::kOverflow));
      return Value::Duration({static_cast<int32_t>(months), static_cast<int32_t>(days)});
    }
  }
  return Value::Unknown(0);
}

Value Concat(const Value& a, const Value& b, KernelContext& ctx) {
  if (!a.known() || !b.known()) return EitherUnknown(a, b, *ctx.causes);
  char* out = ctx.strings->Allocate(a.len + b.len);
  if (a.len) std::memcpy(out, a.str, a.len);
  if (b.len) std::memcpy(out + a.len, b.str, b.len);
  return Value::String({out, static_cast<size_t>(a.len) + b.len});
}

std::optional<int> Order(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  bool numeric_a = a.kind == ValueKind::kInt || a.kind == ValueKind::kNumber;
  bool numeric_b = b.kind == ValueKind::kInt || b.kind == ValueKind::kNumber;
  if (numeric_a && numeric_b) {
    if (a.kind == ValueKind::kInt && b.kind == ValueKind::kInt) return sign(a.i, b.i);
    return sign(a.AsDouble(), b.AsDouble());
  }
  if (a.kind != b.kind) return std::nullopt;
  switch (a.kind) {
    case ValueKind::kString: {
      int c = a.string().compare(b.string());
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case ValueKind::kDate: return sign(a.date, b.date);
    case ValueKind::kBool: return sign(a.b, b.b);
    case ValueKind::kDuration:
      if (a.duration.days == 0 && b.duration.days == 0) return sign(a.duration.months, b.duration.months);
      if (a.duration.months == 0 && b.duration.months == 0) return sign(a.duration.days, b.duration.days);
      return std::nullopt;
    default: return std::nullopt;
  }
}

Value Comparison(Compare op, CompareClass cls, const Value& a, const Value& b, CauseArena& causes) {
  if (!a.known() || !b.known()) return EitherUnknown(a, b, causes);
  int order = 0;
  switch (cls) {
    case CompareClass::kInt: order = a.i < b.i ? -1 : a.i > b.i ? 1 : 0; break;
    case CompareClass::kNumber: {
      double x = a.AsDouble(), y = b.AsDouble();
      order = x < y ? -1 : x > y ? 1 : 0;
      break;
    }
    case CompareClass::kDate: order = a.date < b.date ? -1 : a.date > b.date ? 1 : 0; break;
    case CompareClass::kString: {
      int c = a.string().compare(b.string());
      order = c < 0 ? -1 : c > 0 ? 1 : 0;
      break;
    }
    case CompareClass::kBool: order = a.b == b.b ? 0 : (a.b ? 1 : -1); break;
    case CompareClass::kDuration: {
      if (op == Compare::kEq || op == Compare::kNe) {
        bool eq = a.duration == b.duration;
        return Value::Bool(op == Compare::kEq ? eq : !eq);
      }
      std::optional<int> o = Order(a, b);
      if (!o) return Value::Unknown(causes.MakeNote(Note::kIncomparable));
      order = *o;
      break;
    }
  }
  return Value::Bool(Satisfies(op, order));
}

Value InList(const Value& x, const Value& list, CauseArena& causes) {
  if (!x.known() || !list.known()) return EitherUnknown(x, list, causes);
  ScalarEq eq;
  uint32_t unknown = 0;
  bool any_unknown = false;
  for (uint32_t i = 0; i < list.len; ++i) {
    const Value& e = list.list[i];
    if (!e.known()) {
      unknown = causes.Join(unknown, e.cause);
      any_unknown = true;
      continue;
    }
    if (eq(x, e)) return Value::Bool(true);
  }
  if (any_unknown) return Value::Unknown(unknown);
  return Value::Bool(false);
}

Value InSet(const Value& x, const ScalarSet& set) {
  if (!x.known()) return x;
  return Value::Bool(set.Contains(x));
}

Value Matches(const Value& s, const RE2& re) {
  if (!s.known()) return s;
  return Value::Bool(RE2::PartialMatch(re2::StringPiece(s.str, s.len), re));
}

bool LoopAccumulator::Add(const Value& v) {
  if (decided_) return false;
  if (!v.known()) {
    unknown_ = causes_.Join(unknown_, v.cause);
    any_unknown_ = true;
    return true;
  }
  switch (kind_) {
    case NodeKind::kAll:
      if (!v.b) decided_ = true;
      break;
    case NodeKind::kAny:
      if (v.b) decided_ = true;
      break;
    case NodeKind::kCountIf: count_ += v.b; break;
    case NodeKind::kSum:
      if (!has_acc_) {
        acc_ = v;
        has_acc_ = true;
      } else if (acc_.kind == ValueKind::kInt && v.kind == ValueKind::kInt) {
        int64_t r;
        if (__builtin_add_overflow(acc_.i, v.i, &r)) {
          note_ = causes_.MakeNote(Note::kOverflow);
          decided_ = true;
        }
        acc_ = Value::Int(r);
      } else {
        acc_ = Value::Number(acc_.AsDouble() + v.AsDouble());
      }
      break;
    case NodeKind::kMin:
    case NodeKind::kMax: {
      if (!has_acc_) {
        acc_ = v;
        has_acc_ = true;
        break;
      }
      std::optional<int> order = Order(v, acc_);
      if (!order) {
        note_ = causes_.MakeNote(Note::kIncomparable);
        decided_ = true;
      } else if (kind_ == NodeKind::kMin ? *order < 0 : *order > 0) {
        acc_ = v;
      }
      break;
    }
    default: break;
  }
  return !decided_;
}

Value LoopAccumulator::Result() {
  switch (kind_) {
    case NodeKind::kAll:
      if (decided_) return Value::Bool(false);
      return any_unknown_ ? Value::Unknown(unknown_) : Value::Bool(true);
    case NodeKind::kAny:
      if (decided_) return Value::Bool(true);
      return any_unknown_ ? Value::Unknown(unknown_) : Value::Bool(false);
    case NodeKind::kCountIf: return any_unknown_ ? Value::Unknown(unknown_) : Value::Int(count_);
    case NodeKind::kSum:
      if (note_) return Value::Unknown(causes_.Join(note_, unknown_));
      if (any_unknown_) return Value::Unknown(unknown_);
      return has_acc_ ? (acc_.kind == ValueKind::kNumber && !std::isfinite(acc_.d)
                             ? Value::Unknown(causes_.MakeNote(Note::kNotANumber))
                             : acc_)
                      : Value::Int(0);
    case NodeKind::kMin:
    case NodeKind::kMax:
      if (note_) return Value::Unknown(causes_.Join(note_, unknown_));
      if (any_unknown_) return Value::Unknown(unknown_);
      if (!has_acc_) return Value::Unknown(causes_.MakeNote(Note::kEmptyList));
      return acc_;
    default: return Value::Unknown(0);
  }
}

}  // namespace ops

ArithClass ClassifyArith(const dsl::Type* a, const dsl::Type* b) {
  using dsl::TypeKind;
  if (a->kind == TypeKind::kString) return ArithClass::kString;
  if (a->kind == TypeKind::kDate) return ArithClass::kDateDuration;
  if (b->kind == TypeKind::kDate) return ArithClass::kDurationDate;
  if (a->kind == TypeKind::kDuration) return ArithClass::kDuration;
  if (a->kind == TypeKind::kInt && b->kind == TypeKind::kInt) return ArithClass::kInt;
  return ArithClass::kNumber;
}

CompareClass ClassifyCompare(const dsl::Type* a, const dsl::Type* b) {
  using dsl::TypeKind;
  switch (a->kind) {
    case TypeKind::kInt: return b->kind == TypeKind::kInt ? CompareClass::kInt : CompareClass::kNumber;
    case TypeKind::kNumber: return CompareClass::kNumber;
    case TypeKind::kString: return CompareClass::kString;
    case TypeKind::kDate: return CompareClass::kDate;
    case TypeKind::kBool: return CompareClass::kBool;
    case TypeKind::kDuration: return CompareClass::kDuration;
    default: return CompareClass::kNumber;
  }
}

uint8_t ClassifyNeg(const dsl::Type* a) {
  switch (a->kind) {
    case dsl::TypeKind::kInt: return 0;
    case dsl::TypeKind::kNumber: return 1;
    default: return 2;
  }
}

Arith ArithOf(dsl::Op op) {
  switch (op) {
    case dsl::Op::kSub: return Arith::kSub;
    case dsl::Op::kMul: return Arith::kMul;
    case dsl::Op::kDiv: return Arith::kDiv;
    case dsl::Op::kMod: return Arith::kMod;
    default: return Arith::kAdd;
  }
}

Compare CompareOf(dsl::Op op) {
  switch (op) {
    case dsl::Op::kNe: return Compare::kNe;
    case dsl::Op::kLt: return Compare::kLt;
    case dsl::Op::kLe: return Compare::kLe;
    case dsl::Op::kGt: return Compare::kGt;
    case dsl::Op::kGe: return Compare::kGe;
    default: return Compare::kEq;
  }
}

Value LiteralValue(const dsl::Literal& lit) {
  switch (lit.kind) {
    case dsl::LiteralKind::kBool: return Value::Bool(lit.b);
    case dsl::LiteralKind::kInt: return Value::Int(lit.i);
    case dsl::LiteralKind::kNumber: return Value::Number(lit.d);
    case dsl::LiteralKind::kString: return Value::String(lit.s);
    case dsl::LiteralKind::kDate: return Value::Date(lit.date);
    case dsl::LiteralKind::kDuration: return Value::Duration(lit.duration);
  }
  return Value::Unknown(0);
}

}  // namespace miaopi::engine
