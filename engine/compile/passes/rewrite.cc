#include "engine/compile/passes/rewrite.h"

#include <algorithm>
#include <iterator>

namespace miaopi::engine {

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
