// The evaluator: one sweep over a scheduled graph's flat node array, a
// switch per node, loops running their block once per element, licence
// lookups asking the store once. All state is in the EvalState; the graph is
// read-only and shared. This file's external interface is RunGraph.
#pragma once

#include <vector>

#include "engine/graph/decision_table.h"
#include "engine/graph/graph.h"
#include "engine/graph/tables.h"
#include "engine/include/miaopi/licences.h"
#include "engine/runtime/eval_node.h"
#include "engine/runtime/eval_state.h"

namespace miaopi::engine {

struct RunInputs {
  const std::vector<CompiledTable>* tables = nullptr;
  const std::vector<CompiledDecision>* decisions = nullptr;
  const Value* input = nullptr;    // the application's root slots
  const Value* context = nullptr;  // the request context's root slots
  int32_t today = 0;
  LicenceStore* licences = nullptr;  // null: every licence is unknown (review)
  size_t max_list_length = 10000;
  // Re-runs (remedies) keep each licence node's value instead of asking the
  // store again: a what-if changes the application, never the library.
  bool keep_licences = false;
};

// Computes every node of `g` for one application; the results are in
// state.values (a loop's body nodes keep the values of the element that
// decided it, or of the last element).
void RunGraph(const Graph& g, const RunInputs& in, EvalState& state);

// What EvalNode needs to compute one node of `g` over `state` (remedies
// evaluate single nodes with it).
NodeContext MakeNodeContext(const Graph& g, const RunInputs& in, EvalState& state);

// Computes again, after some of the application's slots changed, the nodes
// whose value may have: every field read, each node one of whose operands
// changed, and each loop whose list or whose outside operands did. A list
// or record counts as changed when its value did or when its elements are
// in `touched` (the arrays written into: every record and list on the way
// to a written slot). `state.values` must hold an evaluation of the graph
// with the same inputs, context and date (the slots' contents may differ);
// the result is what RunGraph would give. Licence nodes are kept when
// `in.keep_licences` (remedies' what-ifs).
void RunGraphChanged(const Graph& g, const RunInputs& in, EvalState& state, const std::vector<const Value*>& touched);

// Computes nodes [begin, end) only, from the values already in `state`:
// a loop's body for the element the caller put in its binder (remedies).
void RunNodes(const Graph& g, const RunInputs& in, EvalState& state, uint32_t begin, uint32_t end);

}  // namespace miaopi::engine
