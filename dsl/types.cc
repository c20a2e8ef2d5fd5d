#include "dsl/types.h"

namespace miaopi::dsl {

int Type::FieldIndex(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

TypeArena::TypeArena() {
  for (TypeKind k : {TypeKind::kError, TypeKind::kBool, TypeKind::kInt, TypeKind::kNumber, TypeKind::kString,
                     TypeKind::kDate, TypeKind::kDuration, TypeKind::kVerdict, TypeKind::kRuleStatus}) {
    Type t;
    t.kind = k;
    scalars_.push_back(std::move(t));
  }
}

const Type* TypeArena::Scalar(TypeKind kind) const {
  for (const Type& t : scalars_) {
    if (t.kind == kind) return &t;
  }
  return Error();
}

const Type* TypeArena::List(const Type* elem) {
  auto it = lists_.find(elem);
  if (it != lists_.end()) return it->second;
  Type t;
  t.kind = TypeKind::kList;
  t.elem = elem;
  owned_.push_back(std::move(t));
  lists_[elem] = &owned_.back();
  return &owned_.back();
}

Type* TypeArena::NewRecord(std::string name) {
  Type t;
  t.kind = TypeKind::kRecord;
  t.name = std::move(name);
  owned_.push_back(std::move(t));
  return &owned_.back();
}

const Type* TypeArena::Table(uint32_t index, std::string name) {
  auto it = tables_.find(index);
  if (it != tables_.end()) return it->second;
  Type t;
  t.kind = TypeKind::kTable;
  t.table = index;
  t.name = std::move(name);
  owned_.push_back(std::move(t));
  return tables_[index] = &owned_.back();
}

const Type* TypeArena::Row(uint32_t index, std::string name) {
  auto it = rows_.find(index);
  if (it != rows_.end()) return it->second;
  Type t;
  t.kind = TypeKind::kRow;
  t.table = index;
  t.name = std::move(name);
  owned_.push_back(std::move(t));
  return rows_[index] = &owned_.back();
}

bool SameType(const Type* a, const Type* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr || a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::kList: return SameType(a->elem, b->elem);
    case TypeKind::kRecord:
      if (a->fields.size() != b->fields.size()) return false;
      for (size_t i = 0; i < a->fields.size(); ++i) {
        const RecordField &x = a->fields[i], &y = b->fields[i];
        if (x.name != y.name || x.optional != y.optional || !SameType(x.type, y.type)) return false;
      }
      return true;
    case TypeKind::kTable:
    case TypeKind::kRow: return a->table == b->table;
    default: return true;
  }
}

std::string TypeName(const Type* t, bool brief) {
  if (t == nullptr) return "?";
  switch (t->kind) {
    case TypeKind::kError: return "<error>";
    case TypeKind::kBool: return "bool";
    case TypeKind::kInt: return "int";
    case TypeKind::kNumber: return "number";
    case TypeKind::kString: return "string";
    case TypeKind::kDate: return "date";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kList: return "list<" + TypeName(t->elem, brief) + ">";
    case TypeKind::kTable: return "table " + t->name;
    case TypeKind::kRow: return "row of table " + t->name;
    case TypeKind::kVerdict: return "decision";
    case TypeKind::kRuleStatus: return "rule status";
    case TypeKind::kRecord: {
      if (!t->name.empty()) return t->name;
      if (brief) return "record";
      std::string out = "{ ";
      for (size_t i = 0; i < t->fields.size(); ++i) {
        if (i) out += ", ";
        out += t->fields[i].name + ": " + TypeName(t->fields[i].type, brief) + (t->fields[i].optional ? "?" : "");
      }
      return out + " }";
    }
  }
  return "?";
}

const Type* ScalarByName(const TypeArena& arena, std::string_view name) {
  if (name == "bool") return arena.Bool();
  if (name == "int") return arena.Int();
  if (name == "number") return arena.Number();
  if (name == "string") return arena.String();
  if (name == "date") return arena.Date();
  if (name == "duration") return arena.Duration();
  return nullptr;
}

}  // namespace miaopi::dsl
