#include "engine/compile/record_parts.h"

#include "dsl/date.h"
#include "engine/graph/verdict.h"
#include "engine/runtime/record_format.h"

namespace miaopi::engine {

RecordParts BuildRecordParts(const CompiledItem& item, const PackIdentity& pack) {
  RecordParts p;
  const dsl::ItemDecl& decl = *item.version->decl;
  const Graph& g = item.graph;
  std::string mode = dsl::ModeText(decl.mode);
  p.item = record::ItemKey(decl.code);
  if (mode == kOriginalCheckCode) p.obligation = record::Obligation();
  p.effective = dsl::FormatIsoDate(item.version->effective);
  p.mode = mode;
  p.tail = record::ItemVersion(decl.title, p.effective, mode) + record::PackAndClose(pack);
  for (const RuleInfo& rule : g.rules) {
    std::string basis = JoinBasis(rule.basis, decl.basis);
    Outcome failed = OutcomeOf(RuleStatus::kFail, rule.outcome, rule.on_missing);
    Outcome unknown = OutcomeOf(RuleStatus::kUnknown, rule.outcome, rule.on_missing);
    p.failed.push_back(record::ReasonOpen(rule.code, failed, RuleStatus::kFail, rule.message, basis) + "}");
    p.unknown.push_back(record::ReasonOpen(rule.code, unknown, RuleStatus::kUnknown, rule.message, basis));
    p.failed_outcome.push_back(failed);
    p.unknown_outcome.push_back(unknown);
  }
  for (const OutputInfo& o : g.outputs) p.output_keys.push_back(record::OutputKey(o.name));
  for (const LicenceUse& use : g.licences) p.licence_names.emplace_back(use.name, use.title);
  for (const RuleInfo& rule : g.rules) p.rule_conds.push_back(rule.cond);
  return p;
}

}  // namespace miaopi::engine
