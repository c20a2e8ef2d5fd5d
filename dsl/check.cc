#include "dsl/check.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>

#include "dsl/ast_dump.h"
#include "dsl/builtins.h"

namespace miaopi::dsl {

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// "; did you mean 'x'?" for the closest candidate, or "".
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

bool IsOrderable(const Type* t) {
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

  void Run(const LoadOptions& options) {
    CollectPack();
    CollectNames();
    for (size_t i = 0; i < defs_.size(); ++i) DefType(i);
    CollectItems();
    for (size_t i = 0; i < p_.items.size(); ++i) CheckItem(i);
    CheckVersions();
    size_t rules = 0;
    for (const ItemVersion& item : p_.items) rules += item.decl->rules.size();
    if (rules > options.max_rules) {
      diags_->Global(ErrorCode::kTooManyRules, "the pack has " + std::to_string(rules) +
                                                  " rules; the limit is " + std::to_string(options.max_rules));
    }
  }

  bool CheckStandalone(size_t item, Expr* e) {
    // The pack was checked before: redo its declarations quietly.
    Diagnostics* real = diags_;
    Diagnostics quiet;
    diags_ = &quiet;
    CollectNames();
    for (size_t i = 0; i < defs_.size(); ++i) DefType(i);
    EnterItem(item);
    for (size_t i = 0; i < p_.items[item].decl->lets.size(); ++i) LetType(i);
    diags_ = real;
    size_t errors = diags_->error_count();
    Scope scope;
    scope.item = &p_.items[item];
    const Type* t = Value(e, scope);
    return diags_->error_count() == errors && t->kind != TypeKind::kError;
  }

 private:
  struct Scope {
    const ItemVersion* item = nullptr;  // input fields and lets
    const DefDecl* def = nullptr;       // parameters
    size_t def_index = 0;
    std::vector<const Expr*> binders;   // enclosing quantifiers, innermost last
  };

  enum class Visit : uint8_t { kNew, kActive, kDone };

  // ---------------------------------------------------------------- pack level

  void CollectPack() {
    const PackDecl* first = nullptr;
    for (const auto& m : p_.modules) {
      for (const PackDecl& pack : m->packs) {
        if (first == nullptr) {
          first = &pack;
          p_.pack_name = pack.name;
          p_.pack_version = pack.version;
          continue;
        }
        diags_->Error(ErrorCode::kDuplicatePack, pack.span, "a pack has one `pack` declaration");
        diags_->Note(first->span, "the first one is here");
      }
    }
    if (first == nullptr) {
      diags_->Global(ErrorCode::kNoPack, "no file of the pack declares `pack \"NAME\" version \"VERSION\"`");
    }
  }

  void CollectNames() {
    if (names_collected_) return;
    names_collected_ = true;
    std::map<std::string, Span> seen;
    auto claim = [&](const std::string& name, Span span, const char* what) {
      auto [it, inserted] = seen.emplace(name, span);
      if (inserted) return true;
      diags_->Error(ErrorCode::kDuplicateName, span, std::string(what) + " '" + name + "' is already defined");
      diags_->Note(it->second, "previous definition");
      return false;
    };
    for (const TableData& t : p_.tables) seen.emplace(t.name, Span{});
    for (const auto& m : p_.modules) {
      for (const SchemaDecl& s : m->schemas) {
        if (claim(s.name, s.name_span, "schema")) schemas_[s.name] = {&s, Visit::kNew, nullptr};
      }
      for (const DefDecl& d : m->defs) {
        if (FindBuiltin(d.name)) {
          diags_->Error(ErrorCode::kDuplicateName, d.name_span,
                       "def '" + d.name + "' has the name of a built-in function");
          continue;
        }
        if (!claim(d.name, d.name_span, "def")) continue;
        def_index_[d.name] = defs_.size();
        defs_.push_back(&d);
      }
    }
    p_.defs = defs_;
    p_.def_params.assign(defs_.size(), {});
    def_types_.assign(defs_.size(), nullptr);
    def_visit_.assign(defs_.size(), Visit::kNew);
  }

  // ---------------------------------------------------------------- types

  const Type* ResolveType(const TypeExpr* t) {
    if (t == nullptr) return types_.Error();
    switch (t->kind) {
      case TypeExpr::Kind::kList: return types_.List(ResolveType(t->elem));
      case TypeExpr::Kind::kRecord: return RecordType(t, "");
      case TypeExpr::Kind::kNamed: {
        if (const Type* scalar = ScalarByName(types_, t->name)) return scalar;
        auto it = schemas_.find(t->name);
        if (it == schemas_.end()) {
          std::vector<std::string> names = {"bool", "int", "number", "string", "date", "duration"};
          for (const auto& [name, s] : schemas_) names.push_back(name);
          diags_->Error(ErrorCode::kUnknownSchema, t->span,
                       "unknown type '" + t->name + "'" + DidYouMean(t->name, names));
          return types_.Error();
        }
        return SchemaType(it->second, t->span);
      }
    }
    return types_.Error();
  }

  struct SchemaEntry {
    const SchemaDecl* decl;
    Visit visit;
    const Type* type;
  };

  const Type* SchemaType(SchemaEntry& s, Span use) {
    if (s.visit == Visit::kDone) return s.type;
    if (s.visit == Visit::kActive) {
      diags_->Error(ErrorCode::kRecursion, use, "schema '" + s.decl->name + "' contains itself");
      return types_.Error();
    }
    s.visit = Visit::kActive;
    const Type* t = RecordType(s.decl->type, s.decl->name);
    s.visit = Visit::kDone;
    return s.type = t;
  }

  const Type* RecordType(const TypeExpr* t, const std::string& name) {
    if (t->kind != TypeExpr::Kind::kRecord) return ResolveType(t);
    Type* record = types_.NewRecord(name);
    std::map<std::string, Span> seen;
    for (const FieldDecl& f : t->fields) {
      auto [it, inserted] = seen.emplace(f.name, f.span);
      if (!inserted) {
        diags_->Error(ErrorCode::kDuplicateField, f.span, "field '" + f.name + "' is declared twice");
        diags_->Note(it->second, "first declaration");
        continue;
      }
      record->fields.push_back({f.name, ResolveType(f.type), f.optional, f.span});
    }
    return record;
  }

  // ---------------------------------------------------------------- defs

  const Type* DefType(size_t index) {
    if (def_visit_[index] == Visit::kDone) return def_types_[index];
    const DefDecl& d = *defs_[index];
    if (def_visit_[index] == Visit::kActive) return nullptr;  // the caller reports the cycle
    def_visit_[index] = Visit::kActive;
    std::set<std::string> params;
    for (const ParamDecl& param : d.params) {
      if (!params.insert(param.name).second) {
        diags_->Error(ErrorCode::kDuplicateName, param.span, "parameter '" + param.name + "' appears twice");
      }
      p_.def_params[index].push_back(ResolveType(param.type));
    }
    Scope scope;
    scope.def = &d;
    scope.def_index = index;
    const Type* t = d.body ? Value(d.body, scope) : types_.Error();
    def_visit_[index] = Visit::kDone;
    return def_types_[index] = t;
  }

  // ---------------------------------------------------------------- items

  void CollectItems() {
    for (const auto& m : p_.modules) {
      for (const ItemDecl& item : m->items) {
        ItemVersion v;
        v.decl = &item;
        if (!item.effective) {
          diags_->Error(ErrorCode::kMissingEffective, item.code_span,
                       "item '" + item.code + "' needs `effective @YYYY-MM-DD`");
        }
        v.effective = item.effective.value_or(0);
        v.until = item.until;
        if (item.effective && item.until && *item.until < *item.effective) {
          diags_->Error(ErrorCode::kBadDateRange, item.until_span, "`until` is before `effective`");
        }
        if (item.input == nullptr) {
          diags_->Error(ErrorCode::kMissingInput, item.code_span,
                       "item '" + item.code + "' needs `input { … }` or `input SCHEMA`");
          v.input = types_.NewRecord("");
        } else {
          v.input = ResolveType(item.input);
          if (v.input->kind != TypeKind::kRecord) {
            if (v.input->kind != TypeKind::kError) {
              diags_->Error(ErrorCode::kNotARecord, item.input->span, "an item's input is a record type");
            }
            v.input = types_.NewRecord("");
          }
        }
        p_.items.push_back(v);
      }
    }
  }

  void EnterItem(size_t index) {
    const ItemVersion& item = p_.items[index];
    current_item_ = &item;
    let_types_.assign(item.decl->lets.size(), nullptr);
    let_visit_.assign(item.decl->lets.size(), Visit::kNew);
    let_used_.assign(item.decl->lets.size(), false);
    let_index_.clear();
    for (size_t i = 0; i < item.decl->lets.size(); ++i) let_index_.emplace(item.decl->lets[i].name, i);
  }

  void CheckItem(size_t index) {
    EnterItem(index);
    const ItemVersion& item = p_.items[index];
    const ItemDecl& decl = *item.decl;
    std::map<std::string, Span> lets;
    for (const LetDecl& let : decl.lets) {
      auto [it, inserted] = lets.emplace(let.name, let.name_span);
      if (!inserted) {
        diags_->Error(ErrorCode::kDuplicateName, let.name_span, "let '" + let.name + "' is already defined");
        diags_->Note(it->second, "previous definition");
      } else if (item.input->FieldIndex(let.name) >= 0) {
        diags_->Error(ErrorCode::kDuplicateName, let.name_span,
                     "let '" + let.name + "' has the name of an input field");
      } else if (p_.FindTable(let.name) >= 0) {
        diags_->Error(ErrorCode::kDuplicateName, let.name_span, "let '" + let.name + "' has the name of a table");
      }
    }
    for (size_t i = 0; i < decl.lets.size(); ++i) LetType(i);
    std::map<std::string, Span> codes;
    for (const RuleDecl& rule : decl.rules) {
      auto [it, inserted] = codes.emplace(rule.code, rule.code_span);
      if (!inserted) {
        diags_->Error(ErrorCode::kDuplicateRule, rule.code_span,
                     "item '" + decl.code + "' already has a rule " + rule.code);
        diags_->Note(it->second, "the first rule " + rule.code);
      }
      Scope scope;
      scope.item = &item;
      const Type* t = Value(rule.cond, scope);
      if (t->kind != TypeKind::kBool && t->kind != TypeKind::kError) {
        diags_->Error(ErrorCode::kNotBool, rule.cond->span,
                     "`require` needs a bool condition; this is " + TypeName(t));
      }
    }
    for (size_t i = 0; i < decl.lets.size(); ++i) {
      if (!let_used_[i]) {
        diags_->Warning(ErrorCode::kUnusedLet, decl.lets[i].name_span, "let '" + decl.lets[i].name + "' is never used");
      }
    }
    if (decl.rules.empty()) {
      diags_->Warning(ErrorCode::kItemWithoutRules, decl.code_span,
                     "item '" + decl.code + "' has no rules, so it approves every application");
    }
    current_item_ = nullptr;
  }

  const Type* LetType(size_t index) {
    if (let_visit_[index] == Visit::kDone) return let_types_[index];
    if (let_visit_[index] == Visit::kActive) return nullptr;
    let_visit_[index] = Visit::kActive;
    Scope scope;
    scope.item = current_item_;
    const Type* t = Value(current_item_->decl->lets[index].value, scope);
    let_visit_[index] = Visit::kDone;
    return let_types_[index] = t;
  }

  void CheckVersions() {
    std::map<std::string, std::vector<const ItemVersion*>> by_code;
    for (const ItemVersion& v : p_.items) {
      if (v.decl->effective) by_code[v.decl->code].push_back(&v);
    }
    for (auto& [code, versions] : by_code) {
      std::sort(versions.begin(), versions.end(),
                [](const ItemVersion* a, const ItemVersion* b) { return a->effective < b->effective; });
      for (size_t i = 1; i < versions.size(); ++i) {
        const ItemVersion* prev = versions[i - 1];
        const ItemVersion* cur = versions[i];
        if (!prev->until || *prev->until >= cur->effective) {
          diags_->Error(ErrorCode::kOverlappingVersions, cur->decl->code_span,
                       "item '" + code + "' has another version in force on " + FormatIsoDate(cur->effective) +
                           (prev->until ? "" : " (that version has no `until`)"));
          diags_->Note(prev->decl->code_span, "the other version");
        }
      }
    }
  }

  // ---------------------------------------------------------------- expressions

  const Type* Fail(Expr* e) { return e->type = types_.Error(); }

  std::string_view SourceText(const Expr* e) const { return p_.sources.file(e->span.file).Slice(e->span); }

  // Checks `e` and requires a value (not a table or a bare row).
  const Type* Value(Expr* e, Scope& s) {
    const Type* t = Check(e, s);
    if (t->kind == TypeKind::kTable || t->kind == TypeKind::kRow) {
      diags_->Error(ErrorCode::kNotAValue, e->span,
                   t->kind == TypeKind::kTable
                       ? "table '" + t->name + "' is not a value; use `x in " + t->name + "` or `" + t->name + "[key].column`"
                       : "a table row is not a value; read a column: " + std::string(SourceText(e)) + ".column");
      return Fail(e);
    }
    return t;
  }

  bool Err(const Type* t) { return t->kind == TypeKind::kError; }

  // The common type of two values: equal types, or int and number → number.
  const Type* Unify(const Type* a, const Type* b) {
    if (Err(a)) return b;
    if (Err(b)) return a;
    if (SameType(a, b)) return a;
    if (a->IsNumeric() && b->IsNumeric()) return types_.Number();
    if (a->kind == TypeKind::kList && b->kind == TypeKind::kList) {
      if (const Type* elem = Unify(a->elem, b->elem)) return types_.List(elem);
    }
    return nullptr;
  }

  // Can a value of type `from` be passed where `to` is expected?
  bool Assignable(const Type* from, const Type* to) {
    if (Err(from) || Err(to) || SameType(from, to)) return true;
    if (from->kind == TypeKind::kInt && to->kind == TypeKind::kNumber) return true;
    if (from->kind == TypeKind::kList && to->kind == TypeKind::kList) return Assignable(from->elem, to->elem);
    return false;
  }

  const Type* Check(Expr* e, Scope& s) {
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

  const Type* LiteralType(const Literal& lit) {
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

  const Type* CheckList(Expr* e, Scope& s) {
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

  const Type* CheckName(Expr* e, Scope& s) {
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
    if (s.item != nullptr) {
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
    if (s.item) {
      for (const LetDecl& let : s.item->decl->lets) names.push_back(let.name);
      for (const RecordField& f : s.item->input->fields) names.push_back(f.name);
    }
    for (const TableData& t : p_.tables) names.push_back(t.name);
    std::string where = s.def ? "def '" + s.def->name + "' (a def sees its parameters and the tables)"
                              : s.item ? "item '" + s.item->decl->code + "'" : "this scope";
    diags_->Error(ErrorCode::kUnknownName, e->span,
                 "unknown name '" + e->name + "' in " + where + DidYouMean(e->name, names));
    return Fail(e);
  }

  const Type* CheckField(Expr* e, Scope& s) {
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
      diags_->Error(ErrorCode::kNotARecord, e->span,
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

  const Type* CheckIndex(Expr* e, Scope& s) {
    const Type* t = Check(e->args[0], s);
    const Type* key = Value(e->args[1], s);
    if (Err(t) || Err(key)) return Fail(e);
    if (t->kind == TypeKind::kTable) {
      const TableData& table = p_.tables[t->table];
      if (table.columns.empty()) return Fail(e);
      const Type* key_type = table.types[table.key];
      if (!Assignable(key, key_type)) {
        diags_->Error(ErrorCode::kBadKeyType, e->args[1]->span,
                     "table '" + table.name + "' is keyed by " + TypeName(key_type) + " (column '" +
                         table.columns[table.key] + "'); this key is " + TypeName(key));
        return Fail(e);
      }
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

  bool ArgCount(Expr* e, size_t min, size_t max) {
    size_t n = e->args.size();
    if (n >= min && n <= max) return true;
    std::string want = min == max ? std::to_string(min) : max == SIZE_MAX ? std::to_string(min) + " or more"
                                                                           : std::to_string(min) + " to " + std::to_string(max);
    diags_->Error(ErrorCode::kArgumentCount, e->span,
                 e->name + "() takes " + want + " argument" + (min == 1 && max == 1 ? "" : "s") + ", not " +
                     std::to_string(n));
    return false;
  }

  bool ArgIs(Expr* e, size_t i, const Type* t, const std::vector<const Type*>& got) {
    if (Assignable(got[i], t)) return true;
    diags_->Error(ErrorCode::kArgumentType, e->args[i]->span,
                 "argument " + std::to_string(i + 1) + " of " + e->name + "() is " + TypeName(t) + ", not " +
                     TypeName(got[i]));
    return false;
  }

  const Type* CheckCall(Expr* e, Scope& s) {
    std::vector<const Type*> got;
    bool any_error = false;
    for (Expr* a : e->args) {
      got.push_back(Value(a, s));
      any_error |= Err(got.back());
    }
    auto def = def_index_.find(e->name);
    if (def != def_index_.end()) return CheckDefCall(e, def->second, got, any_error);
    std::optional<Builtin> b = FindBuiltin(e->name);
    if (!b) {
      std::vector<std::string> names;
      for (const DefDecl* d : defs_) names.push_back(d->name);
#define MIAOPI_BUILTIN_NAME(id, name, doc) names.push_back(name);
      MIAOPI_BUILTINS(MIAOPI_BUILTIN_NAME)
#undef MIAOPI_BUILTIN_NAME
      diags_->Error(ErrorCode::kUnknownFunction, e->span, "unknown function '" + e->name + "'" + DidYouMean(e->name, names));
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
          diags_->Error(ErrorCode::kArgumentType, e->args[0]->span, "len() takes a string or a list, not " + TypeName(got[0]));
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
        if (!ArgCount(e, 1, 1)) return Fail(e);
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

  const Type* CheckMinMax(Expr* e, const std::vector<const Type*>& got) {
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
      diags_->Error(ErrorCode::kArgumentType, e->span, e->name + "() compares numbers, strings, dates or durations, not " + TypeName(t));
      return Fail(e);
    }
    return e->type = t;
  }

  const Type* CheckDefCall(Expr* e, size_t index, const std::vector<const Type*>& got, bool any_error) {
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

  const Type* CheckUnary(Expr* e, Scope& s) {
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

  const Type* Mismatch(Expr* e, const Type* a, const Type* b, const std::string& hint = "") {
    diags_->Error(ErrorCode::kTypeMismatch, e->span,
                 std::string("`") + OpText(e->op) + "` cannot combine " + TypeName(a) + " and " + TypeName(b) + hint);
    return Fail(e);
  }

  const Type* CheckBinary(Expr* e, Scope& s) {
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
        if (!u->IsScalar()) {
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

  const Type* CheckIn(Expr* e, Scope& s) {
    const Type* a = Value(e->args[0], s);
    const Type* b = Check(e->args[1], s);
    if (Err(a) || Err(b)) return Fail(e);
    if (b->kind == TypeKind::kTable) {
      const TableData& table = p_.tables[b->table];
      if (table.columns.empty()) return Fail(e);
      const Type* key = table.types[table.key];
      if (!Assignable(a, key)) {
        diags_->Error(ErrorCode::kBadKeyType, e->args[0]->span,
                     "table '" + table.name + "' is keyed by " + TypeName(key) + "; this is " + TypeName(a));
        return Fail(e);
      }
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

  const Type* CheckMatches(Expr* e, Scope& s) {
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

  const Type* CheckIf(Expr* e, Scope& s) {
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

  const Type* CheckBinding(Expr* e, Scope& s) {
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
          diags_->Error(ErrorCode::kTypeMismatch, e->args[1]->span,
                       std::string(OpText(e->op)) + " compares numbers, strings, dates or durations; this is " + TypeName(body));
          return Fail(e);
        }
        return e->type = body;
      default:
        diags_->Error(ErrorCode::kBadAggregate, e->span, "only count, sum, min and max take `x in L: E`");
        return Fail(e);
    }
  }

  Program& p_;
  TypeArena& types_;
  Diagnostics* diags_;
  bool names_collected_ = false;
  std::map<std::string, SchemaEntry> schemas_;
  std::vector<const DefDecl*> defs_;
  std::map<std::string, size_t> def_index_;
  std::vector<const Type*> def_types_;
  std::vector<Visit> def_visit_;
  const ItemVersion* current_item_ = nullptr;
  std::map<std::string, size_t> let_index_;
  std::vector<const Type*> let_types_;
  std::vector<Visit> let_visit_;
  std::vector<bool> let_used_;
};

}  // namespace

void CheckProgram(Program& program, const LoadOptions& options, Diagnostics& diags) {
  Checker(program, diags).Run(options);
}

bool CheckItemExpression(Program& program, size_t item, Expr* expr, Diagnostics& diags) {
  return Checker(program, diags).CheckStandalone(item, expr);
}

}  // namespace miaopi::dsl
