// Checking calls: built-ins (arity and argument types), min and max, defs
// and decision tables.
#include <algorithm>
#include <map>
#include <set>

#include "dsl/ast_dump.h"
#include "dsl/builtins.h"
#include "dsl/checker.h"
#include "dsl/decision_check.h"

namespace miaopi::dsl {

bool Checker::ArgCount(Expr* e, size_t min, size_t max) {
  size_t n = e->args.size();
  if (n >= min && n <= max) return true;
  std::string want = min == max        ? std::to_string(min)
                     : max == SIZE_MAX ? std::to_string(min) + " or more"
                                       : std::to_string(min) + " to " + std::to_string(max);
  diags_->Error(
      ErrorCode::kArgumentCount, e->span,
      e->name + "() takes " + want + " argument" + (min == 1 && max == 1 ? "" : "s") + ", not " + std::to_string(n));
  return false;
}

bool Checker::ArgIs(Expr* e, size_t i, const Type* t, const std::vector<const Type*>& got) {
  if (Assignable(got[i], t)) return true;
  diags_->Error(
      ErrorCode::kArgumentType, e->args[i]->span,
      "argument " + std::to_string(i + 1) + " of " + e->name + "() is " + TypeName(t) + ", not " + TypeName(got[i]));
  return false;
}

const Type* Checker::CheckCall(Expr* e, Scope& s) {
  if (e->name == "rule" && s.item != nullptr) return RuleStatusCall(e, s);
  std::vector<const Type*> got;
  bool any_error = false;
  for (Expr* a : e->args) {
    got.push_back(Value(a, s));
    any_error |= Err(got.back());
  }
  auto def = def_index_.find(e->name);
  if (def != def_index_.end()) return CheckDefCall(e, def->second, got, any_error);
  auto decision = decision_index_.find(e->name);
  if (decision != decision_index_.end()) return CheckDecisionCall(e, decision->second, got, any_error);
  std::optional<Builtin> b = FindBuiltin(e->name);
  if (!b) {
    std::vector<std::string> names;
    for (const DefDecl* d : defs_) names.push_back(d->name);
    for (const DecisionDecl* d : decisions_) names.push_back(d->name);
#define MIAOPI_BUILTIN_NAME(id, name, doc) names.push_back(name);
    MIAOPI_BUILTINS(MIAOPI_BUILTIN_NAME)
#undef MIAOPI_BUILTIN_NAME
    diags_->Error(ErrorCode::kUnknownFunction, e->span,
                  "unknown function '" + e->name + "'" + DidYouMean(e->name, names));
    return Fail(e);
  }
  e->ref = {RefKind::kBuiltin, static_cast<uint32_t>(*b), nullptr};
  if (any_error) return Fail(e);
  const Type *str = types_.String(), *date = types_.Date(), *integer = types_.Int();
  auto unary = [&](const Type* arg, const Type* result) -> const Type* {
    if (!ArgCount(e, 1, 1) || !ArgIs(e, 0, arg, got)) return Fail(e);
    return e->type = result;
  };
  auto binary = [&](const Type* a, const Type* b2, const Type* result) -> const Type* {
    if (!ArgCount(e, 2, 2) || !ArgIs(e, 0, a, got) || !ArgIs(e, 1, b2, got)) return Fail(e);
    return e->type = result;
  };
  switch (*b) {
    case Builtin::kLen:
      if (!ArgCount(e, 1, 1)) return Fail(e);
      if (got[0]->kind != TypeKind::kString && got[0]->kind != TypeKind::kList) {
        diags_->Error(ErrorCode::kArgumentType, e->args[0]->span,
                      "len() takes a string or a list, not " + TypeName(got[0]));
        return Fail(e);
      }
      return e->type = integer;
    case Builtin::kLower:
    case Builtin::kUpper:
    case Builtin::kTrim: return unary(str, str);
    case Builtin::kStartsWith:
    case Builtin::kEndsWith:
    case Builtin::kContains: return binary(str, str, types_.Bool());
    case Builtin::kSubstr:
      if (!ArgCount(e, 3, 3) || !ArgIs(e, 0, str, got) || !ArgIs(e, 1, integer, got) || !ArgIs(e, 2, integer, got)) {
        return Fail(e);
      }
      return e->type = str;
    case Builtin::kYear:
    case Builtin::kMonth:
    case Builtin::kDay: return unary(date, integer);
    case Builtin::kAge:
    case Builtin::kDaysBetween: return binary(date, date, integer);
    case Builtin::kIdNumberValid:
    case Builtin::kUsccValid: return unary(str, types_.Bool());
    case Builtin::kIdNumberBirth: return unary(str, date);
    case Builtin::kExists:
    case Builtin::kAbsent:
      if (!ArgCount(e, 1, 1)) return Fail(e);
      if (*b == Builtin::kExists) {
        // `not exists(L)` (or of one of L's fields) reads "holds no such
        // licence", and would pass when the library failed or the record
        // is unreadable: broken data deciding. licence_status(L) is unknown
        // when the library failed.
        const Expr* root = e->args[0];
        while (root->kind == ExprKind::kField && !root->args.empty()) root = root->args[0];
        if (root->kind == ExprKind::kName && root->ref.kind == RefKind::kLicence) {
          const std::string& l = root->name;
          diags_->Warning(ErrorCode::kLicenceExists, e->span,
                          "exists() of licence " + l +
                              " is false also when the licence library did not answer or cannot read the record; "
                              "licence_status(" +
                              l + ") tells them apart (`licence_status(" + l +
                              ") != \"in_force\"` is unknown, so review, when the library did not answer)");
        }
      }
      return e->type = types_.Bool();
    case Builtin::kCount:
      if (!ArgCount(e, 1, 1)) return Fail(e);
      if (got[0]->kind != TypeKind::kList) {
        diags_->Error(ErrorCode::kNotAList, e->args[0]->span, "count() takes a list, not " + TypeName(got[0]));
        return Fail(e);
      }
      return e->type = integer;
    case Builtin::kMin:
    case Builtin::kMax: return CheckMinMax(e, got);
    case Builtin::kLicenceStatus:
      if (!ArgCount(e, 1, 1)) return Fail(e);
      if (e->args[0]->ref.kind != RefKind::kLicence) {
        diags_->Error(ErrorCode::kArgumentType, e->args[0]->span,
                      "licence_status() takes the name of a licence the item uses (`uses licence TYPE as NAME`)");
        return Fail(e);
      }
      return e->type = str;
    case Builtin::kAbs:
      if (!ArgCount(e, 1, 1)) return Fail(e);
      if (!got[0]->IsNumeric()) {
        diags_->Error(ErrorCode::kArgumentType, e->args[0]->span, "abs() takes a number, not " + TypeName(got[0]));
        return Fail(e);
      }
      return e->type = got[0];
  }
  return Fail(e);
}

const Type* Checker::CheckMinMax(Expr* e, const std::vector<const Type*>& got) {
  if (!ArgCount(e, 1, SIZE_MAX)) return Fail(e);
  const Type* t = nullptr;
  if (got.size() == 1) {
    if (got[0]->kind != TypeKind::kList) {
      diags_->Error(ErrorCode::kNotAList, e->args[0]->span,
                    e->name + "() takes a list or two or more values, not one " + TypeName(got[0]));
      return Fail(e);
    }
    t = got[0]->elem;
  } else {
    t = got[0];
    for (size_t i = 1; i < got.size() && t; ++i) t = Unify(t, got[i]);
    if (t == nullptr) {
      diags_->Error(ErrorCode::kArgumentType, e->span, e->name + "() needs arguments of one type");
      return Fail(e);
    }
  }
  if (!IsOrderable(t)) {
    diags_->Error(ErrorCode::kArgumentType, e->span,
                  e->name + "() compares numbers, strings, dates or durations, not " + TypeName(t));
    return Fail(e);
  }
  return e->type = t;
}

const Type* Checker::CheckDefCall(Expr* e, size_t index, const std::vector<const Type*>& got, bool any_error) {
  const DefDecl& d = *defs_[index];
  e->ref = {RefKind::kDef, static_cast<uint32_t>(index), nullptr};
  const Type* result = DefType(index);
  if (result == nullptr) {
    diags_->Error(ErrorCode::kRecursion, e->span, "def '" + d.name + "' calls itself; defs cannot recurse");
    return Fail(e);
  }
  if (!ArgCount(e, d.params.size(), d.params.size())) return Fail(e);
  bool ok = !any_error;
  for (size_t i = 0; i < got.size(); ++i) ok &= ArgIs(e, i, p_.def_params[index][i], got);
  if (!ok) return Fail(e);
  return e->type = result;
}

const Type* Checker::CheckDecisionCall(Expr* e, size_t index, const std::vector<const Type*>& got, bool any_error) {
  const DecisionDecl& d = *decisions_[index];
  e->ref = {RefKind::kDecision, static_cast<uint32_t>(index), nullptr};
  if (!ArgCount(e, d.params.size(), d.params.size())) return Fail(e);
  bool ok = !any_error;
  for (size_t i = 0; i < got.size(); ++i) ok &= ArgIs(e, i, p_.decision_params[index][i], got);
  if (!ok || Err(p_.decision_results[index])) return Fail(e);
  const Type* result = p_.decision_results[index];
  return e->type = d.hit == HitPolicy::kCollect ? types_.List(result) : result;
}

}  // namespace miaopi::dsl
