#include "engine/graph/graph_print.h"

#include <algorithm>

#include "dsl/source.h"
#include "engine/graph/value_format.h"

namespace miaopi::engine {

namespace {

const char* ArithName(uint8_t op) {
  static const char* kNames[] = {"add", "sub", "mul", "div", "mod"};
  return op < 5 ? kNames[op] : "?";
}
const char* ArithClassName(uint8_t cls) {
  static const char* kNames[] = {"int", "number", "date+duration", "duration+date", "duration", "string"};
  return cls < 6 ? kNames[cls] : "?";
}
const char* CompareName(uint8_t op) {
  static const char* kNames[] = {"eq", "ne", "lt", "le", "gt", "ge"};
  return op < 6 ? kNames[op] : "?";
}
const char* CompareClassName(uint8_t cls) {
  static const char* kNames[] = {"int", "number", "string", "date", "bool", "duration"};
  return cls < 6 ? kNames[cls] : "?";
}

std::string Ref(uint32_t id) { return "%" + std::to_string(id); }

// Nodes the given rule needs; all nodes when `rule` is empty.
std::vector<bool> Needed(const Graph& g, const std::string& rule) {
  std::vector<bool> keep(g.nodes.size(), rule.empty());
  if (rule.empty()) return keep;
  std::vector<uint32_t> stack;
  for (const RuleInfo& r : g.rules) {
    if (r.code == rule) stack.push_back(r.cond);
  }
  while (!stack.empty()) {
    uint32_t id = stack.back();
    stack.pop_back();
    if (keep[id]) continue;
    keep[id] = true;
    const Node& n = g.nodes[id];
    ForEachOperand(g, n, [&](uint32_t op) { stack.push_back(op); });
    if (IsLoop(n.kind)) stack.push_back(n.a);
  }
  return keep;
}

// Loop nesting depth of every node of a scheduled graph.
std::vector<int> Depths(const Graph& g) {
  std::vector<int> depth(g.nodes.size(), 0);
  std::vector<uint32_t> open;  // loop node indices of open blocks
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    while (!open.empty() && i > open.back()) open.pop_back();
    if (!open.empty() && i == open.back()) {
      open.pop_back();
      depth[i] = static_cast<int>(open.size());
      continue;
    }
    depth[i] = static_cast<int>(open.size());
    if (g.nodes[i].kind == NodeKind::kBinder) open.push_back(g.nodes[i].b);
  }
  return depth;
}

}  // namespace

std::string NodeText(const Graph& g, uint32_t id, const PrintContext& ctx) {
  const Node& n = g.nodes[id];
  std::string s;
  auto table_name = [&](uint32_t t) { return ctx.tables ? (*ctx.tables)[t].name : "table" + std::to_string(t); };
  switch (n.kind) {
    case NodeKind::kConst: return "const " + FormatValue(g.consts[n.a]);
    case NodeKind::kToday: return "today";
    case NodeKind::kInput: return "input";
    case NodeKind::kField: return "field " + Ref(n.a) + ".slot" + std::to_string(n.b);
    case NodeKind::kListIndex: return "index " + Ref(n.a) + "[" + Ref(n.b) + "]";
    case NodeKind::kRow: return "row " + table_name(n.b) + "[" + Ref(n.a) + "]";
    case NodeKind::kColumn:
      return "column " + Ref(n.a) + "." + (ctx.tables ? (*ctx.tables)[n.c].columns[n.b] : "col" + std::to_string(n.b));
    case NodeKind::kBinder: return "loop over " + Ref(n.a) + (g.scheduled ? " until " + Ref(n.b) : "");
    case NodeKind::kInSet:
      return "in_set " + Ref(n.a) + ", set" + std::to_string(n.b) + " (" + std::to_string(g.sets[n.b].size()) +
             " values)";
    case NodeKind::kInTable: return "in_table " + Ref(n.a) + ", " + table_name(n.b);
    case NodeKind::kMatches: return "matches " + Ref(n.a) + ", " + FormatValue(Value::String(g.regex_sources[n.b]));
    case NodeKind::kArith: s = std::string("arith.") + ArithName(n.op) + " " + ArithClassName(n.cls); break;
    case NodeKind::kCompare: s = std::string("compare.") + CompareName(n.op) + " " + CompareClassName(n.cls); break;
    case NodeKind::kNeg: s = std::string("neg ") + (n.cls == 0 ? "int" : n.cls == 1 ? "number" : "duration"); break;
    case NodeKind::kCall: s = "call " + std::string(dsl::BuiltinName(static_cast<dsl::Builtin>(n.op))); break;
    case NodeKind::kDecision: s = "decision #" + std::to_string(n.c); break;
    case NodeKind::kLicence: s = "licence " + g.licences[n.d].type + " as " + g.licences[n.d].name; break;
    default: s = NodeKindName(n.kind); break;
  }
  bool first = true;
  ForEachOperand(g, n, [&](uint32_t op) {
    s += first ? " " : ", ";
    s += Ref(op);
    first = false;
  });
  return s;
}

std::string GraphText(const Graph& g, const PrintContext& ctx) {
  std::vector<bool> keep = Needed(g, ctx.rule);
  std::vector<int> depth = Depths(g);
  std::string out;
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    if (!keep[i]) continue;
    std::string line = "  " + Ref(i) + " = " + std::string(2 * depth[i], ' ') + NodeText(g, i, ctx);
    std::string label = g.labels[g.nodes[i].label];
    std::replace(label.begin(), label.end(), '\n', ' ');
    if (label.size() > 60) label = label.substr(0, 57) + "...";
    size_t width = dsl::DisplayWidth(line);
    if (width < 52) line.append(52 - width, ' ');
    out += line + "  # " + label + "\n";
  }
  out += "rules:\n";
  for (const RuleInfo& r : g.rules) {
    if (!ctx.rule.empty() && r.code != ctx.rule) continue;
    out += "  " + r.code + " " + dsl::OutcomeText(r.outcome) + " if not " + Ref(r.cond) + "\n";
  }
  if (!g.outputs.empty() && ctx.rule.empty()) {
    out += "outputs:\n";
    for (const OutputInfo& o : g.outputs) out += "  " + o.name + " = " + Ref(o.node) + "\n";
  }
  return out;
}

std::string GraphDot(const Graph& g, const PrintContext& ctx) {
  std::vector<bool> keep = Needed(g, ctx.rule);
  std::vector<bool> lit = ctx.highlight.empty() ? std::vector<bool>(g.nodes.size()) : Needed(g, ctx.highlight);
  auto escape = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c == '\n' ? ' ' : c;
    }
    return out;
  };
  std::string out = "digraph decision {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n";
  if (!ctx.title.empty()) out += "  labelloc=t;\n  label=\"" + escape(ctx.title) + "\";\n";
  std::vector<uint32_t> open;
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    while (!open.empty() && i > open.back()) {
      open.pop_back();
      out += "  }\n";
    }
    const Node& n = g.nodes[i];
    if (n.kind == NodeKind::kBinder && g.scheduled && keep[i]) {
      out += "  subgraph cluster_" + std::to_string(i) + " {\n    label=\"loop " + Ref(i) + "\"; style=dashed;\n";
      open.push_back(n.b - 1);
    }
    if (!keep[i]) continue;
    out += "  n" + std::to_string(i) + " [label=\"" + Ref(i) + " " + escape(NodeText(g, i, ctx)) + "\\n" +
           escape(g.labels[n.label]) + "\"" + (lit[i] ? ", style=filled, fillcolor=\"#ffd966\"" : "") + "];\n";
  }
  while (!open.empty()) {
    open.pop_back();
    out += "  }\n";
  }
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    if (!keep[i]) continue;
    ForEachOperand(g, g.nodes[i],
                   [&](uint32_t op) { out += "  n" + std::to_string(op) + " -> n" + std::to_string(i) + ";\n"; });
  }
  for (size_t r = 0; r < g.rules.size(); ++r) {
    const RuleInfo& rule = g.rules[r];
    if (!ctx.rule.empty() && rule.code != ctx.rule) continue;
    bool lit_rule = !ctx.highlight.empty() && rule.code == ctx.highlight;
    out += "  rule" + std::to_string(r) + " [shape=ellipse, label=\"" + escape(rule.code) + " (" +
           dsl::OutcomeText(rule.outcome) + ")\"" + (lit_rule ? ", style=filled, fillcolor=\"#ffd966\"" : "") + "];\n";
    out += "  n" + std::to_string(rule.cond) + " -> rule" + std::to_string(r) + ";\n";
  }
  return out + "}\n";
}

}  // namespace miaopi::engine
