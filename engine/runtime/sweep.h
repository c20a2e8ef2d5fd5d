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
};

// Computes every node of `g` for one application; the results are in
// state.values (a loop's body nodes keep the values of the element that
// decided it, or of the last element).
void RunGraph(const Graph& g, const RunInputs& in, EvalState& state);

}  // namespace miaopi::engine
