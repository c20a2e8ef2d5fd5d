// Runtime values: 16 bytes, trivially copyable. Strings, lists and records
// point into memory that outlives the evaluation step that reads them (the
// application document, the per-evaluation arenas, or the compiled pack).
// `kUnknown` is a value like any other: it carries the id of its cause chain
// (which paths were missing) in the evaluation's CauseArena.
#pragma once

#include <cstdint>
#include <string_view>

#include "dsl/date.h"

namespace miaopi::engine {

enum class ValueKind : uint8_t {
  kUnknown,   // could not be determined; `cause` says why
  kBool,      // b
  kInt,       // i
  kNumber,    // d
  kString,    // str, len bytes of UTF-8
  kDate,      // date: days since 1970-01-01
  kDuration,  // duration
  kList,      // list, len elements
  kRecord,    // record: the record's slots, laid out by its Layout
};

struct Value {
  ValueKind kind = ValueKind::kUnknown;
  uint32_t len = 0;
  union {
    bool b;
    int64_t i;
    double d;
    int32_t date;
    dsl::Duration duration;
    const char* str;
    const Value* list;
    const Value* record;
    uint32_t cause;
  };

  Value() : i(0) {}

  static Value Unknown(uint32_t cause) {
    Value v;
    v.cause = cause;
    return v;
  }
  static Value Bool(bool b) {
    Value v;
    v.kind = ValueKind::kBool;
    v.b = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v;
    v.kind = ValueKind::kInt;
    v.i = i;
    return v;
  }
  static Value Number(double d) {
    Value v;
    v.kind = ValueKind::kNumber;
    v.d = d;
    return v;
  }
  static Value String(std::string_view s) {
    Value v;
    v.kind = ValueKind::kString;
    v.str = s.data();
    v.len = static_cast<uint32_t>(s.size());
    return v;
  }
  static Value Date(int32_t days) {
    Value v;
    v.kind = ValueKind::kDate;
    v.date = days;
    return v;
  }
  static Value Duration(dsl::Duration d) {
    Value v;
    v.kind = ValueKind::kDuration;
    v.duration = d;
    return v;
  }
  static Value List(const Value* elements, uint32_t count) {
    Value v;
    v.kind = ValueKind::kList;
    v.list = elements;
    v.len = count;
    return v;
  }
  static Value Record(const Value* slots) {
    Value v;
    v.kind = ValueKind::kRecord;
    v.record = slots;
    return v;
  }

  bool known() const { return kind != ValueKind::kUnknown; }
  std::string_view string() const { return {str, len}; }
  double AsDouble() const { return kind == ValueKind::kInt ? static_cast<double>(i) : d; }
};

static_assert(sizeof(Value) == 16, "Value stays two words");

}  // namespace miaopi::engine
