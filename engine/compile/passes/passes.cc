// The optimization passes. Each takes the unscheduled graph (nodes in
// creation order: operands first; a loop's binder, then its body, then the
// loop node) and either rewrites nodes in place or redirects their users to
// an equivalent node; Schedule later drops whatever nothing reads.
#include "engine/compile/passes/passes.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "engine/runtime/eval_node.h"

namespace miaopi::engine {

namespace {

// Points every operand (and rule condition) x at forward[x]; true when
// some reference moved. Nodes left without readers stay until Schedule.
bool Redirect(Graph& g, std::vector<uint32_t>& forward) {
  auto resolve = [&](uint32_t x) {
    while (forward[x] != x) x = forward[x];
    return x;
  };
  bool moved = false;
  auto update = [&](uint32_t& op) {
    uint32_t to = resolve(op);
    moved |= to != op;
    op = to;
  };
  for (Node& n : g.nodes) ForEachOperand(g, n, update);
  for (RuleInfo& r : g.rules) update(r.cond);
  for (OutputInfo& o : g.outputs) update(o.node);
  return moved;
}

std::vector<uint32_t> Identity(size_t n) {
  std::vector<uint32_t> f(n);
  for (uint32_t i = 0; i < n; ++i) f[i] = i;
  return f;
}

bool IsConst(const Graph& g, uint32_t id) { return g.nodes[id].kind == NodeKind::kConst; }
const Value& ConstOf(const Graph& g, uint32_t id) { return g.consts[g.nodes[id].a]; }

// ------------------------------------------------------------------ cse

// Structural key of a node, its operands given by value number.
std::string NodeKey(const Graph& g, const Node& n, const std::vector<uint32_t>& vn) {
  std::string key;
  key += static_cast<char>(n.kind);
  key += static_cast<char>(n.op);
  key += static_cast<char>(n.cls);
  auto put = [&](uint32_t x) { key.append(reinterpret_cast<const char*>(&x), sizeof x); };
  switch (n.kind) {
    case NodeKind::kConst: put(n.a); break;
    case NodeKind::kField:
    case NodeKind::kColumn:
      put(vn[n.a]);
      put(n.b);
      put(n.c);
      break;
    case NodeKind::kRow:
    case NodeKind::kInSet:
    case NodeKind::kInTable:
    case NodeKind::kMatches:
      put(vn[n.a]);
      put(n.b);
      break;
    case NodeKind::kCall:
    case NodeKind::kMakeList:
    case NodeKind::kDecision:
      for (uint32_t i = 0; i < n.b; ++i) put(vn[g.operands[n.a + i]]);
      put(n.c);
      break;
    default: ForEachOperand(g, n, [&](uint32_t op) { put(vn[op]); });
  }
  put(n.d);
  return key;
}

class AlphaSignature {
 public:
  AlphaSignature(const Graph& g, const std::vector<uint32_t>& vn, const std::vector<std::vector<uint32_t>>& free)
      : g_(g), vn_(vn), free_(free) {}

  // A text that is equal for two loops exactly when they are the same loop
  // up to the name of their binder.
  std::string Of(uint32_t loop) {
    memo_.clear();
    names_.clear();
    return Sig(loop, true);
  }

 private:
  bool DependsOnNamed(uint32_t id) const {
    for (uint32_t b : free_[id]) {
      if (names_.count(b)) return true;
    }
    return false;
  }

  std::string Sig(uint32_t id, bool top = false) {
    const Node& n = g_.nodes[id];
    if (!top && !DependsOnNamed(id)) return "#" + std::to_string(vn_[id]);
    auto named = names_.find(id);
    if (named != names_.end()) return named->second;
    auto memo = memo_.find(id);
    if (memo != memo_.end()) return memo->second;
    std::string s = "(" + std::string(NodeKindName(n.kind)) + "/" + std::to_string(n.op) + "/" + std::to_string(n.cls);
    if (IsLoop(n.kind)) {
      uint32_t binder = n.a;
      s += " " + Sig(g_.nodes[binder].a);  // the list
      names_[binder] = "b" + std::to_string(names_.size());
      s += " " + Sig(n.b);
      names_.erase(binder);
    } else if (n.kind == NodeKind::kBinder) {
      s += " " + Sig(n.a);  // a binder of an outer loop not named here: identity
      s += "#" + std::to_string(id);
    } else {
      switch (n.kind) {
        case NodeKind::kConst: s += " c" + std::to_string(n.a); break;
        case NodeKind::kField:
        case NodeKind::kColumn: s += " " + std::to_string(n.b) + "." + std::to_string(n.c); break;
        case NodeKind::kRow:
        case NodeKind::kInSet:
        case NodeKind::kInTable:
        case NodeKind::kMatches: s += " p" + std::to_string(n.b); break;
        default: break;
      }
      if (n.kind == NodeKind::kDecision) s += " d" + std::to_string(n.c);
      if (n.kind == NodeKind::kLicence) s += " u" + std::to_string(n.d);
      if (n.kind == NodeKind::kCall || n.kind == NodeKind::kMakeList || n.kind == NodeKind::kDecision) {
        for (uint32_t i = 0; i < n.b; ++i) s += " " + Sig(g_.operands[n.a + i]);
      } else if (n.kind != NodeKind::kConst) {
        ForEachOperand(g_, n, [&](uint32_t op) { s += " " + Sig(op); });
      }
    }
    s += ")";
    memo_[id] = s;
    return s;
  }

  const Graph& g_;
  const std::vector<uint32_t>& vn_;
  const std::vector<std::vector<uint32_t>>& free_;
  std::unordered_map<uint32_t, std::string> memo_;
  std::map<uint32_t, std::string> names_;
};

// Common subexpressions: equal nodes (and loops equal up to their binder's
// name) become one, so a field read, age(…) or a licence search shared by
// several rules is computed once per application.
bool Cse(Graph& g) {
  size_t n = g.nodes.size();
  std::vector<uint32_t> vn(n), forward = Identity(n);
  std::vector<std::vector<uint32_t>> free = FreeBinders(g);
  std::unordered_map<std::string, uint32_t> seen;  // key → representative
  AlphaSignature alpha(g, vn, free);
  bool changed = false;
  for (uint32_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    std::string key;
    if (node.kind == NodeKind::kBinder) {
      key = "binder#" + std::to_string(i);  // distinct until its loop proves equal
    } else if (IsLoop(node.kind)) {
      key = "loop" + alpha.Of(i);
    } else {
      key = NodeKey(g, node, vn);
    }
    auto [it, inserted] = seen.emplace(std::move(key), i);
    vn[i] = it->second;
    if (!inserted) {
      forward[i] = it->second;
      changed = true;
    }
  }
  return changed && Redirect(g, forward);
}

// ------------------------------------------------------------------ fold

bool Foldable(NodeKind k) {
  switch (k) {
    case NodeKind::kConst:
    case NodeKind::kToday:
    case NodeKind::kInput:
    case NodeKind::kField:
    case NodeKind::kBinder:
    case NodeKind::kAll:
    case NodeKind::kAny:
    case NodeKind::kCountIf:
    case NodeKind::kSum:
    case NodeKind::kMin:
    case NodeKind::kMax:
    case NodeKind::kContext:
    case NodeKind::kLicence: return false;
    default: return true;
  }
}

// Copies a folded value's storage into the graph when it lives in scratch memory.
Value Persist(Graph& g, const Value& v) {
  if (v.kind == ValueKind::kString) {
    return Value::String(g.const_strings.emplace_back(v.string()));
  }
  return v;
}

// Constant folding: a node whose operands are all constants becomes a
// constant, computed by the evaluator's own EvalNode. Unknown results stay
// for run time (their causes belong to an evaluation).
bool Fold(Graph& g, const std::vector<CompiledTable>& tables, const std::vector<CompiledDecision>& decisions) {
  CauseArena causes;
  StringArena strings;
  BumpArena<Value> lists;
  NodeContext ctx;
  ctx.graph = &g;
  ctx.tables = &tables;
  ctx.decisions = &decisions;
  ctx.kernel.causes = &causes;
  ctx.kernel.strings = &strings;
  ctx.lists = &lists;
  std::vector<Value> values(g.nodes.size());
  bool changed = false;
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    Node& n = g.nodes[i];
    if (!Foldable(n.kind)) {
      if (n.kind == NodeKind::kConst) values[i] = g.consts[n.a];
      continue;
    }
    bool all_const = true;
    ForEachOperand(g, n, [&](uint32_t op) { all_const &= IsConst(g, op); });
    if (!all_const) continue;
    Value v;
    if (n.kind == NodeKind::kMakeList) {
      std::vector<Value>& stored = g.const_lists.emplace_back();
      for (uint32_t k = 0; k < n.b; ++k) stored.push_back(ConstOf(g, g.operands[n.a + k]));
      v = Value::List(stored.data(), static_cast<uint32_t>(stored.size()));
    } else {
      causes.Reset();
      v = EvalNode(n, values.data(), ctx);
      if (!v.known()) continue;
      v = Persist(g, v);
    }
    uint32_t label = n.label;
    n = Node{};
    n.kind = NodeKind::kConst;
    n.a = v.kind == ValueKind::kString ? g.AddStringConst(v.string()) : g.AddConst(v);
    n.label = label;
    values[i] = g.consts[n.a];
    changed = true;
  }
  return changed;
}

// ------------------------------------------------------------------ simplify

// Three-valued identities that hold whatever the other operand is:
// false and x = false, true and x = x, true or x = true, false or x = x,
// not not x = x, if true/false, known ?? x = known, x and x = x.
bool Simplify(Graph& g) {
  std::vector<uint32_t> forward = Identity(g.nodes.size());
  bool changed = false;
  auto bool_const = [&](uint32_t id, bool value) {
    return IsConst(g, id) && ConstOf(g, id).kind == ValueKind::kBool && ConstOf(g, id).b == value;
  };
  auto resolve = [&](uint32_t x) {
    while (forward[x] != x) x = forward[x];
    return x;
  };
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    bool logical = n.kind == NodeKind::kAnd || n.kind == NodeKind::kOr || n.kind == NodeKind::kNot ||
                   n.kind == NodeKind::kIf || n.kind == NodeKind::kCoalesce;
    if (!logical) continue;
    uint32_t a = resolve(n.a);
    uint32_t b = n.kind == NodeKind::kNot ? a : resolve(n.b);
    uint32_t to = i;
    switch (n.kind) {
      case NodeKind::kAnd:
        if (bool_const(a, false) || bool_const(b, true) || a == b) to = a;
        else if (bool_const(b, false) || bool_const(a, true)) to = b;
        break;
      case NodeKind::kOr:
        if (bool_const(a, true) || bool_const(b, false) || a == b) to = a;
        else if (bool_const(b, true) || bool_const(a, false)) to = b;
        break;
      case NodeKind::kNot:
        if (g.nodes[a].kind == NodeKind::kNot) to = resolve(g.nodes[a].a);
        break;
      case NodeKind::kIf:
        if (bool_const(a, true)) to = b;
        else if (bool_const(a, false)) to = resolve(n.c);
        break;
      case NodeKind::kCoalesce:
        if (IsConst(g, a) || a == b) to = a;
        break;
      default: break;
    }
    if (to != i) {
      forward[i] = to;
      changed = true;
    }
  }
  return changed && Redirect(g, forward);
}

// ------------------------------------------------------------------ const-sets

// `x in [constants]` becomes a hash-set probe instead of a scan.
bool ConstSets(Graph& g) {
  bool changed = false;
  for (Node& n : g.nodes) {
    if (n.kind != NodeKind::kInList || !IsConst(g, n.b)) continue;
    const Value& list = ConstOf(g, n.b);
    if (list.kind != ValueKind::kList) continue;
    ScalarSet set;
    bool ok = true;
    for (uint32_t i = 0; i < list.len && ok; ++i) {
      ok = list.list[i].known() && list.list[i].kind != ValueKind::kList && list.list[i].kind != ValueKind::kRecord;
      if (ok) set.insert(list.list[i]);
    }
    if (!ok) continue;
    g.sets.push_back(std::move(set));
    n.kind = NodeKind::kInSet;
    n.b = static_cast<uint32_t>(g.sets.size() - 1);
    changed = true;
  }
  return changed;
}

const std::vector<PassInfo> kPasses = {
    {"cse", "merge equal nodes, and loops equal up to their binder's name"},
    {"fold", "compute nodes whose operands are all constants"},
    {"simplify", "three-valued identities: false and x, true or x, not not x, if on a constant"},
    {"const-sets", "turn `x in [constants]` into a hash-set probe"},
};

}  // namespace

const std::vector<PassInfo>& AllPasses() { return kPasses; }

bool IsPassName(std::string_view name) {
  return std::any_of(kPasses.begin(), kPasses.end(), [&](const PassInfo& p) { return p.name == name; });
}

bool OptimizeOptions::Enabled(std::string_view pass) const {
  return std::find(disabled.begin(), disabled.end(), pass) == disabled.end();
}

void Optimize(Graph& g, const std::vector<CompiledTable>& tables, const std::vector<CompiledDecision>& decisions,
              const OptimizeOptions& options, std::vector<std::string>* log) {
  constexpr int kMaxRounds = 8;
  for (int round = 1; round <= kMaxRounds; ++round) {
    bool any = false;
    auto run = [&](std::string_view name, auto&& pass) {
      if (!options.Enabled(name)) return;
      if (pass()) {
        any = true;
        if (log) log->push_back("round " + std::to_string(round) + ": " + std::string(name) + " changed the graph");
      }
    };
    run("cse", [&] { return Cse(g); });
    run("fold", [&] { return Fold(g, tables, decisions); });
    run("simplify", [&] { return Simplify(g); });
    run("const-sets", [&] { return ConstSets(g); });
    if (!any) break;
  }
}

std::vector<std::vector<uint32_t>> FreeBinders(const Graph& g) {
  std::vector<std::vector<uint32_t>> free(g.nodes.size());
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    std::vector<uint32_t> f;
    auto merge = [&](uint32_t op) {
      std::vector<uint32_t> out;
      std::set_union(f.begin(), f.end(), free[op].begin(), free[op].end(), std::back_inserter(out));
      f.swap(out);
    };
    ForEachOperand(g, n, merge);
    if (n.kind == NodeKind::kBinder) {
      f.insert(std::upper_bound(f.begin(), f.end(), i), i);
    } else if (IsLoop(n.kind)) {
      f.erase(std::remove(f.begin(), f.end(), n.a), f.end());
    }
    free[i] = std::move(f);
  }
  return free;
}

}  // namespace miaopi::engine
