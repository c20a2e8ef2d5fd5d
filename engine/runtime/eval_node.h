// The value of one node from its operands' values: the body of the
// evaluator's switch, shared with constant folding so the two cannot drift.
// Loops and binders are not here: they need the sweep (evaluator.cc).
#pragma once

#include <new>
#include <vector>

#include "engine/graph/graph.h"
#include "engine/graph/tables.h"
#include "engine/runtime/decision_eval.h"
#include "engine/runtime/kernel.h"

namespace miaopi::engine {

struct NodeContext {
  const Graph* graph = nullptr;
  const std::vector<CompiledTable>* tables = nullptr;
  const std::vector<CompiledDecision>* decisions = nullptr;
  KernelContext kernel;
  BumpArena<Value>* lists = nullptr;  // list literals built at run time
  const Value* input = nullptr;       // the application's root slots
  const Value* context = nullptr;     // the request context's root slots
  int32_t today = 0;
};

// Room for up to N operand values of a call, left unconstructed: a call
// gathers two or three, and default-constructing all N cost more than that.
template <size_t N>
struct OperandBuffer {
  union {
    Value at[N];
  };
  OperandBuffer() {}
  ~OperandBuffer() {}
  // The operands of `n` (kCall, kDecision), in `at` or, past N, in `many`.
  Value* Gather(const NodeCore& n, const Value* v, const Graph& g, std::vector<Value>* many) {
    Value* out = at;
    if (n.b > N) {
      many->resize(n.b);
      out = many->data();
    }
    for (uint32_t i = 0; i < n.b; ++i) new (&out[i]) Value(v[g.operands[n.a + i]]);
    return out;
  }
};

inline Value EvalNode(const NodeCore& n, const Value* v, NodeContext& ctx) {
  CauseArena& causes = *ctx.kernel.causes;
  switch (n.kind) {
    case NodeKind::kConst: return ctx.graph->consts[n.a];
    case NodeKind::kToday: return Value::Date(ctx.today);
    case NodeKind::kInput: return Value::Record(ctx.input);
    case NodeKind::kContext: return Value::Record(ctx.context);
    case NodeKind::kField: {
      const Value& record = v[n.a];
      if (!record.known()) return record;
      return record.record[n.b];
    }
    case NodeKind::kListIndex: {
      const Value& list = v[n.a];
      const Value& index = v[n.b];
      if (!list.known() || !index.known()) return ops::EitherUnknown(list, index, causes);
      if (index.i < 0 || index.i >= list.len) {
        return Value::Unknown(causes.NoElement(ctx.graph->nodes[n.a].label, index.i));
      }
      return list.list[index.i];
    }
    case NodeKind::kRow: {
      const Value& key = v[n.a];
      if (!key.known()) return key;
      const Value* row = (*ctx.tables)[n.b].Find(key);
      if (row == nullptr) return Value::Unknown(causes.NoRow(n.b, key));
      return Value::Record(row);
    }
    case NodeKind::kColumn: {
      const Value& row = v[n.a];
      if (!row.known()) return row;
      const Value& cell = row.record[n.b];
      if (!cell.known()) {
        const CompiledTable& t = (*ctx.tables)[n.c];
        return Value::Unknown(causes.EmptyCell(n.c, row.record[t.key_column], n.b));
      }
      return cell;
    }
    case NodeKind::kNot: return ops::Not(v[n.a]);
    case NodeKind::kAnd: return ops::And(v[n.a], v[n.b], causes);
    case NodeKind::kOr: return ops::Or(v[n.a], v[n.b], causes);
    case NodeKind::kIf: return ops::If(v[n.a], v[n.b], v[n.c]);
    case NodeKind::kCoalesce: return ops::Coalesce(v[n.a], v[n.b]);
    case NodeKind::kExists: return ops::Exists(v[n.a]);
    case NodeKind::kNeg: return ops::Neg(n.cls, v[n.a], causes);
    case NodeKind::kArith:
      if (static_cast<ArithClass>(n.cls) == ArithClass::kString) return ops::Concat(v[n.a], v[n.b], ctx.kernel);
      return ops::Arithmetic(static_cast<Arith>(n.op), static_cast<ArithClass>(n.cls), v[n.a], v[n.b], causes);
    case NodeKind::kCompare:
      return ops::Comparison(static_cast<Compare>(n.op), static_cast<CompareClass>(n.cls), v[n.a], v[n.b], causes);
    case NodeKind::kInSet: return ops::InSet(v[n.a], ctx.graph->sets[n.b]);
    case NodeKind::kInList: return ops::InList(v[n.a], v[n.b], causes);
    case NodeKind::kInTable: {
      const Value& key = v[n.a];
      if (!key.known()) return key;
      return Value::Bool((*ctx.tables)[n.b].Find(key) != nullptr);
    }
    case NodeKind::kMatches: return ops::Matches(v[n.a], *ctx.graph->regexes[n.b]);
    case NodeKind::kCall: {
      OperandBuffer<8> buffer;
      std::vector<Value> many;
      Value* args = buffer.Gather(n, v, *ctx.graph, &many);
      return ops::Builtin(static_cast<dsl::Builtin>(n.op), args, n.b, ctx.kernel);
    }
    case NodeKind::kDecision: {
      const CompiledDecision& d = (*ctx.decisions)[n.c];
      OperandBuffer<16> buffer;
      std::vector<Value> many;
      Value* args = buffer.Gather(n, v, *ctx.graph, &many);
      return EvalDecision(d, args, args + d.inputs, causes, *ctx.lists);
    }
    case NodeKind::kMakeList: {
      Value* elems = ctx.lists->Allocate(n.b);
      for (uint32_t i = 0; i < n.b; ++i) elems[i] = v[ctx.graph->operands[n.a + i]];
      return Value::List(elems, n.b);
    }
    default: return Value::Unknown(0);
  }
}

}  // namespace miaopi::engine
