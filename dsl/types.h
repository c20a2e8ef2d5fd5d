// The types of the rule language. Types are immutable and owned by a
// TypeArena; scalar and list types are interned, so pointer equality works
// for them, and SameType compares records structurally.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/source.h"

namespace miaopi::dsl {

enum class TypeKind : uint8_t {
  kError,     // the type of an expression that already has a diagnostic
  kBool,      // true / false
  kInt,       // 64-bit integer
  kNumber,    // IEEE double; int converts to number where a number is expected
  kString,    // UTF-8 text
  kDate,      // calendar day
  kDuration,  // months and days
  kList,      // list<elem>
  kRecord,    // { name: T, ... }
  kTable,     // a table name used in `x in T` or `T[key]`
  kRow,       // T[key]: a table row, usable only as `T[key].column`
  // Properties only (never in a rule, never evaluated by the engine):
  kVerdict,     // `decision`: approve | review | reject
  kRuleStatus,  // `rule(CODE)`: pass | fail | unknown
};

struct Type;

struct RecordField {
  std::string name;
  const Type* type = nullptr;
  bool optional = false;  // declared with `?`: may be absent or null
  bool fixed = false;     // declared `fixed`: not the applicant's to change (remedies)
  Span span;
};

struct Type {
  TypeKind kind = TypeKind::kError;
  const Type* elem = nullptr;       // kList
  std::vector<RecordField> fields;  // kRecord
  std::string name;                 // schema name of a record, table name of kTable/kRow
  uint32_t table = 0;               // kTable / kRow: index of the table in the pack

  // Index of a record field, or -1.
  int FieldIndex(std::string_view field) const;
  bool IsScalar() const { return kind >= TypeKind::kBool && kind <= TypeKind::kDuration; }
  bool IsNumeric() const { return kind == TypeKind::kInt || kind == TypeKind::kNumber; }
};

class TypeArena {
 public:
  TypeArena();
  const Type* Error() const { return &scalars_[0]; }
  const Type* Bool() const { return &scalars_[1]; }
  const Type* Int() const { return &scalars_[2]; }
  const Type* Number() const { return &scalars_[3]; }
  const Type* String() const { return &scalars_[4]; }
  const Type* Date() const { return &scalars_[5]; }
  const Type* Duration() const { return &scalars_[6]; }
  const Type* Verdict() const { return &scalars_[7]; }
  const Type* RuleStatus() const { return &scalars_[8]; }
  const Type* Scalar(TypeKind kind) const;
  const Type* List(const Type* elem);
  // Records are not interned: each declaration is its own type.
  Type* NewRecord(std::string name);
  const Type* Table(uint32_t index, std::string name);
  const Type* Row(uint32_t index, std::string name);

 private:
  std::deque<Type> scalars_;
  std::deque<Type> owned_;
  std::map<const Type*, const Type*> lists_;
  std::map<uint32_t, const Type*> tables_, rows_;
};

// Structural equality (records by field names, types and optionality).
bool SameType(const Type* a, const Type* b);
// "int", "list<string>", "{ a: int, b: date? }", "Person"; with
// `brief`, an unnamed record is just "record".
std::string TypeName(const Type* t, bool brief = false);
// Parses "int", "number", "string", "date", "bool", "duration"; nullopt otherwise.
const Type* ScalarByName(const TypeArena& arena, std::string_view name);

}  // namespace miaopi::dsl
