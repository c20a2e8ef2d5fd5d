// Lowering: the checked AST of one item version → its decision graph, not
// yet optimized or scheduled. One node per operation (sharing is the `cse`
// pass's job), each let lowered once, defs inlined at their calls (once per
// def and structurally equal arguments), field
// reads resolved to record slots, regexes compiled. This file's external
// interface is LowerItem.
#pragma once

#include <vector>

#include "dsl/check.h"
#include "dsl/diagnostics.h"
#include "dsl/program.h"
#include "engine/graph/graph.h"
#include "engine/graph/tables.h"

namespace miaopi::engine {

// Deepest graph after inlining defs; deeper packs fail to compile (E005).
constexpr uint32_t kMaxGraphHeight = dsl::kMaxInlinedHeight;

// `regexes` is the pack's: items share each pattern's RE2. An item that
// needs more than `max_nodes` nodes fails to compile (E116).
bool LowerItem(const dsl::Program& program, size_t item, Graph* out, RegexPool& regexes, size_t max_nodes,
               dsl::Diagnostics& diags);

}  // namespace miaopi::engine
