// Parsing: rules source text → Module (AST with spans). This file's external
// interface is ParseModule and ParseExpression; the grammar itself lives in
// dsl/parser/ (the only place that includes Boost.Spirit X3).
#pragma once

#include <memory>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace miaopi::dsl {

struct ParseOptions {
  // How deeply expressions may nest (parentheses, `not`, `-`, if/quantifier
  // bodies, call arguments). Bounds every recursive walk over the AST.
  uint32_t max_nesting = 64;
  // Height of an expression tree; long operator chains count too.
  uint32_t max_expression_height = 512;
  // Largest rules file accepted.
  size_t max_source_bytes = 4u << 20;
};

// Parses one file of `sources`. Errors go to `diags`; the parser recovers at
// the next rule, item or top-level declaration, so one run reports many.
// Never throws. The module holds whatever parsed cleanly.
std::unique_ptr<Module> ParseModule(const SourceSet& sources, uint32_t file, const ParseOptions& options,
                                    Diagnostics& diags);

// Parses a whole file as one expression into `module`'s arena (the REPL).
// Returns nullptr (with diagnostics) when it is not an expression, or when
// any part of it has an error (`@2026-02-30`).
Expr* ParseExpression(const SourceSet& sources, uint32_t file, Module& module, const ParseOptions& options,
                      Diagnostics& diags);

}  // namespace miaopi::dsl
