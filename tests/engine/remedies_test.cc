// Remedies, proved by a property rather than by examples alone: on generated
// packs and generated applications, every decision that is not approve gets
// remedies; the application with every example of every fixable remedy
// written in (ApplyRemedyExamples) is decided again by the real evaluator,
// and then each remedied rule passes, no rule that passed fails, and when
// every rule that did not pass was fixable with examples, the decision is
// approve. MIAOPI_REMEDY_PACKS raises the count for long runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>

#include "engine/compile/pack.h"
#include "engine/runtime/decider.h"
#include "tests/testing/generate.h"

namespace miaopi::engine {
namespace {

bool Complete(const Remedy& r) {
  if (r.changes.empty()) return false;
  for (const RemedyChange& c : r.changes) {
    if (c.example.empty() || !c.licence.empty()) return false;
  }
  return true;
}

std::string Show(const Record& r) { return ToJson(r); }

struct Counts {
  size_t decisions = 0, not_approve = 0, remedies = 0, fixable = 0, complete = 0, approved_after = 0, skipped = 0;
  size_t failures = 0;
};

void CheckPack(int seed, int rules, testing::RuleStyle style, int apps, Counts* counts) {
  testing::GeneratedPack generated = testing::GeneratePack(seed, rules, style);
  std::string dir = ::testing::TempDir() + "/miaopi_remedy_" + std::to_string(seed);
  testing::WritePack(generated, dir);
  LoadResult loaded = LoadPack(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  std::string licence_error;
  std::shared_ptr<LicenceStore> store = MemoryLicences(testing::GenerateLicences(seed), &licence_error);
  ASSERT_NE(store, nullptr) << licence_error;
  Decider decider(loaded.pack->impl(), store.get());
  Decider plain(loaded.pack->impl(), store.get());
  int32_t date;
  ASSERT_TRUE(ParseDate("2026-09-10", &date));
  for (int a = 0; a < apps && counts->failures < 5; ++a) {
    std::string app = testing::GenerateApplication(static_cast<uint64_t>(seed) * 100003 + a);
    std::string context_text = testing::GenerateContext(static_cast<uint64_t>(seed) * 7919 + a);
    rapidjson::Document context;
    Request request;
    request.date = date;
    if (!context_text.empty()) {
      context.Parse(context_text.c_str());
      request.context = &context;
    }
    Record without;
    plain.Decide(app, request, &without);
    Request asking = request;
    asking.remedies = true;
    Record first;
    decider.Decide(app, asking, &first);
    if (!first.ok) continue;
    ++counts->decisions;
    const Decision& d = first.decision;
    auto fail = [&](const std::string& what, const std::string& after) {
      ++counts->failures;
      ADD_FAILURE() << what << "\npack seed " << seed << "\n"
                    << generated.files["gen.rules"] << "\napplication: " << app << "\ncontext: " << context_text
                    << "\nrecord: " << Show(first) << "\nafter:  " << after;
    };
    // Remedies change nothing else in the record, and come out the same twice.
    Record stripped = first;
    stripped.decision.remedies.clear();
    if (Show(stripped) != Show(without)) fail("asking for remedies changed the record", Show(without));
    Record again;
    decider.Decide(app, asking, &again);
    if (Show(again) != Show(first)) fail("remedies differ from one run to the next", Show(again));
    if (d.decision == Outcome::kApprove) {
      if (!d.remedies.empty()) fail("an approve has remedies", "");
      continue;
    }
    ++counts->not_approve;
    // One remedy per reason, in order.
    if (d.remedies.size() != d.reasons.size()) {
      fail("not one remedy per reason", "");
      continue;
    }
    bool all_complete = true;
    std::set<std::string> not_passing, must_pass;
    for (size_t i = 0; i < d.remedies.size(); ++i) {
      const Remedy& r = d.remedies[i];
      if (r.rule != d.reasons[i].rule) fail("remedies out of order", "");
      not_passing.insert(r.rule);
      ++counts->remedies;
      counts->fixable += r.fixable ? 1 : 0;
      bool complete = r.fixable && Complete(r);
      counts->complete += complete ? 1 : 0;
      all_complete = all_complete && complete;
      if (complete) must_pass.insert(r.rule);
      if (std::getenv("MIAOPI_REMEDY_DEBUG")) {
        for (const RemedyChange& c : r.changes) {
          if (c.example.empty() && r.fixable && c.licence.empty() &&
              (c.need.rfind("==", 0) == 0 || c.condition.rfind("==", 0) == 0)) {
            std::cerr << "NOEX " << c.need << " | " << c.condition << "\n"
                      << generated.files["gen.rules"] << "\n"
                      << app << "\n"
                      << ToJson(first) << "\n";
          }
        }
      }
      if (!r.fixable && r.why.empty()) fail("an unfixable remedy without why", "");
    }
    std::string error;
    std::optional<std::string> fixed = ApplyRemedyExamples(app, d.remedies, &error);
    if (!fixed) {
      fail("the examples could not be applied: " + error, "");
      continue;
    }
    Record after;
    plain.Decide(*fixed, request, &after);
    if (!after.ok) {
      fail("the remedied application is an error record", Show(after));
      continue;
    }
    for (const Reason& reason : after.decision.reasons) {
      if (!not_passing.count(reason.rule)) fail("rule " + reason.rule + " passed before and fails after", *fixed);
      if (must_pass.count(reason.rule)) fail("remedied rule " + reason.rule + " still does not pass", *fixed);
    }
    if (all_complete) {
      if (after.decision.decision != Outcome::kApprove) fail("every rule fixable, yet not approve", *fixed);
      ++counts->approved_after;
    } else {
      ++counts->skipped;
    }
  }
}

TEST(Remedies, ExamplesMakeRulesPassAndBreakNone) {
  const char* env = std::getenv("MIAOPI_REMEDY_PACKS");
  const int kPacks = env ? std::atoi(env) : 40;
  constexpr int kAppsPerPack = 120;
  Counts counts;
  const char* first = std::getenv("MIAOPI_REMEDY_FIRST_PACK");
  std::vector<int> seeds;
  for (int seed = first ? std::atoi(first) : 1, n = 0; n < kPacks; ++seed, ++n) seeds.push_back(seed);
  // Packs that once found a bug, always: 602 (a list changed inside, read
  // by `x in list`, was not read again by the check).
  for (int seed : {602}) {
    if (std::find(seeds.begin(), seeds.end(), seed) == seeds.end()) seeds.push_back(seed);
  }
  for (int seed : seeds) {
    if (counts.failures >= 5) break;
    int rules = seed % 4 == 0 ? 1 : seed % 4 == 1 ? 3 : seed % 4 == 2 ? 6 : 12;
    // Half the packs shaped like real approval rules, half anything the
    // language has (whose remedies often cannot carry an example).
    CheckPack(seed, rules, seed % 2 ? testing::RuleStyle::kPlain : testing::RuleStyle::kAny, kAppsPerPack, &counts);
  }
  std::cout << "remedies: " << counts.decisions << " decisions, " << counts.not_approve << " not approve, "
            << counts.remedies << " remedies (" << counts.fixable << " fixable, " << counts.complete
            << " with every example); " << counts.approved_after << " became approve, " << counts.skipped
            << " had a remedy without an example\n";
  EXPECT_EQ(counts.failures, 0u);
  // The property must be exercised, or it proves little.
  EXPECT_GT(counts.not_approve, 1000u);
  EXPECT_GT(counts.approved_after, 100u);
  EXPECT_GT(counts.complete, 500u);
}

}  // namespace
}  // namespace miaopi::engine
