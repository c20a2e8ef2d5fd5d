// Checking declarations: the pack, names, the request context, licences,
// decision tables, schemas and types, defs, items with their includes, lets
// and outputs, and overlapping versions.
#include <algorithm>
#include <map>
#include <set>

#include "dsl/ast_dump.h"
#include "dsl/builtins.h"
#include "dsl/checker.h"
#include "dsl/decision_check.h"

namespace miaopi::dsl {

void Checker::CollectPack() {
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

void Checker::CollectNames() {
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
          !set.outputs.empty() || !set.includes.empty() || !set.basis.empty() || !set.private_paths.empty()) {
        diags_->Error(ErrorCode::kRuleSetMember, set.code_span,
                      "rule set '" + set.code + "' may hold only rules; put lets, inputs and licences in the items");
      }
    }
  }
  CollectContext();
  CollectLicences();
}

void Checker::CollectContext() {
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

void Checker::CollectLicences() {
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

void Checker::CheckDecision(size_t index) {
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
      diags_->Error(ErrorCode::kDecisionColumns, d.header_span,
                    "the header has no column for parameter '" + param.name + "'");
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

const Type* Checker::ResolveType(const TypeExpr* t) {
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

const Type* Checker::ResolveTypeAt(const TypeExpr* t) {
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

const Type* Checker::SchemaType(SchemaEntry& s, Span use) {
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

const Type* Checker::RecordType(const TypeExpr* t, const std::string& name) {
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
    record->fields.push_back({f.name, ResolveType(f.type), f.optional, f.fixed, f.span});
  }
  return record;
}

const Type* Checker::DefType(size_t index) {
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

void Checker::ExpandIncludes(Module& m, ItemDecl& item) {
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

void Checker::CollectItems() {
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
            diags_->Error(
                ErrorCode::kDuplicateName, f.span,
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

void Checker::EnterItem(size_t index) {
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

void Checker::CheckItem(size_t index) {
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
      diags_->Error(ErrorCode::kDuplicateName, let.name_span, "let '" + let.name + "' has the name of an input field");
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
  // `private PATH`: each path names a field of the input, through records
  // and into the elements of lists.
  for (const PrivateDecl& priv : decl.private_paths) {
    const Type* t = item.input;
    std::string walked;
    for (const std::string& segment : priv.segments) {
      while (t != nullptr && t->kind == TypeKind::kList) t = t->elem;
      int field = t != nullptr && t->kind == TypeKind::kRecord ? t->FieldIndex(segment) : -1;
      if (field < 0) {
        std::vector<std::string> names;
        if (t != nullptr && t->kind == TypeKind::kRecord) {
          for (const RecordField& f : t->fields) names.push_back(f.name);
        }
        static const std::set<std::string> kMembers = {"basis", "effective", "until", "mode",   "input",  "let",
                                                       "rule",  "include",   "uses",  "output", "private"};
        bool member = walked.empty() && kMembers.count(segment) > 0;
        diags_->Error(ErrorCode::kUnknownField, priv.span,
                      "`private`: " + (walked.empty() ? std::string("the input") : walked) + " has no field '" +
                          segment + "'" +
                          (member ? " (a ',' at the end of the line before continues the list of paths)"
                                  : DidYouMean(segment, names)));
        break;
      }
      walked += (walked.empty() ? "" : ".") + segment;
      t = t->fields[static_cast<size_t>(field)].type;
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
      diags_->Error(ErrorCode::kNotBool, rule.cond->span, "`require` needs a bool condition; this is " + TypeName(t));
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

const Type* Checker::OutputType(size_t index) {
  if (output_visit_[index] == Visit::kDone) return output_types_[index];
  if (output_visit_[index] == Visit::kActive) return nullptr;
  output_visit_[index] = Visit::kActive;
  Scope scope;
  scope.item = current_item_;
  const Type* t = Value(current_item_->decl->outputs[index].value, scope);
  output_visit_[index] = Visit::kDone;
  return output_types_[index] = t;
}

const Type* Checker::LetType(size_t index) {
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

void Checker::CheckVersions() {
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

}  // namespace miaopi::dsl
