// The REPL's window into a pack: an expression typed at the prompt is parsed
// and checked in the scope of an item version and evaluated by the reference
// evaluator; a rule's condition is evaluated step by step. This file's
// external interface is Inspector.
//
// The compiled pack is immutable, so an Inspector checks expressions in a
// program of its own: the pack's program built again from the very texts
// the pack was compiled from (so every name and index agrees), to which an
// expression's text and types are added. An Inspector is for one thread.
#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/program.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/testing/reference.h"

namespace miaopi::engine {

struct Inspection {
  bool ok = false;          // false: `diagnostics` says why (parse or type errors)
  std::string diagnostics;  // rendered, with carets under the expression
  std::string type;         // "date", "list<string>", "row of table zones"
  ExprValue value;
  std::vector<ExprStep> steps;  // with steps requested
};

class Inspector {
 public:
  // Loads like LoadPack; `*inspector` is set when the pack compiles.
  static LoadResult Load(const std::string& dir, const LoadOptions& options, std::unique_ptr<Inspector>* inspector);

  const std::shared_ptr<const Pack>& pack() const { return pack_; }
  const dsl::Program& program() const { return *program_; }

  // Types and evaluates `text` in item version `item` (an index into the
  // program's items) against `application`.
  Inspection Evaluate(size_t item, std::string_view text, const rapidjson::Value& application, const Request& request,
                      LicenceStore* licences, bool steps, bool color);
  // Evaluates rule `rule` of item version `item` step by step.
  Inspection TraceRule(size_t item, size_t rule, const rapidjson::Value& application, const Request& request,
                       LicenceStore* licences);

 private:
  Inspector(std::shared_ptr<const Pack> pack, std::unique_ptr<dsl::Program> program)
      : pack_(std::move(pack)), program_(std::move(program)) {}
  Inspection EvaluateHere(size_t item, std::string_view text, const rapidjson::Value& application,
                          const Request& request, LicenceStore* licences, bool steps, bool color);

  std::shared_ptr<const Pack> pack_;
  std::unique_ptr<dsl::Program> program_;  // a copy of the pack's, for scratch sources and types
};

}  // namespace miaopi::engine
