// The checker's entry points: the whole program, or one expression typed in
// the REPL. The checker itself is dsl/checker.h.
#include "dsl/check.h"

#include "dsl/checker.h"

namespace miaopi::dsl {

void Checker::Run(const LoadOptions& options) {
  CollectPack();
  CollectNames();
  for (size_t i = 0; i < defs_.size(); ++i) DefType(i);
  for (size_t i = 0; i < decisions_.size(); ++i) CheckDecision(i);
  CollectItems();
  for (size_t i = 0; i < p_.items.size(); ++i) CheckItem(i);
  CheckVersions();
  CheckProperties();
  size_t rules = 0;
  for (const ItemVersion& item : p_.items) rules += item.decl->rules.size();
  if (rules > options.max_rules) {
    diags_->Global(ErrorCode::kTooManyRules, "the pack has " + std::to_string(rules) + " rules; the limit is " +
                                                 std::to_string(options.max_rules));
  }
}

bool Checker::CheckStandalone(size_t item, Expr* e, bool property) {
  // The pack was checked before: redo its declarations quietly.
  Diagnostics* real = diags_;
  Diagnostics quiet;
  diags_ = &quiet;
  CollectNames();
  for (size_t i = 0; i < defs_.size(); ++i) DefType(i);
  EnterItem(item);
  for (size_t i = 0; i < p_.items[item].decl->lets.size(); ++i) LetType(i);
  for (size_t i = 0; i < p_.items[item].decl->outputs.size(); ++i) OutputType(i);
  diags_ = real;
  size_t errors = diags_->error_count();
  Scope scope;
  scope.item = &p_.items[item];
  scope.property = property;
  const Type* t = Value(e, scope);
  return diags_->error_count() == errors && t->kind != TypeKind::kError;
}

void CheckProgram(Program& program, const LoadOptions& options, Diagnostics& diags) {
  Checker(program, diags).Run(options);
}

bool CheckItemExpression(Program& program, size_t item, Expr* expr, Diagnostics& diags, bool property) {
  return Checker(program, diags).CheckStandalone(item, expr, property);
}

}  // namespace miaopi::dsl
