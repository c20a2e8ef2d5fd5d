// How a rule's value becomes a verdict and an outcome, and outcomes one
// decision — written once for the evaluator, the record writer and the
// reference evaluator (LANGUAGE.md "Decisions"): pass → nothing; fail → the
// rule's `else` outcome; unknown → review, or the rule's `on missing`
// outcome; the decision is the most severe, reject > review > approve.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.h"
#include "engine/graph/value.h"
#include "engine/include/miaopi/miaopi.h"

namespace miaopi::engine {

inline Outcome ToOutcome(dsl::Outcome o) {
  return o == dsl::Outcome::kReject   ? Outcome::kReject
         : o == dsl::Outcome::kReview ? Outcome::kReview
                                      : Outcome::kApprove;
}

// A rule condition's value: true passes, false fails, unknown is unknown.
inline RuleStatus StatusOf(const Value& condition) {
  return !condition.known() ? RuleStatus::kUnknown : condition.b ? RuleStatus::kPass : RuleStatus::kFail;
}

// What a rule with `outcome` (`else`) and `on_missing` contributes.
inline Outcome OutcomeOf(RuleStatus status, dsl::Outcome outcome, std::optional<dsl::Outcome> on_missing) {
  switch (status) {
    case RuleStatus::kPass: return Outcome::kApprove;
    case RuleStatus::kFail: return ToOutcome(outcome);
    case RuleStatus::kUnknown: return ToOutcome(on_missing.value_or(dsl::Outcome::kReview));
  }
  return Outcome::kReview;
}

// The more severe of two outcomes.
inline Outcome Worse(Outcome a, Outcome b) { return static_cast<int>(b) > static_cast<int>(a) ? b : a; }

// A rule's legal basis in a record: its own, else the item's, joined by "; ".
inline std::string JoinBasis(const std::vector<std::string>& rule_basis, const std::vector<std::string>& item_basis) {
  std::string out;
  for (const std::string& b : rule_basis.empty() ? item_basis : rule_basis) out += (out.empty() ? "" : "; ") + b;
  return out;
}

// The obligation an approval of a `mode original_check` item carries.
inline constexpr std::string_view kOriginalCheckCode = "original_check";
inline constexpr std::string_view kOriginalCheckMessage = "请携带申请材料原件到任一镇（街道）服务窗口核验";

}  // namespace miaopi::engine
