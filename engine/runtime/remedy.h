// Remedies (一次性告知): for every rule of a finished evaluation that did not
// pass, the changes to the application that would make it pass
// (docs/remedies.md). Worked out on the decision graph and the evaluation's
// own values: the goal "node N must be true" goes down through and, or,
// not, if, ?? and into loops element by element, to a comparison, a
// membership or a call on a path of the application, where it becomes a
// change — the value read, the condition in the language's syntax and, where
// one can be built, an example. Then every proposal is checked by writing
// its examples into the application's slots and re-running the graph: the
// rule must pass, no rule that passed may stop passing, and the remedies of
// all rules together must not undo one another. The slots and values are
// restored afterwards. This file's external interface is ComputeRemedies.
#pragma once

#include <vector>

#include "engine/graph/compiled_pack.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/eval_state.h"
#include "engine/runtime/sweep.h"

namespace miaopi::engine {

// `run` is what the evaluation in `state` was run with. Appends one Remedy
// per rule that did not pass, in source order; `state` ends as it began.
void ComputeRemedies(const CompiledItem& item, const CompiledPack& pack, const RunInputs& run, EvalState& state,
                     std::vector<Remedy>* out);

}  // namespace miaopi::engine
