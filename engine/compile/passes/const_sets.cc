// const-sets: `x in [constants]` becomes a hash-set probe instead of a scan.
#include "engine/compile/passes/rewrite.h"

namespace miaopi::engine {

bool ConstSets(Graph& g, const PassInputs&) {
  bool changed = false;
  for (Node& n : g.nodes) {
    if (n.kind != NodeKind::kInList || !IsConst(g, n.b)) continue;
    const Value& list = ConstOf(g, n.b);
    if (list.kind != ValueKind::kList) continue;
    ScalarSet set;
    bool ok = true;
    for (uint32_t i = 0; i < list.len && ok; ++i) {
      ok = list.list[i].known() && list.list[i].kind != ValueKind::kList && list.list[i].kind != ValueKind::kRecord;
      if (ok) set.TryEmplace(list.list[i], true);
    }
    if (!ok) continue;
    g.sets.push_back(std::move(set));
    n.kind = NodeKind::kInSet;
    n.b = static_cast<uint32_t>(g.sets.size() - 1);
    changed = true;
  }
  return changed;
}

}  // namespace miaopi::engine
