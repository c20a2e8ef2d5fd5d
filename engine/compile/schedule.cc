// Schedule: the final layout of a graph for the evaluator's sweep.
//   - only nodes some rule needs are kept;
//   - operands come before their users;
//   - each loop is a block: its binder, then the nodes that depend on the
//     binder (the body), then the loop node. Nodes that do not depend on the
//     binder are placed before the block, so they run once, not per element.
#include <algorithm>
#include <unordered_set>

#include "engine/compile/passes/passes.h"

namespace miaopi::engine {

namespace {

class Scheduler {
 public:
  explicit Scheduler(Graph& g) : g_(g), n_(g.nodes.size()) {}

  void Run() {
    free_ = FreeBinders(g_);
    loop_of_.assign(n_, kNoNode);
    for (uint32_t i = 0; i < n_; ++i) {
      if (IsLoop(g_.nodes[i].kind)) loop_of_[g_.nodes[i].a] = i;
    }
    depth_.assign(n_, 0);
    scope_.assign(n_, kNoNode);
    for (uint32_t i = 0; i < n_; ++i) {
      uint32_t best = kNoNode;
      for (uint32_t b : free_[i]) {
        if (b == i) continue;
        if (best == kNoNode || depth_[b] > depth_[best]) best = b;
      }
      if (g_.nodes[i].kind == NodeKind::kBinder) {
        // The binder's own scope is itself; its depth is one below the
        // deepest binder its loop (not the body) depends on.
        uint32_t loop = loop_of_[i];
        uint32_t outer = kNoNode;
        if (loop != kNoNode) {
          for (uint32_t b : free_[loop]) {
            if (outer == kNoNode || depth_[b] > depth_[outer]) outer = b;
          }
        }
        depth_[i] = (outer == kNoNode ? 0 : depth_[outer]) + 1;
        scope_[i] = i;
        continue;
      }
      scope_[i] = best;
    }
    placed_.assign(n_, false);
    for (const RuleInfo& r : g_.rules) Emit(r.cond);
    for (const OutputInfo& o : g_.outputs) Emit(o.node);
    Rewrite();
  }

 private:
  // The binder of the loop that encloses binder b, or kNoNode.
  uint32_t Parent(uint32_t b) const {
    uint32_t loop = loop_of_[b];
    return loop == kNoNode ? kNoNode : scope_[loop];
  }

  bool Within(uint32_t scope, uint32_t binder) const {
    for (uint32_t s = scope; s != kNoNode; s = Parent(s)) {
      if (s == binder) return true;
    }
    return false;
  }

  void Place(uint32_t i) {
    placed_[i] = true;
    order_.push_back(i);
  }

  void Emit(uint32_t i) {
    if (placed_[i]) return;
    const Node& n = g_.nodes[i];
    if (IsLoop(n.kind)) {
      EmitLoop(i);
      return;
    }
    ForEachOperand(g_, n, [&](uint32_t op) { Emit(op); });
    Place(i);
  }

  void EmitLoop(uint32_t loop) {
    uint32_t binder = g_.nodes[loop].a;
    uint32_t body = g_.nodes[loop].b;
    // What the block reads from outside it, placed before the block.
    std::vector<uint32_t> stack = {body, binder};
    std::unordered_set<uint32_t> seen;
    std::vector<uint32_t> outside;
    while (!stack.empty()) {
      uint32_t m = stack.back();
      stack.pop_back();
      if (!seen.insert(m).second) continue;
      if (!Within(scope_[m], binder)) {
        outside.push_back(m);
        continue;
      }
      ForEachOperand(g_, g_.nodes[m], [&](uint32_t op) { stack.push_back(op); });
    }
    std::sort(outside.begin(), outside.end());  // creation order is topological
    for (uint32_t m : outside) Emit(m);
    Place(binder);
    if (Within(scope_[body], binder)) Emit(body);
    Place(loop);
  }

  void Rewrite() {
    std::vector<uint32_t> index(n_, kNoNode);
    for (uint32_t k = 0; k < order_.size(); ++k) index[order_[k]] = k;
    std::vector<Node> nodes;
    std::vector<uint32_t> operands;
    nodes.reserve(order_.size());
    for (uint32_t old : order_) {
      Node n = g_.nodes[old];
      if (InfoOf(n.kind).shape == OperandShape::kList) {
        uint32_t start = static_cast<uint32_t>(operands.size());
        for (uint32_t i = 0; i < n.b; ++i) operands.push_back(index[g_.operands[n.a + i]]);
        n.a = start;
      } else {
        ForEachOperand(g_, n, [&](uint32_t& op) { op = index[op]; });
      }
      if (n.kind == NodeKind::kBinder) n.b = index[loop_of_[old]];
      nodes.push_back(n);
    }
    g_.nodes = std::move(nodes);
    g_.sweep_nodes.assign(g_.nodes.begin(), g_.nodes.end());
    g_.operands = std::move(operands);
    for (RuleInfo& r : g_.rules) r.cond = index[r.cond];
    for (OutputInfo& o : g_.outputs) o.node = index[o.node];
    g_.scheduled = true;
  }

  Graph& g_;
  size_t n_;
  std::vector<std::vector<uint32_t>> free_;
  std::vector<uint32_t> loop_of_, depth_, scope_, order_;
  std::vector<bool> placed_;
};

}  // namespace

void Schedule(Graph& g) { Scheduler(g).Run(); }

}  // namespace miaopi::engine
