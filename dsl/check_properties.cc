// Properties (`property CODE "…" for "ITEM": EXPR`): each condition is typed
// once per version of its item, in the item's scope plus `decision`, the
// outcome and status constants, `rule(CODE)` and `implies`. Evaluation never
// reads them; `miaopi verify` proves or refutes them.
#include <set>

#include "dsl/checker.h"

namespace miaopi::dsl {

namespace {

struct NamedConstant {
  std::string_view name;
  RefKind kind;
  uint32_t index;
};

constexpr NamedConstant kPropertyConstants[] = {
    {"approve", RefKind::kVerdictConst, static_cast<uint32_t>(Outcome::kApprove)},
    {"review", RefKind::kVerdictConst, static_cast<uint32_t>(Outcome::kReview)},
    {"reject", RefKind::kVerdictConst, static_cast<uint32_t>(Outcome::kReject)},
    {"pass", RefKind::kStatusConst, 0},
    {"fail", RefKind::kStatusConst, 1},
    {"unknown", RefKind::kStatusConst, 2},
};

}  // namespace

const Type* Checker::PropertyName(Expr* e, Scope& s) {
  if (e->name == "decision") {
    if (!s.property) return nullptr;  // an ordinary name (an input field may be called so)
    e->ref = {RefKind::kVerdict, 0, nullptr};
    return e->type = types_.Verdict();
  }
  if (!s.property) return nullptr;
  for (const NamedConstant& c : kPropertyConstants) {
    if (e->name == c.name) {
      e->ref = {c.kind, c.index, nullptr};
      return e->type = c.kind == RefKind::kVerdictConst ? types_.Verdict() : types_.RuleStatus();
    }
  }
  return nullptr;
}

const Type* Checker::RuleStatusCall(Expr* e, Scope& s) {
  if (!s.property) {
    diags_->Error(ErrorCode::kPropertyOnly, e->span, "`rule(CODE)` is for properties");
    return Fail(e);
  }
  if (e->args.size() != 1 || e->args[0]->kind != ExprKind::kName) {
    diags_->Error(ErrorCode::kArgumentCount, e->span, "`rule(CODE)` takes one rule code, such as rule(AGE)");
    return Fail(e);
  }
  const std::string& code = e->args[0]->name;
  const std::vector<RuleDecl>& rules = s.item->decl->rules;
  std::vector<std::string> codes;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].code == code) {
      e->ref = {RefKind::kRuleStatus, static_cast<uint32_t>(i), nullptr};
      e->args[0]->type = types_.RuleStatus();
      return e->type = types_.RuleStatus();
    }
    codes.push_back(rules[i].code);
  }
  diags_->Error(ErrorCode::kUnknownRule, e->args[0]->span,
                "item '" + s.item->decl->code + "' has no rule '" + code + "'" + DidYouMean(code, codes));
  return Fail(e);
}

void Checker::CheckProperties() {
  std::set<std::pair<std::string, std::string>> seen;  // (item, code)
  for (const std::unique_ptr<Module>& module : p_.modules) {
    for (const PropertyDecl& decl : module->properties) {
      if (decl.cond == nullptr) continue;
      if (!seen.emplace(decl.item, decl.code).second) {
        diags_->Error(ErrorCode::kDuplicateProperty, decl.code_span,
                      "item '" + decl.item + "' already has a property '" + decl.code + "'");
        continue;
      }
      bool found = false, reported = false;
      for (size_t i = 0; i < p_.items.size(); ++i) {
        if (p_.items[i].decl->code != decl.item) continue;
        found = true;
        // Lets and outputs are typed where they are used: redo them quietly
        // for this version (their errors were reported with the item).
        Diagnostics* real = diags_;
        Diagnostics quiet;
        diags_ = &quiet;
        EnterItem(i);
        for (size_t l = 0; l < p_.items[i].decl->lets.size(); ++l) LetType(l);
        for (size_t o = 0; o < p_.items[i].decl->outputs.size(); ++o) OutputType(o);
        // A condition wrong in several versions is reported once.
        diags_ = reported ? &quiet : real;
        size_t errors = diags_->error_count();
        PropertyCheck check;
        check.decl = &decl;
        check.item = i;
        check.cond = CloneExpr(*module, decl.cond);
        Scope scope;
        scope.item = &p_.items[i];
        scope.property = true;
        const Type* t = Value(check.cond, scope);
        if (!Err(t) && t->kind != TypeKind::kBool) {
          diags_->Error(ErrorCode::kNotBool, decl.cond->span,
                        "a property is a bool expression; this is " + TypeName(t));
        }
        check.ok = diags_->error_count() == errors && !Err(t) && t->kind == TypeKind::kBool;
        reported |= !check.ok;
        diags_ = real;
        p_.properties.push_back(check);
      }
      if (!found) {
        std::vector<std::string> codes;
        for (const ItemVersion& item : p_.items) codes.push_back(item.decl->code);
        diags_->Error(ErrorCode::kUnknownPropertyItem, decl.item_span,
                      "property '" + decl.code + "' is for item '" + decl.item + "', which the pack does not have" +
                          DidYouMean(decl.item, codes));
      }
    }
  }
}

}  // namespace miaopi::dsl
