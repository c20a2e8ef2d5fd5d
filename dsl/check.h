// The checker: resolves every name (fields against the item's input, lets,
// defs, tables, built-ins), types every expression, and checks the pack's
// structure (one pack declaration, item versions, duplicate codes). It fills
// Expr::type and Expr::ref in place. This file's external interface is
// CheckProgram, plus CheckItemExpression for the REPL.
#pragma once

#include "dsl/diagnostics.h"
#include "dsl/program.h"

namespace miaopi::dsl {

// The tallest an expression may be with every let, def and output it uses
// inlined: the checker refuses taller ones (E005), and so every later walk
// (lowering, passes, printers, the reference evaluator) stays this shallow.
constexpr uint32_t kMaxInlinedHeight = 2048;

// Checks the parsed modules of `program` and fills program.items, defs and
// the types of every expression. Tables must already be loaded.
void CheckProgram(Program& program, const LoadOptions& options, Diagnostics& diags);

// Types an expression written in the scope of item version `item` (its input,
// lets, the pack's tables and defs). False with diagnostics when it does not check.
// `property`: the expression may read `decision`, `rule(CODE)` and use `implies`.
bool CheckItemExpression(Program& program, size_t item, Expr* expr, Diagnostics& diags, bool property = false);

}  // namespace miaopi::dsl
