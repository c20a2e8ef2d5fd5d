// A structural check of a compiled graph: every index a node holds (operands,
// constants, sets, regexes, tables and their columns, shapes, slots,
// decision tables, licence uses, labels) points at something that exists,
// and a scheduled graph is in topological order with well-formed loop
// blocks. Compiling runs it on every item, so a compiler bug becomes a
// diagnostic instead of a crash in the evaluator or a printer. This file's
// external interface is CheckGraph.
#pragma once

#include <string>
#include <vector>

#include "engine/graph/decision_table.h"
#include "engine/graph/graph.h"
#include "engine/graph/tables.h"

namespace miaopi::engine {

// Empty when the graph is well formed; else the first problem found.
std::string CheckGraph(const Graph& g, const std::vector<CompiledTable>& tables,
                       const std::vector<CompiledDecision>& decisions);

}  // namespace miaopi::engine
