// Stable text forms of the AST, for golden tests and `miaopi check --dump`.
// With types, every expression shows its checked type after a colon.
#pragma once

#include <string>

#include "dsl/ast.h"

namespace miaopi::dsl {

std::string DumpExpr(const Expr& e, bool with_types = false);
std::string DumpType(const TypeExpr& t);
std::string DumpModule(const Module& m, bool with_types = false);
// A literal as source text: 42, 35.5, "text", @2026-09-01, 18 years.
std::string LiteralText(const Literal& lit);
// A string quoted with the language's escapes.
std::string Quote(std::string_view s);

}  // namespace miaopi::dsl
