// fold: constant folding. A node whose operands are all constants becomes a
// constant, computed by the evaluator's own EvalNode, so folding and run
// time agree by construction. Unknown results stay for run time (their
// causes belong to an evaluation).
#include "engine/compile/passes/rewrite.h"
#include "engine/runtime/eval_node.h"

namespace miaopi::engine {

namespace {

// Copies a folded value's storage into the graph when it lives in scratch memory.
Value Persist(Graph& g, const Value& v) {
  if (v.kind == ValueKind::kString) {
    return Value::String(g.const_strings.emplace_back(v.string()));
  }
  return v;
}

}  // namespace

bool Fold(Graph& g, const PassInputs& in) {
  CauseArena causes;
  StringArena strings;
  BumpArena<Value> lists;
  NodeContext ctx;
  ctx.graph = &g;
  ctx.tables = &in.tables;
  ctx.decisions = &in.decisions;
  ctx.kernel.causes = &causes;
  ctx.kernel.strings = &strings;
  ctx.lists = &lists;
  std::vector<Value> values(g.nodes.size());
  bool changed = false;
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    Node& n = g.nodes[i];
    if (!IsFoldable(n.kind)) {
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

}  // namespace miaopi::engine
