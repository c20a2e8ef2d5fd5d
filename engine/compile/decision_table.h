// Compiling a decision table: cells as values, and an index on one input
// column where the cells allow — a hash from value to candidate rows for
// columns of literals, or sorted boundaries (binary search) for ranges and
// comparisons on numbers and dates. This file's external interface is
// CompileDecision.
#pragma once

#include <vector>

#include "dsl/ast.h"
#include "dsl/types.h"
#include "engine/graph/decision_table.h"

namespace miaopi::engine {

CompiledDecision CompileDecision(const dsl::DecisionDecl& decl, const std::vector<const dsl::Type*>& params);

}  // namespace miaopi::engine
