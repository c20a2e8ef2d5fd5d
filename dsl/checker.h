// The type checker, shared by the files that implement it: check.cc (the
// entry points of check.h), check_declarations.cc (pack, names, decision
// tables, types, defs, items, versions), check_expressions.cc (operators,
// names, fields, quantifiers) and check_calls.cc (built-ins, defs, decision
// tables). Private to dsl/: everyone else sees check.h.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/check.h"

namespace miaopi::dsl {

// Types `<`, `min` and `max` can compare.
inline bool IsOrderable(const Type* t) {
  switch (t->kind) {
    case TypeKind::kInt:
    case TypeKind::kNumber:
    case TypeKind::kString:
    case TypeKind::kDate:
    case TypeKind::kDuration: return true;
    default: return false;
  }
}

class Checker {
 public:
  Checker(Program& program, Diagnostics& diags) : p_(program), types_(*program.types), diags_(&diags) {}

  void Run(const LoadOptions& options);
  bool CheckStandalone(size_t item, Expr* e, bool property = false);

 private:
  struct Scope {
    const ItemVersion* item = nullptr;  // input fields, lets, licences, outputs, subject, context
    const DefDecl* def = nullptr;       // parameters
    size_t def_index = 0;
    const DecisionDecl* decision = nullptr;  // parameters of a decision table's outputs
    size_t decision_index = 0;
    std::vector<const Expr*> binders;  // enclosing quantifiers, innermost last
    bool property = false;             // `decision`, `rule(CODE)`, `implies` allowed
  };

  enum class Visit : uint8_t { kNew, kActive, kDone };

  // ---------------------------------------------------------------- pack level

  void CollectPack();
  void CollectNames();

  // The types of `subject` and `context`, which come from the caller.
  void CollectContext();
  void CollectLicences();

  // ---------------------------------------------------------------- decisions

  void CheckDecision(size_t index);

  // ---------------------------------------------------------------- types

  // Schemas name schemas, so a type can be as deep as a chain of them:
  // bounded here, as expressions are.
  const Type* ResolveType(const TypeExpr* t);
  const Type* ResolveTypeAt(const TypeExpr* t);

  struct SchemaEntry {
    const SchemaDecl* decl;
    Visit visit;
    const Type* type;
  };

  const Type* SchemaType(SchemaEntry& s, Span use);
  const Type* RecordType(const TypeExpr* t, const std::string& name);

  // ---------------------------------------------------------------- defs

  const Type* DefType(size_t index);

  // ---------------------------------------------------------------- items

  // Puts the rules of each included rule set where the `include` stands,
  // each a fresh copy so every item types it in its own scope.
  void ExpandIncludes(Module& m, ItemDecl& item);
  void CollectItems();
  void EnterItem(size_t index);
  void CheckItem(size_t index);
  const Type* OutputType(size_t index);
  const Type* LetType(size_t index);
  void CheckVersions();

  // ---------------------------------------------------------------- properties

  // Types each property's condition once per version of its item.
  void CheckProperties();
  // `decision`, approve … unknown in a property; nullptr when `e` is none of them.
  const Type* PropertyName(Expr* e, Scope& s);
  // `rule(CODE)` in a property.
  const Type* RuleStatusCall(Expr* e, Scope& s);

  // ---------------------------------------------------------------- expressions

  const Type* Fail(Expr* e) { return e->type = types_.Error(); }

  std::string_view SourceText(const Expr* e) const { return p_.sources.file(e->span.file).Slice(e->span); }

  // Checks `e` and requires a value (not a table or a bare row).
  const Type* Value(Expr* e, Scope& s);

  bool Err(const Type* t) { return t->kind == TypeKind::kError; }

  // The common type of two values: equal types, or int and number → number.
  const Type* Unify(const Type* a, const Type* b);

  // Can a value of type `from` be passed where `to` is expected?
  bool Assignable(const Type* from, const Type* to);

  // Lets, defs and outputs are typed where they are first used, so checking
  // one expression can walk through a chain of them. The walk is bounded by
  // the same height the compiled graph may have: anything deeper could not
  // be lowered anyway, and the stack must not be the limit.
  const Type* Check(Expr* e, Scope& s);
  const Type* CheckKind(Expr* e, Scope& s);
  const Type* LiteralType(const Literal& lit);
  const Type* CheckList(Expr* e, Scope& s);
  const Type* CheckName(Expr* e, Scope& s);
  const Type* CheckField(Expr* e, Scope& s);
  // A key of the right type for a table (`t[key]`, `x in t`); E311 when not.
  bool TableKeyFits(const Type* table_type, const Expr* key_expr, const Type* key);
  const Type* CheckIndex(Expr* e, Scope& s);
  bool ArgCount(Expr* e, size_t min, size_t max);
  bool ArgIs(Expr* e, size_t i, const Type* t, const std::vector<const Type*>& got);
  const Type* CheckCall(Expr* e, Scope& s);
  const Type* CheckMinMax(Expr* e, const std::vector<const Type*>& got);
  const Type* CheckDefCall(Expr* e, size_t index, const std::vector<const Type*>& got, bool any_error);
  const Type* CheckDecisionCall(Expr* e, size_t index, const std::vector<const Type*>& got, bool any_error);
  const Type* CheckUnary(Expr* e, Scope& s);
  const Type* Mismatch(Expr* e, const Type* a, const Type* b, const std::string& hint = "");
  const Type* CheckBinary(Expr* e, Scope& s);
  const Type* CheckIn(Expr* e, Scope& s);
  const Type* CheckMatches(Expr* e, Scope& s);
  const Type* CheckIf(Expr* e, Scope& s);
  const Type* CheckBinding(Expr* e, Scope& s);

  Program& p_;
  TypeArena& types_;
  Diagnostics* diags_;
  bool names_collected_ = false;
  std::map<std::string, SchemaEntry> schemas_;
  std::vector<const DefDecl*> defs_;
  std::map<std::string, size_t> def_index_;
  std::vector<const DecisionDecl*> decisions_;
  std::map<std::string, size_t> decision_index_;
  std::map<std::string, const ItemDecl*> rule_sets_;
  std::map<std::string, size_t> output_index_, licence_index_;
  std::vector<const Type*> output_types_;
  std::vector<Visit> output_visit_;
  std::vector<const Type*> def_types_;
  std::vector<Visit> def_visit_;
  const ItemVersion* current_item_ = nullptr;
  uint32_t check_depth_ = 0;
  static constexpr uint32_t kMaxTypeDepth = 256;
  uint32_t type_depth_ = 0;
  bool too_deep_reported_ = false;  // once per item (and once for the defs)
  std::map<std::string, size_t> let_index_;
  std::vector<const Type*> let_types_;
  std::vector<Visit> let_visit_;
  std::vector<bool> let_used_;
};

}  // namespace miaopi::dsl
