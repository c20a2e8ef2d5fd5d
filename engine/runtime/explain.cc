#include "engine/runtime/explain.h"

#include "engine/graph/value_format.h"

namespace miaopi::engine {

namespace {

// A trace lists at most this many facts per rule.
constexpr size_t kMaxFacts = 40;

const char* CompareText(Compare op, bool holds) {
  switch (op) {
    case Compare::kEq: return holds ? "==" : "!=";
    case Compare::kNe: return holds ? "!=" : "==";
    case Compare::kLt: return holds ? "<" : ">=";
    case Compare::kLe: return holds ? "<=" : ">";
    case Compare::kGt: return holds ? ">" : "<=";
    case Compare::kGe: return holds ? ">=" : "<";
  }
  return "?";
}

class Explainer {
 public:
  Explainer(const Graph& g, const std::vector<CompiledTable>& tables, const EvalState& st)
      : g_(g), tables_(tables), st_(st) {}

  std::vector<std::string> Run(uint32_t cond) {
    // A condition the compiler decided (`… or true`) still says what it is.
    if (IsConst(cond)) {
      Add(0, Label(cond) + " = " + FormatValue(V(cond)) + " (decided when the pack was compiled)");
    } else {
      Walk(cond, 0);
    }
    return std::move(facts_);
  }

 private:
  const Value& V(uint32_t id) const { return st_.values[id]; }
  const std::string& Label(uint32_t id) const { return g_.labels[g_.nodes[id].label]; }
  bool IsConst(uint32_t id) const { return g_.nodes[id].kind == NodeKind::kConst; }

  // "business.area_m2 = 8", or just "10" for a constant.
  std::string Operand(uint32_t id) const {
    if (IsConst(id)) return FormatValue(V(id));
    return Label(id) + " = " + FormatValue(V(id));
  }
  std::string RightOperand(uint32_t id) const {
    if (IsConst(id)) return FormatValue(V(id));
    return Label(id) + " (" + FormatValue(V(id)) + ")";
  }

  void Add(int indent, std::string fact) {
    if (facts_.size() == kMaxFacts) fact = "…";
    if (facts_.size() > kMaxFacts) return;
    facts_.push_back(std::string(2 * indent, ' ') + fact);
  }

  void Walk(uint32_t id, int indent) {
    if (facts_.size() > kMaxFacts) return;
    const Node& n = g_.nodes[id];
    const Value& v = V(id);
    if (IsLoop(n.kind)) {
      uint32_t at = st_.decided[id];
      const Value& list = V(g_.nodes[n.a].a);
      std::string fact = Label(id) + " = " + FormatValue(v);
      if (list.known()) fact += " over " + std::to_string(list.len) + " element" + (list.len == 1 ? "" : "s");
      if (at != UINT32_MAX) fact += ", decided by " + Label(g_.nodes[n.a].a) + "[" + std::to_string(at) + "]";
      Add(indent, fact);
      if (at != UINT32_MAX) Walk(n.b, indent + 1);
      return;
    }
    switch (n.kind) {
      case NodeKind::kAnd:
      case NodeKind::kOr:
        Walk(n.a, indent);
        Walk(n.b, indent);
        return;
      case NodeKind::kNot: Walk(n.a, indent); return;
      case NodeKind::kIf:
        Walk(n.a, indent);
        if (V(n.a).known()) Walk(V(n.a).b ? n.b : n.c, indent);
        return;
      case NodeKind::kCoalesce:
        Walk(n.a, indent);
        if (!V(n.a).known()) Walk(n.b, indent);
        return;
      case NodeKind::kConst: return;
      case NodeKind::kCompare:
        if (!v.known()) {
          Add(indent, Operand(n.a) + ", " + RightOperand(n.b) + ": " + Label(id) + " is unknown");
        } else {
          Add(indent, Operand(n.a) + " " + CompareText(static_cast<Compare>(n.op), v.b) + " " + RightOperand(n.b));
        }
        return;
      case NodeKind::kInSet:
      case NodeKind::kInList:
      case NodeKind::kInTable: {
        std::string where = n.kind == NodeKind::kInTable ? tables_[n.b].name
                            : n.kind == NodeKind::kInSet ? "the list"
                                                         : Label(n.b);
        std::string rel = !v.known() ? " in? " : v.b ? " in " : " not in ";
        Add(indent, Operand(n.a) + rel + where);
        return;
      }
      case NodeKind::kMatches: {
        std::string rel = !v.known() ? " matches? " : v.b ? " matches " : " does not match ";
        Add(indent, Operand(n.a) + rel + FormatValue(Value::String(g_.regex_sources[n.b])));
        return;
      }
      case NodeKind::kCall:
      case NodeKind::kExists: {
        std::string fact = Label(id) + " = " + FormatValue(v);
        std::string args;
        auto add_arg = [&](uint32_t op) {
          if (IsConst(op)) return;
          args += (args.empty() ? "" : ", ") + Operand(op);
        };
        if (n.kind == NodeKind::kCall) {
          for (uint32_t i = 0; i < n.b; ++i) add_arg(g_.operands[n.a + i]);
        } else {
          add_arg(n.a);
        }
        if (!args.empty() && args != Label(id) + " = " + FormatValue(v)) fact += " (" + args + ")";
        Add(indent, fact);
        return;
      }
      default: Add(indent, Label(id) + " = " + FormatValue(v)); return;
    }
  }

  const Graph& g_;
  const std::vector<CompiledTable>& tables_;
  const EvalState& st_;
  std::vector<std::string> facts_;
};

}  // namespace

std::vector<std::string> ExplainRule(const Graph& g, const std::vector<CompiledTable>& tables, const EvalState& state,
                                     uint32_t cond) {
  return Explainer(g, tables, state).Run(cond);
}

}  // namespace miaopi::engine
