#include "engine/compile/lower.h"

#include <map>
#include <string>
#include <unordered_map>

#include "engine/runtime/kernel.h"

namespace miaopi::engine {

namespace {

using dsl::Expr;
using dsl::ExprKind;
using dsl::RefKind;

struct LowerAbort {};

class Lowerer {
 public:
  Lowerer(const dsl::Program& p, size_t item, Graph& g, RegexPool& regexes, size_t max_nodes, dsl::Diagnostics& diags)
      : p_(p), item_(p.items[item]), g_(g), regexes_(&regexes), max_nodes_(max_nodes), diags_(diags) {}

  void Run() {
    ShapeOf(item_.input);  // shape 0 is the application root
    let_nodes_.assign(item_.decl->lets.size(), kNoNode);
    output_nodes_.assign(item_.decl->outputs.size(), kNoNode);
    licence_nodes_.assign(item_.decl->licences.size(), kNoNode);
    for (const dsl::LicenceUseDecl& use : item_.decl->licences) {
      const dsl::LicenceType& type = p_.licence_types[use.licence];
      g_.licences.push_back({use.type, type.decl->title, use.name, -1});
    }
    for (const dsl::RuleDecl& rule : item_.decl->rules) {
      Env env;
      RuleInfo info;
      info.code = rule.code;
      info.message = rule.message;
      info.basis = rule.basis;
      info.outcome = rule.outcome;
      info.on_missing = rule.on_missing;
      info.cond = Lower(rule.cond, env);
      info.label = Label(rule.cond);
      g_.rules.push_back(std::move(info));
    }
    for (size_t i = 0; i < item_.decl->outputs.size(); ++i) {
      g_.outputs.push_back({item_.decl->outputs[i].name, OutputNode(i)});
    }
    BuildPlan(item_.input, "");
    for (size_t i = 0; i < item_.decl->licences.size(); ++i) {
      const dsl::LicenceUseDecl& use = item_.decl->licences[i];
      if (licence_nodes_[i] != kNoNode) g_.licences[i].plan = BuildPlan(p_.licence_types[use.licence].record, use.name);
    }
    if (context_ != kNoNode) g_.context_plan = BuildPlan(p_.context_type, "", true);
  }

  uint32_t OutputNode(size_t index) {
    uint32_t& slot = output_nodes_[index];
    if (slot == kNoNode) {
      Env env;
      slot = Lower(item_.decl->outputs[index].value, env);
    }
    return slot;
  }

  uint32_t ContextRoot(const Expr* e) {
    if (context_ == kNoNode) {
      Node n;
      n.kind = NodeKind::kContext;
      context_ = Add(n, e);
      g_.nodes[context_].label = g_.AddLabel("context");
    }
    return context_;
  }

  uint32_t SubjectField(const char* field, const Expr* e) {
    uint32_t subject = Field(ContextRoot(e), p_.context_type, p_.context_type->FieldIndex("subject"), e);
    g_.nodes[subject].label = g_.AddLabel("subject");
    uint32_t node = Field(subject, p_.subject_type, p_.subject_type->FieldIndex(field), e);
    g_.nodes[node].label = g_.AddLabel(std::string("subject.") + field);
    return node;
  }

  uint32_t LicenceNode(size_t index, const Expr* e) {
    uint32_t& slot = licence_nodes_[index];
    if (slot != kNoNode) return slot;
    const dsl::LicenceUseDecl& use = item_.decl->licences[index];
    Node n;
    n.kind = NodeKind::kLicence;
    Env env;
    n.b = SubjectField("kind", e);
    n.c = SubjectField("id", e);
    n.a = use.key ? Lower(use.key, env) : n.c;
    n.d = static_cast<uint32_t>(index);
    slot = Add(n, e);
    g_.nodes[slot].label = g_.AddLabel(use.name);
    return slot;
  }

 private:
  struct Env {
    const std::vector<uint32_t>* params = nullptr;
    std::unordered_map<const Expr*, uint32_t> binders;
  };

  uint32_t Label(const Expr* e) {
    uint64_t key = (uint64_t{e->span.file} << 48) ^ (uint64_t{e->span.begin} << 24) ^ e->span.end;
    auto it = labels_.find(key);
    if (it != labels_.end()) return it->second;
    uint32_t id = g_.AddLabel(dsl::OneLine(p_.sources.file(e->span.file).Slice(e->span)));
    labels_.emplace(key, id);
    return id;
  }

  uint32_t Add(Node n, const Expr* e) {
    uint32_t h = 0;
    ForEachOperand(g_, n, [&](uint32_t op) { h = std::max(h, height_[op]); });
    if (h + 1 > kMaxGraphHeight) TooDeep(e);
    if (g_.nodes.size() >= max_nodes_) {
      diags_.Error(dsl::ErrorCode::kItemTooLarge, e->span,
                   "item '" + item_.decl->code + "' needs more than " + std::to_string(max_nodes_) +
                       " graph nodes with its defs and lets expanded (the limit is Limits::max_item_nodes)");
      throw LowerAbort{};
    }
    n.label = Label(e);
    uint32_t id = static_cast<uint32_t>(g_.nodes.size());
    g_.nodes.push_back(n);
    height_.push_back(h + 1);
    value_number_.push_back(ValueNumber(n, id));
    return id;
  }

  [[noreturn]] void TooDeep(const Expr* e) {
    diags_.Error(dsl::ErrorCode::kTooDeep, e->span,
                 "with its lets and defs inlined this expression is more than " + std::to_string(kMaxGraphHeight) +
                     " operations deep");
    throw LowerAbort{};
  }

  // The first node structurally equal to node `id` (itself when none is):
  // equal operands by value number. A binder, and so every loop, is only
  // equal to itself. Def calls with equal arguments share one expansion by
  // it, which keeps defs that call defs several times linear, not
  // exponential. (Merging the nodes themselves is the cse pass's job.)
  uint32_t ValueNumber(const Node& n, uint32_t id) {
    if (n.kind == NodeKind::kBinder || IsLoop(n.kind)) return id;
    std::string key;
    key.append(reinterpret_cast<const char*>(&n.kind), 4);  // kind, op, cls, pad
    auto put = [&](uint32_t x) { key.append(reinterpret_cast<const char*>(&x), sizeof x); };
    ForEachData(n, put);
    ForEachOperand(g_, n, [&](uint32_t op) { put(value_number_[op]); });
    return structural_.emplace(std::move(key), id).first->second;
  }

  uint32_t Leaf(NodeKind kind, uint32_t* cache, const Expr* e) {
    if (*cache == kNoNode) {
      Node n;
      n.kind = kind;
      *cache = Add(n, e);
      g_.nodes[*cache].label = g_.AddLabel(kind == NodeKind::kInput ? "application" : "today");
    }
    return *cache;
  }

  uint32_t ShapeOf(const dsl::Type* type) {
    std::string key = dsl::TypeName(type, false);
    auto it = shape_index_.find(key);
    if (it != shape_index_.end()) return it->second;
    Shape s;
    s.type = type;
    g_.shapes.push_back(s);
    uint32_t id = static_cast<uint32_t>(g_.shapes.size() - 1);
    shape_index_.emplace(key, id);
    return id;
  }

  uint32_t Field(uint32_t base, const dsl::Type* record, uint32_t field, const Expr* e) {
    Node n;
    n.kind = NodeKind::kField;
    n.a = base;
    n.c = ShapeOf(record);
    n.b = g_.shapes[n.c].SlotOf(field);
    return Add(n, e);
  }

  uint32_t Binary(NodeKind kind, uint32_t a, uint32_t b, const Expr* e) {
    Node n;
    n.kind = kind;
    n.a = a;
    n.b = b;
    return Add(n, e);
  }

  uint32_t Unary(NodeKind kind, uint32_t a, const Expr* e) {
    Node n;
    n.kind = kind;
    n.a = a;
    return Add(n, e);
  }

  uint32_t Variadic(NodeKind kind, uint8_t op, const std::vector<uint32_t>& args, const Expr* e) {
    Node n;
    n.kind = kind;
    n.op = op;
    n.a = static_cast<uint32_t>(g_.operands.size());
    n.b = static_cast<uint32_t>(args.size());
    g_.operands.insert(g_.operands.end(), args.begin(), args.end());
    return Add(n, e);
  }

  uint32_t Const(const dsl::Literal& lit, const Expr* e) {
    Node n;
    n.kind = NodeKind::kConst;
    n.a = lit.kind == dsl::LiteralKind::kString ? g_.AddStringConst(lit.s) : g_.AddConst(LiteralValue(lit));
    return Add(n, e);
  }

  uint32_t Lower(const Expr* e, Env& env) {
    // Lets and defs are lowered where they are used, so the recursion goes as
    // deep as the expression with every let and def inlined: bound it before
    // the stack runs out, not after.
    if (depth_ >= kMaxGraphHeight) TooDeep(e);
    ++depth_;
    uint32_t node = LowerAt(e, env);
    --depth_;
    return node;
  }

  uint32_t LowerAt(const Expr* e, Env& env) {
    switch (e->kind) {
      case ExprKind::kLiteral: return Const(e->lit, e);
      case ExprKind::kToday: return Leaf(NodeKind::kToday, &today_, e);
      case ExprKind::kList: {
        std::vector<uint32_t> elems;
        for (const Expr* a : e->args) elems.push_back(Lower(a, env));
        return Variadic(NodeKind::kMakeList, 0, elems, e);
      }
      case ExprKind::kName: return LowerName(e, env);
      case ExprKind::kField: {
        uint32_t base = Lower(e->args[0], env);
        if (e->ref.kind == RefKind::kColumn) {
          Node n;
          n.kind = NodeKind::kColumn;
          n.a = base;
          n.b = e->ref.index;
          n.c = e->args[0]->type->table;  // the row's table (the row may come from a let)
          return Add(n, e);
        }
        return Field(base, e->args[0]->type, e->ref.index, e);
      }
      case ExprKind::kIndex: {
        if (e->ref.kind == RefKind::kTableRow) {
          Node n;
          n.kind = NodeKind::kRow;
          n.a = Lower(e->args[1], env);
          n.b = e->ref.index;
          return Add(n, e);
        }
        return Binary(NodeKind::kListIndex, Lower(e->args[0], env), Lower(e->args[1], env), e);
      }
      case ExprKind::kCall: return LowerCall(e, env);
      case ExprKind::kUnary: {
        uint32_t a = Lower(e->args[0], env);
        if (e->op == dsl::Op::kNot) return Unary(NodeKind::kNot, a, e);
        Node n;
        n.kind = NodeKind::kNeg;
        n.a = a;
        n.cls = ClassifyNeg(e->args[0]->type);
        return Add(n, e);
      }
      case ExprKind::kBinary: return LowerBinary(e, env);
      case ExprKind::kIf: {
        Node n;
        n.kind = NodeKind::kIf;
        n.a = Lower(e->args[0], env);
        n.b = Lower(e->args[1], env);
        n.c = Lower(e->args[2], env);
        return Add(n, e);
      }
      case ExprKind::kQuantifier:
      case ExprKind::kAggregate: {
        uint32_t list = Lower(e->args[0], env);
        uint32_t binder = Unary(NodeKind::kBinder, list, e->args[0]);
        g_.nodes[binder].label = g_.AddLabel(e->binder);  // traces show `s = …`
        env.binders[e] = binder;
        uint32_t body = Lower(e->args[1], env);
        env.binders.erase(e);
        NodeKind kind = NodeKind::kAll;
        switch (e->op) {
          case dsl::Op::kAny: kind = NodeKind::kAny; break;
          case dsl::Op::kCount: kind = NodeKind::kCountIf; break;
          case dsl::Op::kSum: kind = NodeKind::kSum; break;
          case dsl::Op::kMin: kind = NodeKind::kMin; break;
          case dsl::Op::kMax: kind = NodeKind::kMax; break;
          default: break;
        }
        return Binary(kind, binder, body, e);
      }
    }
    return Const(dsl::Literal{}, e);
  }

  uint32_t LowerName(const Expr* e, Env& env) {
    switch (e->ref.kind) {
      case RefKind::kInput: {
        uint32_t input = Leaf(NodeKind::kInput, &input_, e);
        return Field(input, item_.input, e->ref.index, e);
      }
      case RefKind::kLet: {
        uint32_t& slot = let_nodes_[e->ref.index];
        if (slot == kNoNode) {
          Env let_env;
          slot = Lower(item_.decl->lets[e->ref.index].value, let_env);
        }
        return slot;
      }
      case RefKind::kParam: return (*env.params)[e->ref.index];
      case RefKind::kBinder: return env.binders.at(e->ref.binder);
      case RefKind::kOutput: return OutputNode(e->ref.index);
      case RefKind::kLicence: return LicenceNode(e->ref.index, e);
      case RefKind::kContext: return ContextRoot(e);
      case RefKind::kSubject: {
        uint32_t node = Field(ContextRoot(e), p_.context_type, p_.context_type->FieldIndex("subject"), e);
        g_.nodes[node].label = g_.AddLabel("subject");
        return node;
      }
      default: break;
    }
    diags_.Error(dsl::ErrorCode::kNotAValue, e->span, "internal: '" + e->name + "' cannot be lowered here");
    throw LowerAbort{};
  }

  uint32_t LowerCall(const Expr* e, Env& env) {
    std::vector<uint32_t> args;
    for (const Expr* a : e->args) args.push_back(Lower(a, env));
    if (e->ref.kind == RefKind::kDef) {
      std::vector<uint32_t> key{e->ref.index};
      for (uint32_t a : args) key.push_back(value_number_[a]);
      auto known = def_calls_.find(key);
      if (known != def_calls_.end()) return known->second;
      const dsl::DefDecl& def = *p_.defs[e->ref.index];
      Env def_env;
      def_env.params = &args;
      uint32_t node = Lower(def.body, def_env);
      def_calls_.emplace(std::move(key), node);
      return node;
    }
    if (e->ref.kind == RefKind::kDecision) {
      const dsl::DecisionDecl& d = *p_.decisions[e->ref.index];
      std::vector<uint32_t> operands = args;
      for (const dsl::DecisionDecl::Row& row : d.rows) {
        Env row_env;
        row_env.params = &args;
        operands.push_back(Lower(row.output, row_env));
      }
      uint32_t node = Variadic(NodeKind::kDecision, 0, operands, e);
      g_.nodes[node].c = e->ref.index;
      return node;
    }
    auto builtin = static_cast<dsl::Builtin>(e->ref.index);
    if (builtin == dsl::Builtin::kExists) return Unary(NodeKind::kExists, args[0], e);
    return Variadic(NodeKind::kCall, static_cast<uint8_t>(builtin), args, e);
  }

  uint32_t LowerBinary(const Expr* e, Env& env) {
    const Expr *lhs = e->args[0], *rhs = e->args[1];
    switch (e->op) {
      case dsl::Op::kIn:
      case dsl::Op::kNotIn: {
        uint32_t x = Lower(lhs, env);
        uint32_t in;
        if (rhs->type->kind == dsl::TypeKind::kTable) {
          Node n;
          n.kind = NodeKind::kInTable;
          n.a = x;
          n.b = rhs->ref.index;
          in = Add(n, e);
        } else {
          in = Binary(NodeKind::kInList, x, Lower(rhs, env), e);
        }
        return e->op == dsl::Op::kIn ? in : Unary(NodeKind::kNot, in, e);
      }
      case dsl::Op::kMatches: {
        g_.regexes.push_back(regexes_->Get(rhs->lit.s));
        g_.regex_sources.push_back(rhs->lit.s);
        Node n;
        n.kind = NodeKind::kMatches;
        n.a = Lower(lhs, env);
        n.b = static_cast<uint32_t>(g_.regexes.size() - 1);
        return Add(n, e);
      }
      case dsl::Op::kAnd: return Binary(NodeKind::kAnd, Lower(lhs, env), Lower(rhs, env), e);
      case dsl::Op::kOr: return Binary(NodeKind::kOr, Lower(lhs, env), Lower(rhs, env), e);
      case dsl::Op::kCoalesce: return Binary(NodeKind::kCoalesce, Lower(lhs, env), Lower(rhs, env), e);
      case dsl::Op::kAdd:
      case dsl::Op::kSub:
      case dsl::Op::kMul:
      case dsl::Op::kDiv:
      case dsl::Op::kMod: {
        Node n;
        n.kind = NodeKind::kArith;
        n.op = static_cast<uint8_t>(ArithOf(e->op));
        n.cls = static_cast<uint8_t>(ClassifyArith(lhs->type, rhs->type));
        n.a = Lower(lhs, env);
        n.b = Lower(rhs, env);
        return Add(n, e);
      }
      default: {
        Node n;
        n.kind = NodeKind::kCompare;
        n.op = static_cast<uint8_t>(CompareOf(e->op));
        n.cls = static_cast<uint8_t>(ClassifyCompare(lhs->type, rhs->type));
        n.a = Lower(lhs, env);
        n.b = Lower(rhs, env);
        return Add(n, e);
      }
    }
  }

  // The ingest plan: for each record position the rules read, its slots.
  // The request context names its fields `subject` and `context.town`.
  int32_t BuildPlan(const dsl::Type* type, const std::string& path, bool context_root = false) {
    while (type->kind == dsl::TypeKind::kList) type = type->elem;
    if (type->kind != dsl::TypeKind::kRecord) return -1;
    uint32_t shape = ShapeOf(type);
    int32_t index = static_cast<int32_t>(g_.plan.size());
    g_.plan.emplace_back();
    std::vector<PlanField> fields;
    for (uint32_t slot = 0; slot < g_.shapes[shape].fields.size(); ++slot) {
      const dsl::RecordField& f = type->fields[g_.shapes[shape].fields[slot]];
      PlanField pf;
      pf.name = f.name;
      pf.type = f.type;
      pf.slot = slot;
      pf.fixed = f.fixed;
      std::string field_path = context_root   ? (f.name == "subject" ? f.name : "context." + f.name)
                               : path.empty() ? f.name
                                              : path + "." + f.name;
      for (const dsl::Type* t = f.type;; t = t->elem) {
        g_.paths.push_back(field_path);
        pf.paths.push_back(static_cast<uint32_t>(g_.paths.size() - 1));
        if (t->kind != dsl::TypeKind::kList) break;
        field_path += "[]";
      }
      pf.child = BuildPlan(f.type, field_path);
      fields.push_back(std::move(pf));
    }
    g_.plan[index].shape = shape;
    g_.plan[index].size = static_cast<uint32_t>(g_.shapes[shape].fields.size());
    g_.plan[index].fields = std::move(fields);
    g_.BuildKeys(index);
    return index;
  }

  const dsl::Program& p_;
  const dsl::ItemVersion& item_;
  Graph& g_;
  RegexPool* regexes_;
  size_t max_nodes_;
  dsl::Diagnostics& diags_;
  std::vector<uint32_t> height_;
  std::vector<uint32_t> value_number_;
  std::unordered_map<std::string, uint32_t> structural_;
  std::map<std::vector<uint32_t>, uint32_t> def_calls_;  // def and its arguments' value numbers → result
  uint32_t depth_ = 0;
  std::vector<uint32_t> let_nodes_, output_nodes_, licence_nodes_;
  std::unordered_map<std::string, uint32_t> shape_index_;
  std::unordered_map<uint64_t, uint32_t> labels_;
  uint32_t input_ = kNoNode, today_ = kNoNode, context_ = kNoNode;
};

}  // namespace

bool LowerItem(const dsl::Program& program, size_t item, Graph* out, RegexPool& regexes, size_t max_nodes,
               dsl::Diagnostics& diags) {
  try {
    Lowerer(program, item, *out, regexes, max_nodes, diags).Run();
    return true;
  } catch (const LowerAbort&) {
    return false;
  }
}

}  // namespace miaopi::engine
