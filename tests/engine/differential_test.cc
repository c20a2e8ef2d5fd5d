// The optimized graph against the reference evaluator, on generated packs
// and generated applications (absent, null, wrongly typed and duplicated
// fields included): every decision must be identical, reason by reason,
// with all passes on, all off, and a random subset.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "engine/compile/passes/passes.h"
#include "engine/runtime/decider.h"
#include "engine/testing/reference.h"
#include "tests/testing/generate.h"

namespace miaopi::engine {
namespace {

std::string Describe(const Record& r) {
  if (!r.ok) return "error " + r.error.code;
  std::string s = OutcomeName(r.decision.decision);
  for (const auto& [name, value] : r.decision.outputs) s += " " + name + "=" + value;
  for (const Reason& reason : r.decision.reasons) {
    s += "\n  " + reason.rule + " " + RuleStatusName(reason.status) + " " + OutcomeName(reason.outcome);
    for (const std::string& m : reason.missing) s += " missing:" + m;
    for (const std::string& n : reason.notes) s += " note:" + n;
  }
  return s;
}

bool Same(const Record& a, const Record& b) {
  if (a.ok != b.ok) return false;
  if (!a.ok) return a.error.code == b.error.code;
  if (a.decision.outputs != b.decision.outputs) return false;
  if (a.decision.decision != b.decision.decision || a.decision.reasons.size() != b.decision.reasons.size())
    return false;
  for (size_t i = 0; i < a.decision.reasons.size(); ++i) {
    const Reason &x = a.decision.reasons[i], &y = b.decision.reasons[i];
    if (x.rule != y.rule || x.status != y.status || x.outcome != y.outcome || x.missing != y.missing ||
        x.notes != y.notes) {
      return false;
    }
  }
  return true;
}

TEST(Differential, GraphAgreesWithReference) {
  // MIAOPI_DIFF_PACKS raises the count for longer local runs.
  const char* env = std::getenv("MIAOPI_DIFF_PACKS");
  const int kPacks = env ? std::atoi(env) : 40;
  constexpr int kAppsPerPack = 60;
  // Few rules in some packs, so that approvals happen too.
  auto rules_for = [](int seed) { return seed % 4 == 0 ? 1 : seed % 4 == 1 ? 3 : 12; };
  int32_t date;
  ASSERT_TRUE(ParseDate("2026-09-10", &date));
  std::mt19937_64 rng(20261130);
  size_t compared = 0, mismatches = 0, fast_compared = 0;
  std::map<std::string, size_t> outcomes;
  for (int seed = 1; seed <= kPacks && mismatches < 3; ++seed) {
    testing::GeneratedPack generated = testing::GeneratePack(seed, rules_for(seed));
    std::string dir = ::testing::TempDir() + "/miaopi_diff_" + std::to_string(seed);
    testing::WritePack(generated, dir);
    std::vector<std::vector<std::string>> variants = {{}, {"cse", "fold", "simplify", "const-sets"}, {}};
    for (const PassInfo& pass : AllPasses()) {
      if (rng() % 2) variants[2].push_back(std::string(pass.name));
    }
    std::vector<std::shared_ptr<const Pack>> packs;
    for (const auto& disabled : variants) {
      LoadOptions options;
      options.disabled_passes = disabled;
      LoadResult r = LoadPack(dir, options);
      ASSERT_TRUE(r.ok()) << r.rendered << "\n" << generated.files["gen.rules"];
      packs.push_back(r.pack);
    }
    std::string licence_error;
    std::shared_ptr<LicenceStore> store = MemoryLicences(testing::GenerateLicences(seed), &licence_error);
    ASSERT_NE(store, nullptr) << licence_error;
    LicenceStore& licences = *store;
    ReferenceEvaluator reference(packs[0]->impl(), &licences);
    std::vector<std::unique_ptr<Decider>> deciders;
    for (const auto& p : packs) deciders.push_back(std::make_unique<Decider>(p->impl(), &licences));
    for (int a = 0; a < kAppsPerPack; ++a) {
      std::string app = testing::GenerateApplication(static_cast<uint64_t>(seed) * 100003 + a);
      rapidjson::Document doc;
      doc.Parse(app.c_str(), app.size());
      ASSERT_FALSE(doc.HasParseError()) << app;
      Request request;
      request.date = date;
      std::string context_text = testing::GenerateContext(static_cast<uint64_t>(seed) * 7919 + a);
      rapidjson::Document context;
      if (!context_text.empty()) {
        context.Parse(context_text.c_str());
        ASSERT_FALSE(context.HasParseError()) << context_text;
        request.context = &context;
      }
      Record expected = reference.Decide(doc, request);
      ++outcomes[expected.ok ? OutcomeName(expected.decision.decision) : expected.error.code];
      // The batch fast path writes the very bytes of the general path.
      {
        Record slow;
        deciders[0]->Decide(doc, request, &slow);  // RapidJSON, Record, ToJson: the general path
        if (!slow.ok) slow.error.line = 7;
        std::string fast;
        deciders[0]->DecideToJson(app, request, 7, &fast);
        Record from_text;  // the Record API on text: simdjson when it can
        deciders[0]->Decide(app, request, &from_text);
        if (!from_text.ok) from_text.error.line = 7;
        if (ToJson(from_text) != ToJson(slow)) {
          ++mismatches;
          ADD_FAILURE() << "Decide(text) differs from Decide(RapidJSON)\n"
                        << generated.files["gen.rules"] << "\napplication: " << app << "\nexpected: " << ToJson(slow)
                        << "\ngot:      " << ToJson(from_text);
        }
        if (fast != ToJson(slow)) {
          ++mismatches;
          ADD_FAILURE() << "DecideToJson differs from ToJson(Decide)\n"
                        << generated.files["gen.rules"] << "\napplication: " << app << "\nToJson: " << ToJson(slow)
                        << "\nfast:   " << fast;
        }
        ++fast_compared;
      }
      for (size_t v = 0; v < deciders.size(); ++v) {
        Record got;
        deciders[v]->Decide(doc, request, &got);
        ++compared;
        if (!Same(expected, got)) {
          ++mismatches;
          std::string passes;
          for (const std::string& p : variants[v]) passes += p + " ";
          ADD_FAILURE() << "pack seed " << seed << ", disabled passes [" << passes << "]\n"
                        << generated.files["gen.rules"] << "\napplication: " << app << "\ncontext: " << context_text
                        << "\nreference: " << Describe(expected) << "\ngraph:     " << Describe(got);
          break;
        }
      }
    }
  }
  EXPECT_GE(compared, 6000u);
  EXPECT_GE(fast_compared, 2000u);
  // The generator must exercise every outcome, or the comparison proves little.
  EXPECT_GT(outcomes["approve"], 0u);
  EXPECT_GT(outcomes["review"], 0u);
  EXPECT_GT(outcomes["reject"], 0u);
  std::string summary;
  for (const auto& [k, n] : outcomes) summary += k + "=" + std::to_string(n) + " ";
  RecordProperty("outcomes", summary);
  std::cout << "differential: " << compared << " comparisons; reference outcomes: " << summary << "\n";
}

}  // namespace
}  // namespace miaopi::engine
