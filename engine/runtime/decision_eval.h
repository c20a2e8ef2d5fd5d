// Evaluating a compiled decision table (engine/graph/decision_table.h):
// the cells' meaning, and a call — through the index, or over every row as
// the reference evaluator does. This file's external interface is
// EvalDecision.
#pragma once

#include "engine/graph/decision_table.h"
#include "engine/runtime/arena.h"
#include "engine/runtime/causes.h"

namespace miaopi::engine {

// The decision's value for arguments `args` (one per parameter) and the
// rows' outputs (`outputs[r]`). `use_index` false scans every row.
Value EvalDecision(const CompiledDecision& d, const Value* args, const Value* outputs, CauseArena& causes,
                   BumpArena<Value>& lists, bool use_index = true);

// Whether a known value matches a cell (the index is built with it too).
bool CellMatches(const CompiledCell& cell, const Value& x);
// A number or a date on the one axis interval indexes use.
double CellNumber(const Value& v);

}  // namespace miaopi::engine
