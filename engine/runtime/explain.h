// Traces: for one rule, the facts that decided it, read from the values the
// sweep left in the EvalState ("business.area_m2 = 8 < 10"). Loops that
// stopped early show their body at the deciding element.
#pragma once

#include <string>
#include <vector>

#include "engine/graph/graph.h"
#include "engine/graph/tables.h"
#include "engine/runtime/eval_state.h"

namespace miaopi::engine {

std::vector<std::string> ExplainRule(const Graph& g, const std::vector<CompiledTable>& tables, const EvalState& state,
                                     uint32_t cond);

}  // namespace miaopi::engine
