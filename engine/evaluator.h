// The evaluator: one sweep over a scheduled graph's flat node array, a
// switch per node, loops running their block once per element. All state is
// in the EvalState; the graph is read-only and shared. This file's external
// interface is RunGraph.
#pragma once

#include <vector>

#include "engine/eval_state.h"
#include "engine/graph.h"
#include "engine/tables.h"

namespace miaopi::engine {

// Computes every node of `g` for the application whose root slots are
// `input`; the results are in state.values (a loop's body nodes keep the
// values of the element that decided it, or of the last element).
void RunGraph(const Graph& g, const std::vector<CompiledTable>& tables, const Value* input, int32_t today,
              EvalState& state);

}  // namespace miaopi::engine
