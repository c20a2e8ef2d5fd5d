#include "dsl/check.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>

#include "dsl/ast_dump.h"
#include "dsl/builtins.h"
#include "dsl/decision_check.h"

namespace miaopi::dsl {

namespace {

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
    for (size_t i = 0; i < decisions_.size(); ++i) CheckDecision(i);
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
    for (size_t i = 0; i < p_.items[item].decl->outputs.size(); ++i) OutputType(i);
    diags_ = real;
    size_t errors = diags_->error_count();
    Scope scope;
    scope.item = &p_.items[item];
    const Type* t = Value(e, scope);
    return diags_->error_count() == errors && t->kind != TypeKind::kError;
  }

 private:
  struct Scope {
    const ItemVersion* item = nullptr;  // input fields, lets, licences, outputs, subject, context
    const DefDecl* def = nullptr;       // parameters
    size_t def_index = 0;
    const DecisionDecl* decision = nullptr;  // parameters of a decision table's outputs
    size_t decision_index = 0;
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
    for (const auto& m : p_.modules) {
      for (const DecisionDecl& d : m->decisions) {
        if (FindBuiltin(d.name)) {
          diags_->Error(ErrorCode::kDuplicateName, d.name_span,
                        "decision '" + d.name + "' has the name of a built-in function");
          continue;
        }
        if (!claim(d.name, d.name_span, "decision")) continue;
        decision_index_[d.name] = decisions_.size();
        decisions_.push_back(&d);
      }
    }
    p_.defs = defs_;
    p_.def_params.assign(defs_.size(), {});
    def_types_.assign(defs_.size(), nullptr);
    def_visit_.assign(defs_.size(), Visit::kNew);
    p_.decisions = decisions_;
    p_.decision_params.assign(decisions_.size(), {});
    p_.decision_results.assign(decisions_.size(), types_.Error());
    for (size_t i = 0; i < decisions_.size(); ++i) {
      for (const ParamDecl& param : decisions_[i]->params) p_.decision_params[i].push_back(ResolveType(param.type));
      p_.decision_results[i] = decisions_[i]->result ? ResolveType(decisions_[i]->result) : types_.Error();
    }
    std::map<std::string, Span> sets;
    for (const auto& m : p_.modules) {
      for (const ItemDecl& set : m->rule_sets) {
        auto [it, inserted] = sets.emplace(set.code, set.code_span);
        if (!inserted) {
          diags_->Error(ErrorCode::kDuplicateName, set.code_span, "rule set '" + set.code + "' is already defined");
          diags_->Note(it->second, "previous definition");
          continue;
        }
        rule_sets_[set.code] = &set;
        if (set.effective || set.until || set.input || !set.lets.empty() || !set.licences.empty() ||
            !set.outputs.empty() || !set.includes.empty() || !set.basis.empty()) {
          diags_->Error(ErrorCode::kRuleSetMember, set.code_span,
                        "rule set '" + set.code + "' may hold only rules; put lets, inputs and licences in the items");
        }
      }
    }
    CollectContext();
    CollectLicences();
  }

  // The types of `subject` and `context`, which come from the caller.
  void CollectContext() {
    if (p_.subject_type) return;
    Type* subject = types_.NewRecord("Subject");
    subject->fields = {{"kind", types_.String(), false, {}},
                       {"id", types_.String(), false, {}},
                       {"auth_level", types_.String(), false, {}},
                       {"name", types_.String(), true, {}}};
    Type* context = types_.NewRecord("Context");
    context->fields = {{"subject", subject, false, {}},
                       {"town", types_.String(), false, {}},
                       {"window", types_.String(), true, {}},
                       {"channel", types_.String(), true, {}}};
    p_.subject_type = subject;
    p_.context_type = context;
  }

  void CollectLicences() {
    std::map<std::string, Span> seen;
    for (const auto& m : p_.modules) {
      for (const LicenceDecl& l : m->licences) {
        auto [it, inserted] = seen.emplace(l.type, l.type_span);
        if (!inserted) {
          diags_->Error(ErrorCode::kDuplicateName, l.type_span, "licence type '" + l.type + "' is already declared");
          diags_->Note(it->second, "previous declaration");
          continue;
        }
        if (l.holder_kind != "natural_person" && l.holder_kind != "legal_person") {
          diags_->Error(ErrorCode::kBadHolder, l.holder_span,
                        "a licence's holder is natural_person or legal_person, not '" + l.holder_kind + "'");
        }
        Type* holder = types_.NewRecord("");
        holder->fields = {{"id", types_.String(), false, {}},
                          {"kind", types_.String(), false, {}},
                          {"name", types_.String(), true, {}}};
        Type* party = types_.NewRecord("");
        party->fields = {{"id", types_.String(), false, {}}, {"relation", types_.String(), false, {}}};
        Type* record = types_.NewRecord("");
        record->fields = {{"type", types_.String(), false, {}},
                          {"number", types_.String(), false, {}},
                          {"holder", holder, false, {}},
                          {"related", types_.List(party), true, {}},
                          {"status", types_.String(), false, {}},
                          {"issued", types_.Date(), true, {}},
                          {"expires", types_.Date(), true, {}},
                          {"issuer", types_.String(), true, {}},
                          {"fields", l.fields ? RecordType(l.fields, "") : types_.NewRecord(""), true, {}}};
        p_.licence_types.push_back({&l, record});
      }
    }
  }

  // ---------------------------------------------------------------- decisions

  void CheckDecision(size_t index) {
    const DecisionDecl& d = *decisions_[index];
    const std::vector<const Type*>& params = p_.decision_params[index];
    for (size_t i = 0; i < params.size(); ++i) {
      if (!params[i]->IsScalar() && params[i]->kind != TypeKind::kError) {
        diags_->Error(ErrorCode::kDecisionCell, d.params[i].span,
                      "a decision table's inputs are bool, int, number, string, date or duration");
      }
    }
    std::vector<const Type*> column_types;
    std::set<std::string> seen;
    bool columns_ok = true;
    for (size_t c = 0; c < d.columns.size(); ++c) {
      int param = -1;
      for (size_t i = 0; i < d.params.size(); ++i) {
        if (d.params[i].name == d.columns[c]) param = static_cast<int>(i);
      }
      if (param < 0 || !seen.insert(d.columns[c]).second) {
        diags_->Error(ErrorCode::kDecisionColumns, d.column_spans[c],
                      param < 0 ? "column '" + d.columns[c] + "' is not a parameter of decision '" + d.name + "'"
                                : "column '" + d.columns[c] + "' appears twice");
        columns_ok = false;
        continue;
      }
      column_types.push_back(params[param]);
    }
    for (const ParamDecl& param : d.params) {
      if (!seen.count(param.name) && columns_ok) {
        diags_->Error(ErrorCode::kDecisionColumns, d.header_span, "the header has no column for parameter '" + param.name + "'");
        columns_ok = false;
      }
    }
    if (columns_ok) AnalyzeDecision(d, column_types, p_.sources, *diags_);
    const Type* result = p_.decision_results[index];
    for (const DecisionDecl::Row& row : d.rows) {
      if (!row.output) continue;
      Scope scope;
      scope.decision = &d;
      scope.decision_index = index;
      const Type* t = Value(row.output, scope);
      if (!Err(t) && !Err(result) && !Assignable(t, result)) {
        diags_->Error(ErrorCode::kTypeMismatch, row.output->span,
                      "decision '" + d.name + "' gives " + TypeName(result) + "; this output is " + TypeName(t));
      }
    }
  }

  // ---------------------------------------------------------------- types

  // Schemas name schemas, so a type can be as deep as a chain of them:
  // bounded here, as expressions are.
  const Type* ResolveType(const TypeExpr* t) {
    if (t == nullptr) return types_.Error();
    if (type_depth_ >= kMaxTypeDepth) {
      diags_->Error(ErrorCode::kTooDeep, t->span,
                    "this type nests more than " + std::to_string(kMaxTypeDepth) +
                        " records and lists deep (counting the schemas it names)");
      return types_.Error();
    }
    ++type_depth_;
    const Type* type = ResolveTypeAt(t);
    --type_depth_;
    return type;
  }

  const Type* ResolveTypeAt(const TypeExpr* t) {
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

  // Puts the rules of each included rule set where the `include` stands,
  // each a fresh copy so every item types it in its own scope.
  void ExpandIncludes(Module& m, ItemDecl& item) {
    for (auto inc = item.includes.rbegin(); inc != item.includes.rend(); ++inc) {
      auto set = rule_sets_.find(inc->name);
      if (set == rule_sets_.end()) {
        std::vector<std::string> names;
        for (const auto& [name, decl] : rule_sets_) names.push_back(name);
        diags_->Error(ErrorCode::kUnknownRuleSet, inc->span,
                      "no rule set is called '" + inc->name + "'" + DidYouMean(inc->name, names));
        continue;
      }
      std::vector<RuleDecl> copies;
      for (const RuleDecl& r : set->second->rules) {
        RuleDecl copy = r;
        copy.cond = CloneExpr(m, r.cond);
        copy.included_from = set->second;
        copies.push_back(std::move(copy));
      }
      item.rules.insert(item.rules.begin() + static_cast<std::ptrdiff_t>(std::min(inc->position, item.rules.size())),
                        copies.begin(), copies.end());
    }
  }

  void CollectItems() {
    for (const auto& m : p_.modules) {
      for (ItemDecl& item : m->items) {
        ExpandIncludes(*m, item);
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
          for (const RecordField& f : v.input->fields) {
            if (p_.FindTable(f.name) >= 0) {
              diags_->Error(ErrorCode::kDuplicateName, f.span,
                            "input field '" + f.name + "' has the name of a table, which it would hide; rename the table");
            }
            if (f.name == "subject" || f.name == "context") {
              diags_->Error(ErrorCode::kReservedName, f.span,
                            "an input field cannot be called '" + f.name +
                                "': the login subject and the request context come from the caller, not the form");
            }
          }
        }
        p_.items.push_back(v);
      }
    }
  }

  void EnterItem(size_t index) {
    const ItemVersion& item = p_.items[index];
    current_item_ = &item;
    too_deep_reported_ = false;
    let_types_.assign(item.decl->lets.size(), nullptr);
    let_visit_.assign(item.decl->lets.size(), Visit::kNew);
    let_used_.assign(item.decl->lets.size(), false);
    let_index_.clear();
    for (size_t i = 0; i < item.decl->lets.size(); ++i) let_index_.emplace(item.decl->lets[i].name, i);
    output_types_.assign(item.decl->outputs.size(), nullptr);
    output_visit_.assign(item.decl->outputs.size(), Visit::kNew);
    output_index_.clear();
    for (size_t i = 0; i < item.decl->outputs.size(); ++i) output_index_.emplace(item.decl->outputs[i].name, i);
    licence_index_.clear();
    for (size_t i = 0; i < item.decl->licences.size(); ++i) licence_index_.emplace(item.decl->licences[i].name, i);
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
    for (const LetDecl& let : decl.lets) {
      if (let.name == "subject" || let.name == "context") {
        diags_->Error(ErrorCode::kReservedName, let.name_span, "'" + let.name + "' names the caller's request context");
      }
    }
    for (LicenceUseDecl& use : const_cast<ItemDecl&>(decl).licences) {
      if (use.name == "subject" || use.name == "context") {
        diags_->Error(ErrorCode::kReservedName, use.name_span, "'" + use.name + "' names the caller's request context");
      }
      auto [it, inserted] = lets.emplace(use.name, use.name_span);
      if (!inserted || item.input->FieldIndex(use.name) >= 0 || p_.FindTable(use.name) >= 0) {
        diags_->Error(ErrorCode::kDuplicateName, use.name_span,
                      "'" + use.name + "' is already the name of a let, an input field, a table or another licence");
      }
      int type = p_.FindLicence(use.type);
      if (type < 0) {
        std::vector<std::string> names;
        for (const LicenceType& l : p_.licence_types) names.push_back(l.decl->type);
        diags_->Error(ErrorCode::kUnknownLicence, use.type_span,
                      "no licence type '" + use.type + "' is declared" + DidYouMean(use.type, names));
      } else {
        use.licence = static_cast<uint32_t>(type);
      }
      if (use.key) {
        Scope scope;
        scope.item = &item;
        const Type* t = Value(use.key, scope);
        if (!Err(t) && t->kind != TypeKind::kString) {
          diags_->Error(ErrorCode::kTypeMismatch, use.key->span,
                        "`for` names the licence's holder id or number, a string; this is " + TypeName(t));
        }
      }
    }
    for (const OutputDecl& out : decl.outputs) {
      auto [it, inserted] = lets.emplace(out.name, out.name_span);
      if (!inserted || item.input->FieldIndex(out.name) >= 0) {
        diags_->Error(ErrorCode::kDuplicateName, out.name_span,
                      "output '" + out.name + "' has the name of a let, a licence, an input field or another output");
      }
    }
    for (size_t i = 0; i < decl.lets.size(); ++i) LetType(i);
    for (size_t i = 0; i < decl.outputs.size(); ++i) OutputType(i);
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
      size_t errors = diags_->error_count();
      const Type* t = Value(rule.cond, scope);
      if (t->kind != TypeKind::kBool && t->kind != TypeKind::kError) {
        diags_->Error(ErrorCode::kNotBool, rule.cond->span,
                     "`require` needs a bool condition; this is " + TypeName(t));
      }
      if (rule.included_from && diags_->error_count() > errors) {
        diags_->Note(decl.code_span, "in rule " + rule.code + " of rule set '" + rule.included_from->code +
                                         "', included by item '" + decl.code + "'");
      }
    }
    for (size_t i = 0; i < decl.lets.size() && !too_deep_reported_; ++i) {  // a cut chain leaves lets unseen
      if (!let_used_[i]) {
        diags_->Warning(ErrorCode::kUnusedLet, decl.lets[i].name_span, "let '" + decl.lets[i].name + "' is never used");
      }
    }
    if (decl.rules.empty() && !decl.members_dropped) {
      diags_->Warning(ErrorCode::kItemWithoutRules, decl.code_span,
                     "item '" + decl.code + "' has no rules, so it approves every application");
    }
    current_item_ = nullptr;
  }

  const Type* OutputType(size_t index) {
    if (output_visit_[index] == Visit::kDone) return output_types_[index];
    if (output_visit_[index] == Visit::kActive) return nullptr;
    output_visit_[index] = Visit::kActive;
    Scope scope;
    scope.item = current_item_;
    const Type* t = Value(current_item_->decl->outputs[index].value, scope);
    output_visit_[index] = Visit::kDone;
    return output_types_[index] = t;
  }

  const Type* LetType(size_t index) {
    if (let_visit_[index] == Visit::kDone) return let_types_[index];
    if (let_visit_[index] == Visit::kActive) return nullptr;
    let_visit_[index] = Visit::kActive;
    Scope scope;
    scope.item = current_item_;
    // A let may name a table row (`let zone = zones[code]`, then `zone.max`).
    Expr* value = current_item_->decl->lets[index].value;
    const Type* t = Check(value, scope);
    if (t->kind == TypeKind::kTable) t = Value(value, scope);
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

  // Lets, defs and outputs are typed where they are first used, so checking
  // one expression can walk through a chain of them. The walk is bounded by
  // the same height the compiled graph may have: anything deeper could not
  // be lowered anyway, and the stack must not be the limit.
  const Type* Check(Expr* e, Scope& s) {
    if (check_depth_ >= kMaxInlinedHeight) {
      if (!too_deep_reported_) {
        diags_->Error(ErrorCode::kTooDeep, e->span,
                      "lets, defs and outputs that use each other nest more than " +
                          std::to_string(kMaxInlinedHeight) + " operations deep here; shorten the chain");
        too_deep_reported_ = true;
      }
      return Fail(e);
    }
    ++check_depth_;
    const Type* t = CheckKind(e, s);
    --check_depth_;
    return t;
  }

  const Type* CheckKind(Expr* e, Scope& s) {
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
    std::string where = s.def        ? "def '" + s.def->name + "' (a def sees its parameters and the tables)"
                        : s.decision ? "decision '" + s.decision->name + "' (an output sees the parameters and the tables)"
                        : s.item     ? "item '" + s.item->decl->code + "'"
                                     : "this scope";
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
      case Builtin::kAbsent:
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

  const Type* CheckDecisionCall(Expr* e, size_t index, const std::vector<const Type*>& got, bool any_error) {
    const DecisionDecl& d = *decisions_[index];
    e->ref = {RefKind::kDecision, static_cast<uint32_t>(index), nullptr};
    if (!ArgCount(e, d.params.size(), d.params.size())) return Fail(e);
    bool ok = !any_error;
    for (size_t i = 0; i < got.size(); ++i) ok &= ArgIs(e, i, p_.decision_params[index][i], got);
    if (!ok || Err(p_.decision_results[index])) return Fail(e);
    const Type* result = p_.decision_results[index];
    return e->type = d.hit == HitPolicy::kCollect ? types_.List(result) : result;
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

}  // namespace

void CheckProgram(Program& program, const LoadOptions& options, Diagnostics& diags) {
  Checker(program, diags).Run(options);
}

bool CheckItemExpression(Program& program, size_t item, Expr* expr, Diagnostics& diags) {
  return Checker(program, diags).CheckStandalone(item, expr);
}

}  // namespace miaopi::dsl
