#include "dsl/ast.h"

namespace miaopi::dsl {

const char* OpText(Op op) {
  switch (op) {
    case Op::kNone: return "";
    case Op::kNeg: return "-";
    case Op::kNot: return "not";
    case Op::kAdd: return "+";
    case Op::kSub: return "-";
    case Op::kMul: return "*";
    case Op::kDiv: return "/";
    case Op::kMod: return "%";
    case Op::kEq: return "==";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kAnd: return "and";
    case Op::kOr: return "or";
    case Op::kIn: return "in";
    case Op::kNotIn: return "not in";
    case Op::kMatches: return "matches";
    case Op::kCoalesce: return "??";
    case Op::kImplies: return "implies";
    case Op::kAll: return "all";
    case Op::kAny: return "any";
    case Op::kCount: return "count";
    case Op::kSum: return "sum";
    case Op::kMin: return "min";
    case Op::kMax: return "max";
  }
  return "?";
}

const char* OutcomeText(Outcome o) {
  switch (o) {
    case Outcome::kApprove: return "approve";
    case Outcome::kReview: return "review";
    case Outcome::kReject: return "reject";
  }
  return "review";
}

const char* HitPolicyText(HitPolicy h) {
  switch (h) {
    case HitPolicy::kFirst: return "first";
    case HitPolicy::kUnique: return "unique";
    case HitPolicy::kAny: return "any";
    case HitPolicy::kCollect: return "collect";
  }
  return "first";
}

Expr* CloneExpr(Module& module, const Expr* e) {
  Expr* copy = module.NewExpr();
  copy->kind = e->kind;
  copy->op = e->op;
  copy->span = e->span;
  copy->name = e->name;
  copy->binder = e->binder;
  copy->binder_span = e->binder_span;
  copy->lit = e->lit;
  copy->depth = e->depth;
  for (const Expr* a : e->args) copy->args.push_back(CloneExpr(module, a));
  return copy;
}

const char* ModeText(Mode m) {
  switch (m) {
    case Mode::kOnline: return "online";
    case Mode::kOriginalCheck: return "original_check";
    case Mode::kInPerson: return "in_person";
  }
  return "online";
}

}  // namespace miaopi::dsl
