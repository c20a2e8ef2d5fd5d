// `miaopi verify`: properties of a rule pack proved for every application,
// or refuted by one that breaks them — confirmed by the real evaluator.
// This file's external interface is VerifyProperties (the pack's
// `property` declarations), Lint (built-in checks) and Equivalent (two packs
// side by side). The encoding is verify/encode.h; docs/verify.md says what
// each answer means.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"
#include "verify/encode.h"

namespace miaopi::verify {

struct VerifyOptions {
  EncodeOptions encode;
  unsigned timeout_ms = 60000;  // per solver question
  std::string item;             // only this item code (empty: all)
  std::string property;         // only this property code (empty: all)
  unsigned threads = 0;         // 0: one per core
};

enum class Verdict { kProved, kViolated, kUnknown };
const char* VerdictName(Verdict v);

// A counterexample and what the real evaluator made of it.
struct Counterexample {
  Witness witness;
  std::string record;          // the decision record the engine gave (JSON)
  std::string property_value;  // "false" or "unknown" (with why)
};

struct PropertyResult {
  std::string item, version;  // item code; the version's effective date
  std::string code, description;
  Verdict verdict = Verdict::kUnknown;
  std::string why;  // unknown: why; proved: the bound it holds under, if any
  std::optional<Counterexample> counterexample;
  // The solver found a counterexample the engine does not confirm while the
  // encoding claims to be exact: a bug in miaopi's encoding.
  bool encoding_bug = false;
  std::vector<std::string> approximations;
  uint32_t list_bound = 0;  // proved for lists of up to this many elements (0: no lists)
  double seconds = 0;
};

std::vector<PropertyResult> VerifyProperties(const std::shared_ptr<const Pack>& pack, const VerifyOptions& options);

// One finding of `verify --lint`.
struct LintFinding {
  std::string item, version;
  std::string kind;              // never_approves, rule_never_fails, rule_never_passes, rule_always_unknown,
                                 // rule_implied, row_never_matches, unknown
  std::string rule, other_rule;  // rule_implied: `other_rule` passes whenever `rule` does
  std::string decision;          // row_never_matches: the decision table
  int row = -1;                  // row_never_matches: 1-based
  std::string message;
};

std::vector<LintFinding> Lint(const std::shared_ptr<const Pack>& pack, const VerifyOptions& options);

// One kind of change between two packs' decisions.
struct Change {
  std::string item;
  Outcome from = Outcome::kApprove, to = Outcome::kApprove;
  Witness witness;
  std::string old_record, new_record;  // what each pack decided (JSON)
  bool confirmed = false;
};

struct EquivalenceResult {
  std::string item;
  std::string old_version, new_version;  // effective dates
  Verdict verdict = Verdict::kUnknown;   // proved: the same decision for every input
  std::string why;
  std::vector<Change> changes;  // one witness per kind of change
  uint32_t list_bound = 0;
  bool encoding_bug = false;
};

std::vector<EquivalenceResult> Equivalent(const std::shared_ptr<const Pack>& old_pack,
                                          const std::shared_ptr<const Pack>& new_pack, const VerifyOptions& options);

// Each version of an item against the one before it in the same pack, on
// the newer one's dates (the older one decides as if it were in force; its
// side of a change is confirmed by the reference evaluator).
std::vector<EquivalenceResult> CompareVersions(const std::shared_ptr<const Pack>& pack, const VerifyOptions& options);

}  // namespace miaopi::verify
