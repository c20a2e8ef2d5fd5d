#include "engine/graph/graph_check.h"

namespace miaopi::engine {

std::string CheckGraph(const Graph& g, const std::vector<CompiledTable>& tables,
                       const std::vector<CompiledDecision>& decisions) {
  const size_t size = g.nodes.size();
  std::string problem;
  auto fail = [&](uint32_t id, const std::string& what) {
    if (problem.empty()) {
      problem = "node %" + std::to_string(id) + " (" + NodeKindName(g.nodes[id].kind) + "): " + what;
    }
  };
  if (g.scheduled && g.sweep_nodes.size() != size) {
    return "the sweep's copy of the nodes has " + std::to_string(g.sweep_nodes.size()) + " nodes, not " +
           std::to_string(size);
  }
  for (uint32_t id = 0; id < size && problem.empty(); ++id) {
    const Node& n = g.nodes[id];
    if (n.label >= g.labels.size()) fail(id, "no such label");
    if (g.scheduled) {  // what the sweep reads must be the node
      const NodeCore* core = id < g.sweep_nodes.size() ? &g.sweep_nodes[id] : nullptr;
      if (core == nullptr || core->kind != n.kind || core->op != n.op || core->cls != n.cls || core->a != n.a ||
          core->b != n.b || core->c != n.c) {
        fail(id, "its sweep copy differs");
      }
    }
    bool operands_ok = true;
    if (InfoOf(n.kind).shape == OperandShape::kList) {
      operands_ok = uint64_t{n.a} + n.b <= g.operands.size();
      if (!operands_ok) fail(id, "operand list out of range");
    }
    if (operands_ok) {
      ForEachOperand(g, n, [&](uint32_t op) {
        if (op >= size) {
          fail(id, "operand %" + std::to_string(op) + " does not exist");
        } else if (g.scheduled && op >= id) {
          fail(id, "operand %" + std::to_string(op) + " comes after its user");
        }
      });
    }
    switch (n.kind) {
      case NodeKind::kConst:
        if (n.a >= g.consts.size()) fail(id, "no such constant");
        break;
      case NodeKind::kField:
        if (n.c >= g.shapes.size()) {
          fail(id, "no such record shape");
        } else if (n.b >= g.shapes[n.c].fields.size()) {
          fail(id, "slot " + std::to_string(n.b) + " is not in its shape");
        }
        break;
      case NodeKind::kRow:
      case NodeKind::kInTable:
        if (n.b >= tables.size()) fail(id, "no such table");
        break;
      case NodeKind::kColumn:
        if (n.c >= tables.size()) {
          fail(id, "no such table");
        } else if (n.b >= tables[n.c].width) {
          fail(id, "column " + std::to_string(n.b) + " is not a column of table " + tables[n.c].name);
        }
        break;
      case NodeKind::kInSet:
        if (n.b >= g.sets.size()) fail(id, "no such set");
        break;
      case NodeKind::kMatches:
        if (n.b >= g.regexes.size() || n.b >= g.regex_sources.size()) fail(id, "no such regex");
        break;
      case NodeKind::kDecision:
        if (n.c >= decisions.size()) fail(id, "no such decision table");
        break;
      case NodeKind::kLicence:
        if (n.d >= g.licences.size()) fail(id, "no such licence use");
        break;
      case NodeKind::kBinder:
        if (g.scheduled && (n.b <= id || n.b >= size || !IsLoop(g.nodes[n.b].kind) || g.nodes[n.b].a != id)) {
          fail(id, "the loop block does not end at its loop node");
        }
        break;
      default:
        if (IsLoop(n.kind) && n.a < size && g.nodes[n.a].kind != NodeKind::kBinder) fail(id, "loop without a binder");
        break;
    }
  }
  if (!problem.empty()) return problem;
  for (const RuleInfo& r : g.rules) {
    if (r.cond >= size) return "rule " + r.code + ": its condition node does not exist";
    if (r.label >= g.labels.size()) return "rule " + r.code + ": no such label";
  }
  for (const OutputInfo& o : g.outputs) {
    if (o.node >= size) return "output " + o.name + ": its node does not exist";
  }
  return {};
}

}  // namespace miaopi::engine
