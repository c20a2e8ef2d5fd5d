// The reference evaluator: decides an application by walking the checked
// AST directly and reading the JSON document by path — no graph, no slots,
// no optimization. It shares only the value kernel (engine/runtime/kernel.h) with
// the real evaluator, so a differential test of the two checks lowering,
// the passes, scheduling, ingest and the sweep. Slow by design: tests use it
// as an oracle, and the REPL to evaluate expressions and trace rules at the
// level of the source.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "engine/compile/pack.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/decider.h"

namespace miaopi::engine {

// One step of evaluating an expression: a subexpression (as written) and
// its value, in evaluation order; `depth` is its nesting under the top.
struct ExprStep {
  int depth = 0;
  std::string text, value;
};

// An expression's value as text ("2026-09-01", "[1, 2]", a record as JSON,
// "unknown") with, when unknown, why.
struct ExprValue {
  bool known = false;
  std::string value;
  std::vector<std::string> missing, notes;
};

class ReferenceEvaluator {
 public:
  // `program`: the checked program the expressions come from; the pack's own
  // by default (the REPL checks its expressions in a copy of it).
  explicit ReferenceEvaluator(const CompiledPack& pack, LicenceStore* licences = nullptr,
                              const dsl::Program* program = nullptr)
      : pack_(pack), program_(program ? *program : *pack.program), licences_(licences) {}
  Record Decide(const rapidjson::Value& application, const Request& request);
  // Decides with this version of an item whatever the date (verify
  // --versions compares two versions on one date); `application` is an object.
  Record DecideVersion(const dsl::ItemVersion& item, const rapidjson::Value& application, const Request& request);
  // Evaluates `expr`, checked in the scope of item version `item`, against
  // the application. `steps`, when given, receives every subexpression but
  // literals (at most max_steps, then a last "…" step).
  // `decided`: the decision a property's `decision` and `rule(CODE)` read.
  ExprValue Evaluate(const dsl::ItemVersion& item, const dsl::Expr* expr, const rapidjson::Value& application,
                     const Request& request, std::vector<ExprStep>* steps = nullptr, size_t max_steps = 500,
                     const Decision* decided = nullptr);

 private:
  const CompiledPack& pack_;
  const dsl::Program& program_;
  LicenceStore* licences_;
};

}  // namespace miaopi::engine
