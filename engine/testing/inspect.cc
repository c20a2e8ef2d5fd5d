#include "engine/testing/inspect.h"

#include "dsl/check.h"
#include "dsl/large_stack.h"
#include "dsl/parse.h"
#include "dsl/types.h"
#include "engine/compile/pack.h"

namespace miaopi::engine {

LoadResult Inspector::Load(const std::string& dir, const LoadOptions& options, std::unique_ptr<Inspector>* inspector) {
  LoadResult result = LoadPack(dir, options);
  if (!result.pack) return result;
  const dsl::Program& compiled = *result.pack->impl().program;
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> rules;
  for (const auto& [path, id] : compiled.inputs) {
    files.emplace_back(path, std::string(compiled.sources.file(id).text()));
    if (path.size() > 6 && path.compare(path.size() - 6, 6, ".rules") == 0) rules.push_back(path);
  }
  std::unique_ptr<dsl::Program> program;
  dsl::Diagnostics diags;
  dsl::RunWithLargeStack([&] {
    program = dsl::BuildProgram(rules, dsl::MemoryReader(std::move(files)), DslLoadOptions(options.limits), diags);
  });
  if (diags.has_errors()) {  // the same texts compiled a moment ago: this would be a bug
    result.io_error = "the pack's program could not be built again for the REPL";
    return result;
  }
  inspector->reset(new Inspector(result.pack, std::move(program)));
  return result;
}

Inspection Inspector::Evaluate(size_t item, std::string_view text, const rapidjson::Value& application,
                               const Request& request, LicenceStore* licences, bool steps, bool color) {
  // Parsing, checking and the reference walk recurse as compiling does.
  Inspection out;
  dsl::RunWithLargeStack([&] { out = EvaluateHere(item, text, application, request, licences, steps, color); });
  return out;
}

Inspection Inspector::EvaluateHere(size_t item, std::string_view text, const rapidjson::Value& application,
                                   const Request& request, LicenceStore* licences, bool steps, bool color) {
  Inspection out;
  const Limits& limits = pack_->impl().limits;
  dsl::ParseOptions parse;
  parse.max_nesting = limits.max_expression_nesting;
  parse.max_source_bytes = limits.max_source_bytes;
  dsl::Diagnostics diags;
  dsl::Module scratch;
  uint32_t file = program_->sources.Add("<input>", std::string(text));
  dsl::Expr* expr = dsl::ParseExpression(program_->sources, file, scratch, parse, diags);
  // The parser reports some errors (a date that is no real day, a bad
  // escape) and goes on: an expression with any diagnostic is never evaluated.
  if (expr == nullptr || diags.has_errors() || !dsl::CheckItemExpression(*program_, item, expr, diags)) {
    out.diagnostics = dsl::RenderAll(diags, program_->sources, color);
    return out;
  }
  out.ok = true;
  out.type = dsl::TypeName(expr->type, /*brief=*/true);
  ReferenceEvaluator reference(pack_->impl(), licences, program_.get());
  out.value = reference.Evaluate(program_->items[item], expr, application, request, steps ? &out.steps : nullptr);
  return out;
}

Inspection Inspector::TraceRule(size_t item, size_t rule, const rapidjson::Value& application, const Request& request,
                                LicenceStore* licences) {
  Inspection out;
  const dsl::Expr* cond = program_->items[item].decl->rules[rule].cond;
  out.ok = true;
  out.type = dsl::TypeName(cond->type);
  ReferenceEvaluator reference(pack_->impl(), licences, program_.get());
  dsl::RunWithLargeStack(
      [&] { out.value = reference.Evaluate(program_->items[item], cond, application, request, &out.steps); });
  return out;
}

}  // namespace miaopi::engine
