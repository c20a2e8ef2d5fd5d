// The list of passes and the driver that runs them to a fixed point.
#include "engine/compile/passes/passes.h"

#include <algorithm>

#include "engine/compile/passes/rewrite.h"

namespace miaopi::engine {

namespace {

const std::vector<PassInfo> kPasses = {
    {"cse", "merge equal nodes, and loops equal up to their binder's name", Cse},
    {"fold", "compute nodes whose operands are all constants", Fold},
    {"simplify", "three-valued identities: false and x, true or x, not not x, if on a constant", Simplify},
    {"const-sets", "turn `x in [constants]` into a hash-set probe", ConstSets},
};

}  // namespace

const std::vector<PassInfo>& AllPasses() { return kPasses; }

bool IsPassName(std::string_view name) {
  return std::any_of(kPasses.begin(), kPasses.end(), [&](const PassInfo& p) { return p.name == name; });
}

bool OptimizeOptions::Enabled(std::string_view pass) const {
  return std::find(disabled.begin(), disabled.end(), pass) == disabled.end();
}

void Optimize(Graph& g, const std::vector<CompiledTable>& tables, const std::vector<CompiledDecision>& decisions,
              const OptimizeOptions& options, std::vector<std::string>* log) {
  constexpr int kMaxRounds = 8;
  const PassInputs in{tables, decisions};
  for (int round = 1; round <= kMaxRounds; ++round) {
    bool any = false;
    for (const PassInfo& pass : kPasses) {
      if (!options.Enabled(pass.name) || !pass.run(g, in)) continue;
      any = true;
      if (log) log->push_back("round " + std::to_string(round) + ": " + std::string(pass.name) + " changed the graph");
    }
    if (!any) break;
  }
}

}  // namespace miaopi::engine
