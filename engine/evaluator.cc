#include "engine/evaluator.h"

#include "engine/eval_node.h"

namespace miaopi::engine {

namespace {

class Sweep {
 public:
  Sweep(const Graph& g, NodeContext& ctx, EvalState& st)
      : nodes_(g.nodes.data()), values_(st.values.data()), decided_(st.decided.data()), ctx_(ctx), st_(st) {}

  void Run(uint32_t begin, uint32_t end) {
    for (uint32_t i = begin; i < end; ++i) {
      const Node& n = nodes_[i];
      switch (n.kind) {
        case NodeKind::kBinder:
          i = n.b - 1;  // jump to the loop node, which runs the block
          break;
        case NodeKind::kAll:
        case NodeKind::kAny:
        case NodeKind::kCountIf:
        case NodeKind::kSum:
        case NodeKind::kMin:
        case NodeKind::kMax: Loop(i); break;
        default: values_[i] = EvalNode(n, values_, ctx_); break;
      }
    }
  }

 private:
  void Loop(uint32_t q) {
    const Node& loop = nodes_[q];
    uint32_t binder = loop.a;
    const Value list = values_[nodes_[binder].a];
    decided_[q] = UINT32_MAX;
    if (!list.known()) {
      values_[q] = list;
      return;
    }
    ops::LoopAccumulator acc(loop.kind, st_.causes);
    for (uint32_t k = 0; k < list.len; ++k) {
      values_[binder] = list.list[k];
      Run(binder + 1, q);
      if (!acc.Add(values_[loop.b])) {
        decided_[q] = k;
        break;
      }
    }
    values_[q] = acc.Result();
  }

  const Node* nodes_;
  Value* values_;
  uint32_t* decided_;
  NodeContext& ctx_;
  EvalState& st_;
};

}  // namespace

void RunGraph(const Graph& g, const std::vector<CompiledTable>& tables, const Value* input, int32_t today,
              EvalState& state) {
  if (state.values.size() < g.nodes.size()) {
    state.values.resize(g.nodes.size());
    state.decided.resize(g.nodes.size());
  }
  NodeContext ctx;
  ctx.graph = &g;
  ctx.tables = &tables;
  ctx.kernel.causes = &state.causes;
  ctx.kernel.strings = &state.strings;
  ctx.lists = &state.slots;
  ctx.input = input;
  ctx.today = today;
  Sweep(g, ctx, state).Run(0, static_cast<uint32_t>(g.nodes.size()));
}

}  // namespace miaopi::engine
