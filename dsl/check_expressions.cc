// Checking expressions: names, fields, indexing, calls of built-ins, defs
// and decision tables, operators, `in`, `matches`, `if` and quantifiers.
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>

#include "dsl/ast_dump.h"
#include "dsl/builtins.h"
#include "dsl/checker.h"
#include "dsl/decision_check.h"

namespace miaopi::dsl {

const Type* Checker::Value(Expr* e, Scope& s) {
  const Type* t = Check(e, s);
  if (t->kind == TypeKind::kTable || t->kind == TypeKind::kRow) {
    diags_->Error(
        ErrorCode::kNotAValue, e->span,
        t->kind == TypeKind::kTable
            ? "table '" + t->name + "' is not a value; use `x in " + t->name + "` or `" + t->name + "[key].column`"
            : "a table row is not a value; read a column: " + std::string(SourceText(e)) + ".column");
    return Fail(e);
  }
  return t;
}

const Type* Checker::Unify(const Type* a, const Type* b) {
  if (Err(a)) return b;
  if (Err(b)) return a;
  if (SameType(a, b)) return a;
  if (a->IsNumeric() && b->IsNumeric()) return types_.Number();
  if (a->kind == TypeKind::kList && b->kind == TypeKind::kList) {
    if (const Type* elem = Unify(a->elem, b->elem)) return types_.List(elem);
  }
  return nullptr;
}

bool Checker::Assignable(const Type* from, const Type* to) {
  if (Err(from) || Err(to) || SameType(from, to)) return true;
  if (from->kind == TypeKind::kInt && to->kind == TypeKind::kNumber) return true;
  if (from->kind == TypeKind::kList && to->kind == TypeKind::kList) return Assignable(from->elem, to->elem);
  return false;
}

const Type* Checker::Check(Expr* e, Scope& s) {
  if (check_depth_ >= kMaxInlinedHeight) {
    if (!too_deep_reported_) {
      diags_->Error(ErrorCode::kTooDeep, e->span,
                    "lets, defs and outputs that use each other nest more than " + std::to_string(kMaxInlinedHeight) +
                        " operations deep here; shorten the chain");
      too_deep_reported_ = true;
    }
    return Fail(e);
  }
  ++check_depth_;
  const Type* t = CheckKind(e, s);
  --check_depth_;
  return t;
}

const Type* Checker::CheckKind(Expr* e, Scope& s) {
  switch (e->kind) {
    case ExprKind::kLiteral: return e->type = LiteralType(e->lit);
    case ExprKind::kToday: return e->type = types_.Date();
    case ExprKind::kList: return CheckList(e, s);
    case ExprKind::kName: return CheckName(e, s);
    case ExprKind::kField: return CheckField(e, s);
    case ExprKind::kIndex: return CheckIndex(e, s);
    case ExprKind::kCall: return CheckCall(e, s);
    case ExprKind::kUnary: return CheckUnary(e, s);
    case ExprKind::kBinary: return CheckBinary(e, s);
    case ExprKind::kIf: return CheckIf(e, s);
    case ExprKind::kQuantifier:
    case ExprKind::kAggregate: return CheckBinding(e, s);
  }
  return Fail(e);
}

const Type* Checker::LiteralType(const Literal& lit) {
  switch (lit.kind) {
    case LiteralKind::kBool: return types_.Bool();
    case LiteralKind::kInt: return types_.Int();
    case LiteralKind::kNumber: return types_.Number();
    case LiteralKind::kString: return types_.String();
    case LiteralKind::kDate: return types_.Date();
    case LiteralKind::kDuration: return types_.Duration();
  }
  return types_.Error();
}

const Type* Checker::CheckList(Expr* e, Scope& s) {
  const Type* elem = types_.Error();
  bool failed = false;
  for (Expr* a : e->args) {
    const Type* t = Value(a, s);
    const Type* u = Unify(elem, t);
    if (u == nullptr) {
      diags_->Error(ErrorCode::kTypeMismatch, a->span,
                    "list elements have one type; this is " + TypeName(t) + ", the others " + TypeName(elem));
      failed = true;
      continue;
    }
    elem = u;
  }
  return failed ? Fail(e) : e->type = types_.List(elem);
}

const Type* Checker::CheckName(Expr* e, Scope& s) {
  if (const Type* t = PropertyName(e, s)) return t;
  for (auto it = s.binders.rbegin(); it != s.binders.rend(); ++it) {
    if ((*it)->binder == e->name) {
      e->ref = {RefKind::kBinder, 0, *it};
      return e->type = (*it)->args[0]->type->kind == TypeKind::kList ? (*it)->args[0]->type->elem : types_.Error();
    }
  }
  if (s.def != nullptr) {
    for (size_t i = 0; i < s.def->params.size(); ++i) {
      if (s.def->params[i].name == e->name) {
        e->ref = {RefKind::kParam, static_cast<uint32_t>(i), nullptr};
        return e->type = p_.def_params[s.def_index][i];
      }
    }
  }
  if (s.decision != nullptr) {
    for (size_t i = 0; i < s.decision->params.size(); ++i) {
      if (s.decision->params[i].name == e->name) {
        e->ref = {RefKind::kParam, static_cast<uint32_t>(i), nullptr};
        return e->type = p_.decision_params[s.decision_index][i];
      }
    }
  }
  if (s.item != nullptr) {
    auto use = licence_index_.find(e->name);
    if (use != licence_index_.end()) {
      uint32_t type = s.item->decl->licences[use->second].licence;
      if (type == UINT32_MAX) return Fail(e);  // the licence type is unknown: reported already
      e->ref = {RefKind::kLicence, static_cast<uint32_t>(use->second), nullptr};
      return e->type = p_.licence_types[type].record;
    }
    auto output = output_index_.find(e->name);
    if (output != output_index_.end()) {
      const Type* t = OutputType(output->second);
      if (t == nullptr) {
        diags_->Error(ErrorCode::kRecursion, e->span, "output '" + e->name + "' depends on itself");
        return Fail(e);
      }
      e->ref = {RefKind::kOutput, static_cast<uint32_t>(output->second), nullptr};
      return e->type = t;
    }
    if (e->name == "subject" || e->name == "context") {
      e->ref = {e->name == "subject" ? RefKind::kSubject : RefKind::kContext, 0, nullptr};
      return e->type = e->name == "subject" ? p_.subject_type : p_.context_type;
    }
    auto let = let_index_.find(e->name);
    if (let != let_index_.end()) {
      let_used_[let->second] = true;
      const Type* t = LetType(let->second);
      if (t == nullptr) {
        diags_->Error(ErrorCode::kRecursion, e->span, "let '" + e->name + "' depends on itself");
        return Fail(e);
      }
      e->ref = {RefKind::kLet, static_cast<uint32_t>(let->second), nullptr};
      return e->type = t;
    }
    int field = s.item->input->FieldIndex(e->name);
    if (field >= 0) {
      e->ref = {RefKind::kInput, static_cast<uint32_t>(field), nullptr};
      return e->type = s.item->input->fields[field].type;
    }
  }
  int table = p_.FindTable(e->name);
  if (table >= 0) {
    e->ref = {RefKind::kTable, static_cast<uint32_t>(table), nullptr};
    return e->type = types_.Table(table, e->name);
  }
  std::vector<std::string> names;
  for (const Expr* b : s.binders) names.push_back(b->binder);
  if (s.def) {
    for (const ParamDecl& param : s.def->params) names.push_back(param.name);
  }
  if (s.decision) {
    for (const ParamDecl& param : s.decision->params) names.push_back(param.name);
  }
  if (s.item) {
    for (const LetDecl& let : s.item->decl->lets) names.push_back(let.name);
    for (const RecordField& f : s.item->input->fields) names.push_back(f.name);
    for (const LicenceUseDecl& use : s.item->decl->licences) names.push_back(use.name);
    names.push_back("subject");
    names.push_back("context");
  }
  for (const TableData& t : p_.tables) names.push_back(t.name);
  std::string where = s.def ? "def '" + s.def->name + "' (a def sees its parameters and the tables)"
                      : s.decision
                          ? "decision '" + s.decision->name + "' (an output sees the parameters and the tables)"
                      : s.item ? "item '" + s.item->decl->code + "'"
                               : "this scope";
  diags_->Error(ErrorCode::kUnknownName, e->span,
                "unknown name '" + e->name + "' in " + where + DidYouMean(e->name, names));
  return Fail(e);
}

const Type* Checker::CheckField(Expr* e, Scope& s) {
  Expr* base = e->args[0];
  const Type* t = Check(base, s);
  if (Err(t)) return Fail(e);
  if (t->kind == TypeKind::kRow) {
    const TableData& table = p_.tables[t->table];
    int column = table.ColumnIndex(e->name);
    if (column < 0) {
      if (table.columns.empty()) return Fail(e);  // the table failed to load; already reported
      diags_->Error(ErrorCode::kUnknownColumn, e->span,
                    "table '" + table.name + "' has no column '" + e->name + "'" + DidYouMean(e->name, table.columns));
      return Fail(e);
    }
    e->ref = {RefKind::kColumn, static_cast<uint32_t>(column), nullptr};
    return e->type = table.types[column];
  }
  if (t->kind != TypeKind::kRecord) {
    diags_->Error(
        ErrorCode::kNotARecord, e->span,
        std::string(SourceText(base)) + " is " + TypeName(t) + ", not a record, so it has no field '" + e->name + "'");
    return Fail(e);
  }
  int field = t->FieldIndex(e->name);
  if (field < 0) {
    std::vector<std::string> names;
    for (const RecordField& f : t->fields) names.push_back(f.name);
    diags_->Error(ErrorCode::kUnknownField, e->span,
                  std::string(SourceText(base)) + " has no field '" + e->name + "'" + DidYouMean(e->name, names));
    return Fail(e);
  }
  e->ref = {RefKind::kField, static_cast<uint32_t>(field), nullptr};
  return e->type = t->fields[field].type;
}

bool Checker::TableKeyFits(const Type* table_type, const Expr* key_expr, const Type* key) {
  const TableData& table = p_.tables[table_type->table];
  if (table.columns.empty()) return false;  // the table's own error was reported
  const Type* key_type = table.types[table.key];
  if (Assignable(key, key_type)) return true;
  diags_->Error(ErrorCode::kBadKeyType, key_expr->span,
                "table '" + table.name + "' is keyed by " + TypeName(key_type) + " (column '" +
                    table.columns[table.key] + "'); this key is " + TypeName(key));
  return false;
}

const Type* Checker::CheckIndex(Expr* e, Scope& s) {
  const Type* t = Check(e->args[0], s);
  const Type* key = Value(e->args[1], s);
  if (Err(t) || Err(key)) return Fail(e);
  if (t->kind == TypeKind::kTable) {
    if (!TableKeyFits(t, e->args[1], key)) return Fail(e);
    const TableData& table = p_.tables[t->table];
    e->ref = {RefKind::kTableRow, t->table, nullptr};
    return e->type = types_.Row(t->table, table.name);
  }
  if (t->kind == TypeKind::kList) {
    if (key->kind != TypeKind::kInt) {
      diags_->Error(ErrorCode::kTypeMismatch, e->args[1]->span, "a list index is an int; this is " + TypeName(key));
      return Fail(e);
    }
    e->ref = {RefKind::kListIndex, 0, nullptr};
    return e->type = t->elem;
  }
  diags_->Error(ErrorCode::kNotIndexable, e->span,
                std::string(SourceText(e->args[0])) + " is " + TypeName(t) + "; only lists and tables take [ ]");
  return Fail(e);
}

const Type* Checker::CheckUnary(Expr* e, Scope& s) {
  const Type* t = Value(e->args[0], s);
  if (Err(t)) return Fail(e);
  if (e->op == Op::kNot) {
    if (t->kind != TypeKind::kBool) {
      diags_->Error(ErrorCode::kNotBool, e->args[0]->span, "`not` needs a bool; this is " + TypeName(t));
      return Fail(e);
    }
    return e->type = t;
  }
  if (!t->IsNumeric() && t->kind != TypeKind::kDuration) {
    diags_->Error(ErrorCode::kTypeMismatch, e->span, "`-` needs a number or a duration; this is " + TypeName(t));
    return Fail(e);
  }
  return e->type = t;
}

const Type* Checker::Mismatch(Expr* e, const Type* a, const Type* b, const std::string& hint) {
  diags_->Error(ErrorCode::kTypeMismatch, e->span,
                std::string("`") + OpText(e->op) + "` cannot combine " + TypeName(a) + " and " + TypeName(b) + hint);
  return Fail(e);
}

const Type* Checker::CheckBinary(Expr* e, Scope& s) {
  Expr *lhs = e->args[0], *rhs = e->args[1];
  switch (e->op) {
    case Op::kIn:
    case Op::kNotIn: return CheckIn(e, s);
    case Op::kMatches: return CheckMatches(e, s);
    default: break;
  }
  const Type* a = Value(lhs, s);
  const Type* b = Value(rhs, s);
  if (Err(a) || Err(b)) return Fail(e);
  switch (e->op) {
    case Op::kImplies:
      if (!s.property) {
        diags_->Error(ErrorCode::kPropertyOnly, e->span, "`implies` is for properties; in a rule write `not a or b`");
        return Fail(e);
      }
      [[fallthrough]];
    case Op::kAnd:
    case Op::kOr:
      for (Expr* side : {lhs, rhs}) {
        if (side->type->kind != TypeKind::kBool) {
          diags_->Error(ErrorCode::kNotBool, side->span,
                        std::string("`") + OpText(e->op) + "` needs bool operands; this is " + TypeName(side->type));
          return Fail(e);
        }
      }
      return e->type = types_.Bool();
    case Op::kEq:
    case Op::kNe: {
      const Type* u = Unify(a, b);
      if (u == nullptr) return Mismatch(e, a, b);
      if (!u->IsScalar() && u->kind != TypeKind::kVerdict && u->kind != TypeKind::kRuleStatus) {
        diags_->Error(ErrorCode::kTypeMismatch, e->span,
                      std::string("`") + OpText(e->op) + "` compares single values; these are " + TypeName(a, true));
        return Fail(e);
      }
      return e->type = types_.Bool();
    }
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      const Type* u = Unify(a, b);
      if (u == nullptr || !IsOrderable(u)) return Mismatch(e, a, b);
      return e->type = types_.Bool();
    }
    case Op::kCoalesce: {
      const Type* u = Unify(a, b);
      if (u == nullptr) return Mismatch(e, a, b);
      return e->type = u;
    }
    case Op::kAdd:
    case Op::kSub: {
      if (a->IsNumeric() && b->IsNumeric()) return e->type = Unify(a, b);
      if (a->kind == TypeKind::kDate && b->kind == TypeKind::kDuration) return e->type = a;
      if (e->op == Op::kAdd && a->kind == TypeKind::kDuration && b->kind == TypeKind::kDate) return e->type = b;
      if (a->kind == TypeKind::kDuration && b->kind == TypeKind::kDuration) return e->type = a;
      if (e->op == Op::kAdd && a->kind == TypeKind::kString && b->kind == TypeKind::kString) return e->type = a;
      if (a->kind == TypeKind::kDate && b->kind == TypeKind::kDate) {
        return Mismatch(e, a, b, "; use days_between(a, b)");
      }
      return Mismatch(e, a, b);
    }
    case Op::kMul:
      if (a->IsNumeric() && b->IsNumeric()) return e->type = Unify(a, b);
      return Mismatch(e, a, b);
    case Op::kDiv:
      if (a->IsNumeric() && b->IsNumeric()) return e->type = types_.Number();
      return Mismatch(e, a, b);
    case Op::kMod:
      if (a->kind == TypeKind::kInt && b->kind == TypeKind::kInt) return e->type = a;
      return Mismatch(e, a, b, "; % works on ints");
    default: return Fail(e);
  }
}

const Type* Checker::CheckIn(Expr* e, Scope& s) {
  const Type* a = Value(e->args[0], s);
  const Type* b = Check(e->args[1], s);
  if (Err(a) || Err(b)) return Fail(e);
  if (b->kind == TypeKind::kTable) {
    if (!TableKeyFits(b, e->args[0], a)) return Fail(e);
    return e->type = types_.Bool();
  }
  if (b->kind != TypeKind::kList) {
    diags_->Error(ErrorCode::kNotAList, e->args[1]->span,
                  std::string("`") + OpText(e->op) + "` needs a list or a table on the right; this is " + TypeName(b));
    return Fail(e);
  }
  const Type* u = Unify(a, b->elem);
  if (u == nullptr || !u->IsScalar()) return Mismatch(e, a, b);
  return e->type = types_.Bool();
}

const Type* Checker::CheckMatches(Expr* e, Scope& s) {
  const Type* a = Value(e->args[0], s);
  Expr* pattern = e->args[1];
  if (pattern->kind != ExprKind::kLiteral || pattern->lit.kind != LiteralKind::kString) {
    Check(pattern, s);
    diags_->Error(ErrorCode::kRegexNotLiteral, pattern->span,
                  "the pattern after `matches` is a string literal, so it is compiled once");
    return Fail(e);
  }
  pattern->type = types_.String();
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern->lit.s, options);
  if (!re.ok()) {
    diags_->Error(ErrorCode::kBadRegex, pattern->span, "bad regular expression: " + re.error());
    return Fail(e);
  }
  if (Err(a)) return Fail(e);
  if (a->kind != TypeKind::kString) {
    diags_->Error(ErrorCode::kTypeMismatch, e->args[0]->span, "`matches` tests a string; this is " + TypeName(a));
    return Fail(e);
  }
  return e->type = types_.Bool();
}

const Type* Checker::CheckIf(Expr* e, Scope& s) {
  const Type* c = Value(e->args[0], s);
  const Type* a = Value(e->args[1], s);
  const Type* b = Value(e->args[2], s);
  if (!Err(c) && c->kind != TypeKind::kBool) {
    diags_->Error(ErrorCode::kNotBool, e->args[0]->span, "`if` needs a bool condition; this is " + TypeName(c));
    return Fail(e);
  }
  if (Err(c) || Err(a) || Err(b)) return Fail(e);
  const Type* u = Unify(a, b);
  if (u == nullptr) {
    diags_->Error(ErrorCode::kTypeMismatch, e->span,
                  "the branches of `if` have one type; here " + TypeName(a) + " and " + TypeName(b));
    return Fail(e);
  }
  return e->type = u;
}

const Type* Checker::CheckBinding(Expr* e, Scope& s) {
  const Type* list = Value(e->args[0], s);
  if (!Err(list) && list->kind != TypeKind::kList) {
    diags_->Error(ErrorCode::kNotAList, e->args[0]->span,
                  std::string(OpText(e->op)) + " goes over a list; this is " + TypeName(list));
    list = types_.Error();
    e->args[0]->type = list;
  }
  s.binders.push_back(e);
  const Type* body = Value(e->args[1], s);
  s.binders.pop_back();
  if (Err(list) || Err(body)) return Fail(e);
  switch (e->op) {
    case Op::kAll:
    case Op::kAny:
    case Op::kCount:
      if (body->kind != TypeKind::kBool) {
        diags_->Error(ErrorCode::kNotBool, e->args[1]->span,
                      std::string("the condition of ") + OpText(e->op) + " is bool; this is " + TypeName(body));
        return Fail(e);
      }
      return e->type = e->op == Op::kCount ? types_.Int() : types_.Bool();
    case Op::kSum:
      if (!body->IsNumeric()) {
        diags_->Error(ErrorCode::kTypeMismatch, e->args[1]->span, "sum adds numbers; this is " + TypeName(body));
        return Fail(e);
      }
      return e->type = body;
    case Op::kMin:
    case Op::kMax:
      if (!IsOrderable(body)) {
        diags_->Error(
            ErrorCode::kTypeMismatch, e->args[1]->span,
            std::string(OpText(e->op)) + " compares numbers, strings, dates or durations; this is " + TypeName(body));
        return Fail(e);
      }
      return e->type = body;
    default:
      diags_->Error(ErrorCode::kBadAggregate, e->span, "only count, sum, min and max take `x in L: E`");
      return Fail(e);
  }
}

}  // namespace miaopi::dsl
