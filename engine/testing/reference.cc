#include "engine/testing/reference.h"

#include <re2/re2.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <set>

#include "dsl/date.h"
#include "engine/graph/value_format.h"
#include "engine/graph/verdict.h"
#include "engine/runtime/decision_eval.h"
#include "engine/runtime/kernel.h"
#include "engine/runtime/licence_lookup.h"

namespace miaopi::engine {

namespace {

using dsl::Expr;
using dsl::ExprKind;
using dsl::RefKind;
using dsl::TypeKind;

// A value as the reference sees it: scalars in `v`; records as the JSON
// object (or table row) they are; lists as their elements.
struct RValue {
  Value v;
  const rapidjson::Value* json = nullptr;  // a record of the application
  std::string path;                        // where in the application it came from
  std::shared_ptr<std::vector<RValue>> elems;
};

struct TooLong {
  std::string path;
  size_t length;
};

// The walk inlines every def call anew, so defs that call defs several times
// cost exponential time here (the compiled graph shares them): stop after
// this many steps rather than hang.
constexpr uint64_t kMaxWalkSteps = 20'000'000;
struct TooManySteps {};

class Walker {
 public:
  Walker(const CompiledPack& pack, const dsl::Program& program, const dsl::ItemVersion& item,
         const rapidjson::Value& app, const rapidjson::Value& context, LicenceStore* licences, int32_t today)
      : pack_(pack), program_(program), item_(item), app_(app), context_(context), licences_(licences), today_(today) {
    let_values_.resize(item.decl->lets.size());
    output_values_.resize(item.decl->outputs.size());
    licence_values_.resize(item.decl->licences.size());
    for (const dsl::LicenceUseDecl& use : item.decl->licences) {
      licence_names.emplace_back(use.name, program.licence_types[use.licence].decl->title);
    }
  }

  RValue Output(size_t index) {
    auto& slot = output_values_[index];
    if (!slot) slot = std::make_unique<RValue>(Eval(item_.decl->outputs[index].value));
    return *slot;
  }

  std::vector<std::pair<std::string, std::string>> licence_names;

  RValue Eval(const Expr* e) {
    Env env;
    return Eval(e, env);
  }

  // Steps are recorded (the REPL's :trace) when `steps` is set.
  void RecordSteps(std::vector<ExprStep>* steps, size_t max_steps) {
    steps_ = steps;
    max_steps_ = max_steps;
  }

  // A value as the REPL shows it: scalars as FormatValue, lists element by
  // element, application records as their JSON, table rows by column.
  std::string Show(const RValue& r, const dsl::Type* type) const {
    if (!r.v.known()) return "unknown";
    switch (type->kind) {
      case TypeKind::kList: {
        std::string s = "[";
        size_t shown = 0;
        for (const RValue& e : *r.elems) {
          if (shown) s += ", ";
          if (++shown > 20) {
            s += "… " + std::to_string(r.elems->size()) + " in all";
            break;
          }
          s += Show(e, type->elem);
        }
        return s + "]";
      }
      case TypeKind::kRecord:
        if (r.json != nullptr) {
          rapidjson::StringBuffer buffer;
          rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
          r.json->Accept(writer);
          std::string s(buffer.GetString(), buffer.GetSize());
          return s.size() > 400 ? s.substr(0, 400) + "…" : s;
        }
        return "{…}";
      case TypeKind::kRow: {
        const std::vector<std::string>& columns = pack_.table_columns[type->table];
        std::string s = "{";
        for (size_t c = 0; c < columns.size(); ++c) {
          s += (c ? ", " : "") + columns[c] + ": " + (r.v.record[c].known() ? FormatValue(r.v.record[c]) : "—");
        }
        return s + "}";
      }
      default: return FormatValue(r.v);
    }
  }

  CauseArena causes;
  std::vector<std::string> paths, labels;
  const Decision* decided = nullptr;  // what a property's `decision` and `rule(CODE)` read

 private:
  struct Env {
    const std::vector<RValue>* params = nullptr;
    std::map<const Expr*, RValue> binders;
  };

  static RValue Of(Value v) {
    RValue r;
    r.v = v;
    return r;
  }

  uint32_t PathId(const std::string& path) {
    paths.push_back(path);
    return static_cast<uint32_t>(paths.size() - 1);
  }

  RValue UnknownAt(bool wrong_type, const std::string& path) {
    return Of(Value::Unknown(causes.Path(wrong_type, PathId(path), nullptr, 0)));
  }

  // The JSON value at `path` read as type `t`.
  RValue FromJson(const rapidjson::Value& j, const dsl::Type* t, const std::string& path) {
    if (j.IsNull()) return UnknownAt(false, path);
    switch (t->kind) {
      case TypeKind::kBool:
        if (j.IsBool()) return Of(Value::Bool(j.GetBool()));
        break;
      case TypeKind::kInt:
        if (j.IsInt64()) return Of(Value::Int(j.GetInt64()));
        if (j.IsDouble()) {
          double d = j.GetDouble();
          if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18)
            return Of(Value::Int(static_cast<int64_t>(d)));
        }
        break;
      case TypeKind::kNumber:
        if (j.IsNumber()) return Of(Value::Number(j.GetDouble()));
        break;
      case TypeKind::kString:
        if (j.IsString()) return Of(Value::String({j.GetString(), j.GetStringLength()}));
        break;
      case TypeKind::kDate:
        if (j.IsString()) {
          if (auto d = dsl::ParseIsoDate({j.GetString(), j.GetStringLength()})) return Of(Value::Date(*d));
        }
        break;
      case TypeKind::kDuration:
        if (j.IsString()) {
          if (auto d = dsl::ParseIsoDuration({j.GetString(), j.GetStringLength()})) return Of(Value::Duration(*d));
        }
        break;
      case TypeKind::kList: {
        if (!j.IsArray()) break;
        if (j.Size() > pack_.limits.max_list_length) throw TooLong{path, j.Size()};
        RValue r;
        r.elems = std::make_shared<std::vector<RValue>>();
        for (rapidjson::SizeType k = 0; k < j.Size(); ++k) {
          r.elems->push_back(FromJson(j[k], t->elem, path + "[" + std::to_string(k) + "]"));
        }
        r.v = Value::List(nullptr, j.Size());
        r.path = path;
        return r;
      }
      case TypeKind::kRecord: {
        if (!j.IsObject()) break;
        RValue r;
        r.v = Value::Record(nullptr);
        r.json = &j;
        r.path = path;
        return r;
      }
      default: break;
    }
    return UnknownAt(true, path);
  }

  RValue FieldOf(const RValue& record, const dsl::Type* type, uint32_t field) {
    if (!record.v.known()) return record;
    const dsl::RecordField& f = type->fields[field];
    // The request context names its subject `subject`, its other fields `context.…`.
    std::string path = record.json == &context_ && f.name == "subject" ? f.name
                       : record.path.empty()                           ? f.name
                                                                       : record.path + "." + f.name;
    const rapidjson::Value* found = nullptr;
    int count = 0;
    for (auto m = record.json->MemberBegin(); m != record.json->MemberEnd(); ++m) {
      if (std::string_view(m->name.GetString(), m->name.GetStringLength()) == f.name) {
        if (count++ == 0) found = &m->value;
      }
    }
    if (count == 0) return UnknownAt(false, path);
    if (count > 1) return UnknownAt(true, path);
    return FromJson(*found, f.type, path);
  }

  // Scalars of a list as kernel values.
  Value Flat(const RValue& list) {
    if (!list.v.known()) return list.v;
    auto& store = flat_.emplace_back();
    for (const RValue& e : *list.elems) store.push_back(e.v);
    return Value::List(store.data(), static_cast<uint32_t>(store.size()));
  }

  uint32_t Label(const Expr* e) {
    labels.push_back(dsl::OneLine(program_.sources.file(e->span.file).Slice(e->span)));
    return static_cast<uint32_t>(labels.size() - 1);
  }

  RValue ContextRoot() {
    RValue root;
    root.v = Value::Record(nullptr);
    root.json = &context_;
    root.path = "context";
    return root;
  }

  RValue Subject(const char* field) {
    const dsl::Type* context = program_.context_type;
    RValue subject = FieldOf(ContextRoot(), context, context->FieldIndex("subject"));
    return FieldOf(subject, program_.subject_type, program_.subject_type->FieldIndex(field));
  }

  RValue LicenceValue(size_t index) {
    auto& slot = licence_values_[index];
    if (slot) return *slot;
    const dsl::LicenceUseDecl& use = item_.decl->licences[index];
    RValue kind = Subject("kind"), id = Subject("id");
    RValue key = use.key ? Eval(use.key) : id;
    RValue result;
    if (!kind.v.known() || !id.v.known()) {
      result = Of(ops::EitherUnknown(kind.v, id.v, causes));
    } else if (!key.v.known()) {
      result = key;
    } else if (licences_ == nullptr) {
      result = Of(Value::Unknown(causes.Licence(static_cast<uint32_t>(index), LicenceProblem::kNoStore)));
    } else {
      LicenceProblem problem;
      const rapidjson::Value* chosen = ChooseLicence(*licences_, use.type, key.v.string(), kind.v.string(),
                                                     id.v.string(), today_, documents_, &problem);
      if (chosen == nullptr) {
        result = Of(Value::Unknown(causes.Licence(static_cast<uint32_t>(index), problem)));
      } else {
        try {
          result = FromJson(*chosen, program_.licence_types[use.licence].record, use.name);
        } catch (const TooLong&) {
          result = Of(Value::Unknown(causes.Licence(static_cast<uint32_t>(index), LicenceProblem::kStoreError)));
        }
      }
    }
    slot = std::make_unique<RValue>(result);
    return result;
  }

  RValue Eval(const Expr* e, Env& env) {
    if (++walked_ > kMaxWalkSteps) throw TooManySteps{};
    if (steps_ == nullptr) return EvalNode(e, env);
    ++depth_;
    RValue r = EvalNode(e, env);
    --depth_;
    if (e->kind == ExprKind::kLiteral) return r;
    if (steps_->size() < max_steps_) {
      steps_->push_back({depth_, dsl::OneLine(program_.sources.file(e->span.file).Slice(e->span)), Show(r, e->type)});
    } else if (steps_->size() == max_steps_) {
      steps_->push_back({0, "…", "(more steps not shown)"});
    }
    return r;
  }

  RValue EvalNode(const Expr* e, Env& env) {
    KernelContext k{&causes, &strings_};
    switch (e->kind) {
      case ExprKind::kLiteral: return Of(LiteralValue(e->lit));
      case ExprKind::kToday: return Of(Value::Date(today_));
      case ExprKind::kList: {
        RValue r;
        r.elems = std::make_shared<std::vector<RValue>>();
        for (const Expr* a : e->args) r.elems->push_back(Eval(a, env));
        r.v = Value::List(nullptr, static_cast<uint32_t>(r.elems->size()));
        return r;
      }
      case ExprKind::kName:
        switch (e->ref.kind) {
          case RefKind::kInput: {
            RValue root;
            root.v = Value::Record(nullptr);
            root.json = &app_;
            return FieldOf(root, item_.input, e->ref.index);
          }
          case RefKind::kLet: {
            auto& slot = let_values_[e->ref.index];
            if (!slot) slot = std::make_unique<RValue>(Eval(item_.decl->lets[e->ref.index].value));
            return *slot;
          }
          case RefKind::kParam: return (*env.params)[e->ref.index];
          case RefKind::kBinder: return env.binders.at(e->ref.binder);
          case RefKind::kOutput: return Output(e->ref.index);
          case RefKind::kContext: return ContextRoot();
          case RefKind::kSubject:
            return FieldOf(ContextRoot(), program_.context_type, program_.context_type->FieldIndex("subject"));
          case RefKind::kLicence: return LicenceValue(e->ref.index);
          case RefKind::kVerdict:
            if (decided == nullptr) return Of(Value::Unknown(0));
            return Of(Value::Int(static_cast<int64_t>(decided->decision)));
          case RefKind::kVerdictConst:
          case RefKind::kStatusConst: return Of(Value::Int(e->ref.index));
          default: return Of(Value::Unknown(0));
        }
      case ExprKind::kField: {
        RValue base = Eval(e->args[0], env);
        if (e->ref.kind == RefKind::kColumn) {
          if (!base.v.known()) return base;
          const Value& cell = base.v.record[e->ref.index];
          uint32_t table = e->args[0]->type->table;  // the row may come from a let
          if (!cell.known()) {
            return Of(
                Value::Unknown(causes.EmptyCell(table, base.v.record[pack_.tables[table].key_column], e->ref.index)));
          }
          return Of(cell);
        }
        return FieldOf(base, e->args[0]->type, e->ref.index);
      }
      case ExprKind::kIndex: {
        RValue key = Eval(e->args[1], env);
        if (e->ref.kind == RefKind::kTableRow) {
          if (!key.v.known()) return key;
          const Value* row = pack_.tables[e->ref.index].Find(key.v);
          if (row == nullptr) return Of(Value::Unknown(causes.NoRow(e->ref.index, key.v)));
          return Of(Value::Record(row));
        }
        RValue list = Eval(e->args[0], env);
        if (!list.v.known() || !key.v.known()) return Of(ops::EitherUnknown(list.v, key.v, causes));
        if (key.v.i < 0 || key.v.i >= static_cast<int64_t>(list.elems->size())) {
          return Of(Value::Unknown(causes.NoElement(Label(e->args[0]), key.v.i)));
        }
        return (*list.elems)[key.v.i];
      }
      case ExprKind::kCall: {
        if (e->ref.kind == RefKind::kRuleStatus) {
          if (decided == nullptr) return Of(Value::Unknown(0));
          const std::string& code = item_.decl->rules[e->ref.index].code;
          int64_t status = static_cast<int64_t>(RuleStatus::kPass);
          for (const Reason& r : decided->reasons) {
            if (r.rule == code) status = static_cast<int64_t>(r.status);
          }
          return Of(Value::Int(status));
        }
        std::vector<RValue> args;
        for (const Expr* a : e->args) args.push_back(Eval(a, env));
        if (e->ref.kind == RefKind::kDef) {
          Env def_env;
          def_env.params = &args;
          return Eval(program_.defs[e->ref.index]->body, def_env);
        }
        if (e->ref.kind == RefKind::kDecision) {
          const dsl::DecisionDecl& d = *program_.decisions[e->ref.index];
          std::vector<Value> values;
          for (const RValue& a : args) values.push_back(a.v);
          for (const dsl::DecisionDecl::Row& row : d.rows) {
            Env row_env;
            row_env.params = &args;
            values.push_back(Eval(row.output, row_env).v);
          }
          return Of(EvalDecision(pack_.decisions[e->ref.index], values.data(), values.data() + args.size(), causes,
                                 lists_, /*use_index=*/false));
        }
        auto b = static_cast<dsl::Builtin>(e->ref.index);
        if (b == dsl::Builtin::kExists) return Of(ops::Exists(args[0].v));
        std::vector<Value> values;
        for (size_t i = 0; i < args.size(); ++i) {
          bool list_arg = e->args[i]->type->kind == TypeKind::kList;
          values.push_back(list_arg ? Flat(args[i]) : args[i].v);
        }
        return Of(ops::Builtin(b, values.data(), static_cast<uint32_t>(values.size()), k));
      }
      case ExprKind::kUnary: {
        RValue a = Eval(e->args[0], env);
        if (e->op == dsl::Op::kNot) return Of(ops::Not(a.v));
        return Of(ops::Neg(ClassifyNeg(e->args[0]->type), a.v, causes));
      }
      case ExprKind::kBinary: return Binary(e, env);
      case ExprKind::kIf: {
        RValue c = Eval(e->args[0], env);
        RValue a = Eval(e->args[1], env);
        RValue b = Eval(e->args[2], env);
        if (!c.v.known()) return c;
        return c.v.b ? a : b;
      }
      case ExprKind::kQuantifier:
      case ExprKind::kAggregate: {
        RValue list = Eval(e->args[0], env);
        if (!list.v.known()) return list;
        NodeKind kind = e->op == dsl::Op::kAll     ? NodeKind::kAll
                        : e->op == dsl::Op::kAny   ? NodeKind::kAny
                        : e->op == dsl::Op::kCount ? NodeKind::kCountIf
                        : e->op == dsl::Op::kSum   ? NodeKind::kSum
                        : e->op == dsl::Op::kMin   ? NodeKind::kMin
                                                   : NodeKind::kMax;
        ops::LoopAccumulator acc(kind, causes);
        for (const RValue& elem : *list.elems) {
          env.binders[e] = elem;
          RValue body = Eval(e->args[1], env);
          if (!acc.Add(body.v)) break;
        }
        env.binders.erase(e);
        return Of(acc.Result());
      }
    }
    return Of(Value::Unknown(0));
  }

  RValue Binary(const Expr* e, Env& env) {
    const Expr *lhs = e->args[0], *rhs = e->args[1];
    RValue a = Eval(lhs, env);
    switch (e->op) {
      case dsl::Op::kIn:
      case dsl::Op::kNotIn: {
        Value in;
        if (rhs->type->kind == TypeKind::kTable) {
          in = a.v.known() ? Value::Bool(pack_.tables[rhs->ref.index].Find(a.v) != nullptr) : a.v;
        } else {
          RValue list = Eval(rhs, env);
          in = ops::InList(a.v, Flat(list), causes);
        }
        return Of(e->op == dsl::Op::kIn ? in : ops::Not(in));
      }
      case dsl::Op::kMatches: {
        auto& re = regexes_[rhs->lit.s];
        if (!re) {
          RE2::Options options;
          options.set_log_errors(false);
          re = std::make_unique<RE2>(rhs->lit.s, options);
        }
        return Of(ops::Matches(a.v, *re));
      }
      default: break;
    }
    RValue b = Eval(rhs, env);
    switch (e->op) {
      case dsl::Op::kAnd: return Of(ops::And(a.v, b.v, causes));
      case dsl::Op::kOr: return Of(ops::Or(a.v, b.v, causes));
      case dsl::Op::kImplies: return Of(ops::Or(ops::Not(a.v), b.v, causes));
      case dsl::Op::kCoalesce: return a.v.known() ? a : b;
      case dsl::Op::kAdd:
      case dsl::Op::kSub:
      case dsl::Op::kMul:
      case dsl::Op::kDiv:
      case dsl::Op::kMod: {
        ArithClass cls = ClassifyArith(lhs->type, rhs->type);
        if (cls == ArithClass::kString) {
          KernelContext k{&causes, &strings_};
          return Of(ops::Concat(a.v, b.v, k));
        }
        return Of(ops::Arithmetic(ArithOf(e->op), cls, a.v, b.v, causes));
      }
      default: return Of(ops::Comparison(CompareOf(e->op), ClassifyCompare(lhs->type, rhs->type), a.v, b.v, causes));
    }
  }

  const CompiledPack& pack_;
  const dsl::Program& program_;  // the checked program the expressions belong to
  const dsl::ItemVersion& item_;
  const rapidjson::Value& app_;
  const rapidjson::Value& context_;
  LicenceStore* licences_;
  int32_t today_;
  StringArena strings_;
  BumpArena<Value> lists_;
  std::deque<rapidjson::Document> documents_;
  std::vector<std::unique_ptr<RValue>> let_values_, output_values_, licence_values_;
  std::deque<std::vector<Value>> flat_;
  std::map<std::string, std::unique_ptr<RE2>> regexes_;
  std::vector<ExprStep>* steps_ = nullptr;
  size_t max_steps_ = 0;
  int depth_ = 0;
  uint64_t walked_ = 0;
};

// Whether some object anywhere repeats a member name (a document is
// depth-limited when it is parsed, so this plain recursion stays shallow).
bool RepeatsAMember(const rapidjson::Value& v) {
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (RepeatsAMember(e)) return true;
    }
    return false;
  }
  if (!v.IsObject()) return false;
  std::set<std::string_view> names;
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    if (!names.emplace(m->name.GetString(), m->name.GetStringLength()).second || RepeatsAMember(m->value)) return true;
  }
  return false;
}

}  // namespace

Record ReferenceEvaluator::Decide(const rapidjson::Value& app, const Request& request) {
  Record out;
  if (RepeatsAMember(app)) {
    out.error.code = "duplicate_key";
    return out;
  }
  if (!app.IsObject()) {
    out.error.code = "not_an_object";
    return out;
  }
  std::string code(request.item);
  if (code.empty()) {
    auto it = app.FindMember("item");
    if (it == app.MemberEnd() || !it->value.IsString()) {
      out.error.code = "no_item";
      return out;
    }
    code = it->value.GetString();
  }
  const dsl::ItemVersion* item = program_.ItemInForce(code, request.date);
  if (item == nullptr) {
    out.error.code = program_.HasItem(code) ? "no_version_in_force" : "unknown_item";
    return out;
  }
  return DecideVersion(*item, app, request);
}

Record ReferenceEvaluator::DecideVersion(const dsl::ItemVersion& version, const rapidjson::Value& app,
                                         const Request& request) {
  Record out;
  const dsl::ItemVersion* item = &version;
  static const rapidjson::Value kNoContext(rapidjson::kObjectType);
  const rapidjson::Value& context =
      request.context != nullptr && request.context->IsObject() ? *request.context : kNoContext;
  Walker walker(pack_, program_, *item, app, context, licences_, request.date);
  std::vector<Value> results;
  std::vector<std::pair<std::string, std::string>> outputs;
  try {
    for (const dsl::RuleDecl& rule : item->decl->rules) results.push_back(walker.Eval(rule.cond).v);
    for (size_t i = 0; i < item->decl->outputs.size(); ++i) {
      outputs.emplace_back(item->decl->outputs[i].name, ValueJson(walker.Output(i).v));
    }
  } catch (const TooLong&) {
    out.error.code = "list_too_long";
    return out;
  } catch (const TooManySteps&) {
    out.error.code = "too_many_steps";
    return out;
  }
  out.ok = true;
  Decision& d = out.decision;
  d.item = item->decl->code;
  d.date = dsl::FormatIsoDate(request.date);
  CauseNames names{&walker.paths, &walker.labels, &pack_.table_names, &pack_.table_columns, &walker.licence_names};
  Outcome overall = Outcome::kApprove;
  for (size_t i = 0; i < results.size(); ++i) {
    const dsl::RuleDecl& rule = item->decl->rules[i];
    const Value& v = results[i];
    if (v.known() && v.b) continue;
    Reason r;
    r.rule = rule.code;
    r.status = StatusOf(v);
    r.outcome = OutcomeOf(r.status, rule.outcome, rule.on_missing);
    r.message = rule.message;
    if (!v.known()) walker.causes.Flatten(v.cause, names, &r.missing, &r.notes);
    overall = Worse(overall, r.outcome);
    d.reasons.push_back(std::move(r));
  }
  d.decision = overall;
  d.outputs = std::move(outputs);
  return out;
}

ExprValue ReferenceEvaluator::Evaluate(const dsl::ItemVersion& item, const dsl::Expr* expr, const rapidjson::Value& app,
                                       const Request& request, std::vector<ExprStep>* steps, size_t max_steps,
                                       const Decision* decided) {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const rapidjson::Value& context =
      request.context != nullptr && request.context->IsObject() ? *request.context : kEmpty;
  Walker walker(pack_, program_, item, app.IsObject() ? app : kEmpty, context, licences_, request.date);
  if (steps != nullptr) walker.RecordSteps(steps, max_steps);
  walker.decided = decided;
  ExprValue out;
  try {
    RValue r = walker.Eval(expr);
    out.known = r.v.known();
    out.value = walker.Show(r, expr->type);
    if (!out.known) {
      CauseNames names{&walker.paths, &walker.labels, &pack_.table_names, &pack_.table_columns, &walker.licence_names};
      walker.causes.Flatten(r.v.cause, names, &out.missing, &out.notes);
    }
  } catch (const TooLong& too_long) {
    out.value = "unknown";
    out.notes.push_back(too_long.path + " has " + std::to_string(too_long.length) + " elements; the limit is " +
                        std::to_string(pack_.limits.max_list_length));
  } catch (const TooManySteps&) {
    out.value = "unknown";
    out.notes.push_back("not evaluated here: it takes more than " + std::to_string(kMaxWalkSteps) +
                        " steps with every def call expanded (the compiled graph shares them: use :decide)");
  }
  return out;
}

}  // namespace miaopi::engine
