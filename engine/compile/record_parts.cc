#include "engine/compile/record_parts.h"

#include "dsl/date.h"
#include "engine/graph/verdict.h"
#include "engine/runtime/record_format.h"

namespace miaopi::engine {

RecordParts BuildRecordParts(const CompiledItem& item) {
  RecordParts p;
  const dsl::ItemDecl& decl = *item.version->decl;
  const Graph& g = item.graph;
  std::string mode = dsl::ModeText(decl.mode);
  std::string item_key = record::ItemKey(decl.code);
  std::string obligation = mode == kOriginalCheckCode ? record::Obligation() : std::string();
  p.effective = dsl::FormatIsoDate(item.version->effective);
  p.mode = mode;
  p.item_len = static_cast<uint32_t>(item_key.size());
  p.obligation_len = static_cast<uint32_t>(obligation.size());
  p.fixed = item_key + obligation + record::ItemVersion(decl.title, p.effective, mode);
  for (const RuleInfo& rule : g.rules) {
    std::string basis = JoinBasis(rule.basis, decl.basis);
    Outcome failed = OutcomeOf(RuleStatus::kFail, rule.outcome, rule.on_missing);
    Outcome unknown = OutcomeOf(RuleStatus::kUnknown, rule.outcome, rule.on_missing);
    p.failed.push_back(record::ReasonOpen(rule.code, failed, RuleStatus::kFail, rule.message, basis) + "}");
    p.unknown.push_back(record::ReasonOpen(rule.code, unknown, RuleStatus::kUnknown, rule.message, basis));
    p.rules.push_back({rule.cond, failed, unknown});
  }
  for (const OutputInfo& o : g.outputs) p.output_keys.push_back(record::OutputKey(o.name));
  for (const LicenceUse& use : g.licences) p.licence_names.emplace_back(use.name, use.title);
  return p;
}

}  // namespace miaopi::engine
