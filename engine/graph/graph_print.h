// The decision graph as text (one line per node, loop bodies indented) and
// as Graphviz dot (loops as clusters). Stable output: golden tests compare it.
#pragma once

#include <string>

#include "engine/graph/graph.h"
#include "engine/graph/tables.h"

namespace miaopi::engine {

struct PrintContext {
  const std::vector<CompiledTable>* tables = nullptr;
  // Print only the nodes this rule needs (by code); empty prints all.
  std::string rule;
  // Shown as the graph's title in dot output.
  std::string title;
  // Dot output: every node printed, the nodes this rule needs filled (the
  // studio's highlight).
  std::string highlight;
};

std::string GraphText(const Graph& g, const PrintContext& ctx);
std::string GraphDot(const Graph& g, const PrintContext& ctx);
// One node's operation and operands, "compare.ge number %3, %4".
std::string NodeText(const Graph& g, uint32_t id, const PrintContext& ctx);

}  // namespace miaopi::engine
