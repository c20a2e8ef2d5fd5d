#include "engine/runtime/sweep.h"

#include <algorithm>
#include <cstring>

#include "dsl/date.h"
#include "engine/runtime/eval_node.h"
#include "engine/runtime/ingest.h"
#include "engine/runtime/licence_lookup.h"

namespace miaopi::engine {

namespace {

// The order of two known values of the commonest classes, as
// ops::Comparison computes it; false for the rest (left to it). A string's
// equality compares lengths first.
inline bool QuickOrder(CompareClass cls, Compare op, const Value& a, const Value& b, int* order) {
  switch (cls) {
    case CompareClass::kInt: *order = (a.i > b.i) - (a.i < b.i); return true;
    case CompareClass::kDate: *order = (a.date > b.date) - (a.date < b.date); return true;
    case CompareClass::kString:
      if (op != Compare::kEq && op != Compare::kNe) return false;
      *order = a.len == b.len && (a.len == 0 || std::memcmp(a.str, b.str, a.len) == 0) ? 0 : 1;
      return true;
    default: return false;
  }
}

class Sweep {
 public:
  Sweep(const Graph& g, const RunInputs& in, NodeContext& ctx, EvalState& st)
      : g_(g), in_(in), nodes_(g.sweep_nodes.data()), consts_(g.consts.data()), values_(st.values.data()),
        decided_(st.decided.data()), ctx_(ctx), st_(st) {}

  void Run(uint32_t begin, uint32_t end) {
    for (uint32_t i = begin; i < end; ++i) {
      const NodeCore& n = nodes_[i];
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
        case NodeKind::kLicence:
          if (!in_.keep_licences) values_[i] = Licence(g_.nodes[i]);
          break;
        // The commonest nodes, too small for a call (a third of a graph's
        // nodes are fields and constants); EvalNode has the same cases.
        case NodeKind::kField: {
          const Value& record = values_[n.a];
          values_[i] = record.known() ? record.record[n.b] : record;
          break;
        }
        case NodeKind::kConst: values_[i] = consts_[n.a]; break;
        case NodeKind::kCompare: {
          const Value &a = values_[n.a], &b = values_[n.b];
          int order;
          if (a.known() && b.known() &&
              QuickOrder(static_cast<CompareClass>(n.cls), static_cast<Compare>(n.op), a, b, &order)) {
            values_[i] = Value::Bool(ops::Satisfies(static_cast<Compare>(n.op), order));
          } else {
            values_[i] = EvalNode(n, values_, ctx_);
          }
          break;
        }
        case NodeKind::kNot: {
          const Value& a = values_[n.a];
          values_[i] = a.known() ? Value::Bool(!a.b) : a;
          break;
        }
        case NodeKind::kAnd: {
          const Value &a = values_[n.a], &b = values_[n.b];
          values_[i] = a.known() && b.known() ? Value::Bool(a.b && b.b) : ops::And(a, b, st_.causes);
          break;
        }
        case NodeKind::kOr: {
          const Value &a = values_[n.a], &b = values_[n.b];
          values_[i] = a.known() && b.known() ? Value::Bool(a.b || b.b) : ops::Or(a, b, st_.causes);
          break;
        }
        default: values_[i] = EvalNode(n, values_, ctx_); break;
      }
    }
  }

 private:
  void Loop(uint32_t q) {
    const NodeCore& loop = nodes_[q];
    uint32_t binder = loop.a;
    const Value list = values_[nodes_[binder].a];
    decided_[q] = UINT32_MAX;
    if (!list.known()) {
      values_[q] = list;
      return;
    }
    ops::LoopAccumulator acc(loop.kind, st_.causes);
    st_.loop_work += static_cast<uint64_t>(list.len) * (q - binder);
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

  // `uses licence TYPE as NAME [for KEY]`: asks the store once per
  // evaluation (the node is shared by every rule that reads the licence).
  Value Licence(const Node& n) {
    const Value &key = values_[n.a], &kind = values_[n.b], &id = values_[n.c];
    if (!kind.known() || !id.known()) return ops::EitherUnknown(kind, id, st_.causes);
    if (!key.known()) return key;
    if (in_.licences == nullptr) return Value::Unknown(st_.causes.Licence(n.d, LicenceProblem::kNoStore));
    const LicenceUse& use = g_.licences[n.d];
    const LicenceAnswer* answer = st_.licences.Find(*in_.licences, use.type, key.string());
    if (answer == nullptr) return Value::Unknown(st_.causes.Licence(n.d, LicenceProblem::kStoreError));
    LicenceProblem problem;
    const rapidjson::Value* chosen = ChooseLicence(*answer, use.type, kind.string(), id.string(), in_.today, &problem);
    if (chosen == nullptr) return Value::Unknown(st_.causes.Licence(n.d, problem));
    IngestError error;
    const Value* slots = IngestRecord(g_, *chosen, use.plan, in_.max_list_length, st_, &error);
    if (slots == nullptr) return Value::Unknown(st_.causes.Licence(n.d, LicenceProblem::kStoreError));
    return Value::Record(slots);
  }

  const Graph& g_;
  const RunInputs& in_;
  const NodeCore* nodes_;
  const Value* consts_;
  Value* values_;
  uint32_t* decided_;
  NodeContext& ctx_;
  EvalState& st_;
};

}  // namespace

NodeContext MakeNodeContext(const Graph& g, const RunInputs& in, EvalState& state) {
  NodeContext ctx;
  ctx.graph = &g;
  ctx.tables = in.tables;
  ctx.decisions = in.decisions;
  ctx.kernel.causes = &state.causes;
  ctx.kernel.strings = &state.strings;
  ctx.lists = &state.slots;
  ctx.input = in.input;
  ctx.context = in.context;
  ctx.today = in.today;
  return ctx;
}

void RunGraph(const Graph& g, const RunInputs& in, EvalState& state) {
  if (state.values.size() < g.nodes.size()) {
    state.values.resize(g.nodes.size());
    state.decided.resize(g.nodes.size());
  }
  NodeContext ctx = MakeNodeContext(g, in, state);
  Sweep(g, in, ctx, state).Run(0, static_cast<uint32_t>(g.nodes.size()));
}

namespace {

bool SameValue(const Value& a, const Value& b) {
  if (a.kind != b.kind || a.len != b.len) return false;
  uint64_t x, y;
  std::memcpy(&x, &a.i, sizeof x);
  std::memcpy(&y, &b.i, sizeof y);
  return x == y;
}

}  // namespace

void RunGraphChanged(const Graph& g, const RunInputs& in, EvalState& state, const std::vector<const Value*>& touched) {
  NodeContext ctx = MakeNodeContext(g, in, state);
  Sweep sweep(g, in, ctx, state);
  const uint32_t n = static_cast<uint32_t>(g.nodes.size());
  std::vector<uint8_t>& changed = state.changed;
  changed.assign(n, 0);
  // A list or record whose elements were written has the same value (where
  // they are, how many) and yet changed.
  auto touched_inside = [&](const Value& v) {
    const Value* at = v.kind == ValueKind::kList ? v.list : v.kind == ValueKind::kRecord ? v.record : nullptr;
    return at != nullptr && std::find(touched.begin(), touched.end(), at) != touched.end();
  };
  auto rerun = [&](uint32_t from, uint32_t to, uint32_t result) {
    Value before = state.values[result];
    sweep.Run(from, to);
    const Value& now = state.values[result];
    changed[result] = !SameValue(before, now) || touched_inside(now);
  };
  for (uint32_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    switch (node.kind) {
      case NodeKind::kConst:
      case NodeKind::kToday:
      case NodeKind::kInput:
      case NodeKind::kContext: continue;
      case NodeKind::kLicence:
        if (!in.keep_licences) break;
        continue;
      case NodeKind::kBinder: {
        // The block [i, q] again when its list changed (or inside), or a
        // node it reads from before the block did.
        uint32_t q = node.b;
        bool again = changed[node.a] || touched_inside(state.values[node.a]);
        for (uint32_t j = i + 1; j <= q && !again; ++j) {
          ForEachOperand(g, g.nodes[j], [&](uint32_t op) { again = again || (op < i && changed[op]); });
        }
        if (again) rerun(i, q + 1, q);
        i = q;
        continue;
      }
      case NodeKind::kField:
      case NodeKind::kListIndex: break;  // reads slots that may have changed: always
      default: {
        bool any = false;
        ForEachOperand(g, node, [&](uint32_t op) { any = any || changed[op]; });
        if (!any) continue;
        break;
      }
    }
    rerun(i, i + 1, i);
  }
}

void RunNodes(const Graph& g, const RunInputs& in, EvalState& state, uint32_t begin, uint32_t end) {
  NodeContext ctx = MakeNodeContext(g, in, state);
  Sweep(g, in, ctx, state).Run(begin, end);
}

}  // namespace miaopi::engine
