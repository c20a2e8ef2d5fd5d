// `miaopi verify`: the properties the shipped packs carry are proved, the
// ones the violations pack carries are each refuted with a counterexample
// the engine confirms, lint finds what the lint pack plants, equivalence
// tells a changed rule apart — and, on generated packs, random applications
// never break a property verify proved.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dsl/program.h"
#include "engine/compile/pack.h"
#include "engine/include/miaopi/licences.h"
#include "engine/runtime/decider.h"
#include "engine/runtime/request.h"
#include "engine/testing/reference.h"
#include "tests/testing/generate.h"
#include "verify/verify.h"

namespace miaopi::verify {
namespace {

namespace fs = std::filesystem;

std::string Source(const std::string& relative) { return std::string(MIAOPI_SOURCE_DIR) + "/" + relative; }

std::shared_ptr<const Pack> Load(const std::string& dir) {
  LoadResult loaded = LoadPack(dir);
  EXPECT_TRUE(loaded.ok()) << loaded.rendered << loaded.io_error;
  return loaded.pack;
}

std::string Describe(const PropertyResult& r) {
  std::string s = r.item + " " + r.code + ": " + VerdictName(r.verdict) + " " + r.why;
  if (r.counterexample)
    s += "\n  app " + r.counterexample->witness.application + "\n  record " + r.counterexample->record;
  return s;
}

TEST(VerifySample, ProvesWhatTheRulesPromiseAndFindsTheLeapDay) {
  std::shared_ptr<const Pack> pack = Load(Source("samples/food_sales"));
  ASSERT_TRUE(pack);
  std::vector<PropertyResult> results = VerifyProperties(pack, {});
  ASSERT_EQ(results.size(), 7u);
  for (const PropertyResult& r : results) {
    EXPECT_FALSE(r.encoding_bug) << Describe(r);
    if (r.code == "ADULT") {
      // The AGE rule counts `birth + 18 years`: born on 29 February, adult on
      // 28 February — where age() still says 17.
      ASSERT_EQ(r.verdict, Verdict::kViolated) << Describe(r);
      ASSERT_TRUE(r.counterexample);
      rapidjson::Document app;
      app.Parse(r.counterexample->witness.application.c_str());
      std::string birth = app["applicant"]["birth_date"].GetString();
      EXPECT_EQ(birth.substr(4), "-02-29") << r.counterexample->witness.application;
      EXPECT_NE(r.counterexample->record.find("\"decision\":\"approve\""), std::string::npos);
      EXPECT_EQ(r.counterexample->property_value, "false");
    } else {
      EXPECT_EQ(r.verdict, Verdict::kProved) << Describe(r);
      EXPECT_EQ(r.list_bound, 3u);
    }
  }
}

TEST(VerifyNanhai, EveryPropertyIsProved) {
  std::shared_ptr<const Pack> pack = Load(Source("rules/nanhai"));
  ASSERT_TRUE(pack);
  std::vector<PropertyResult> results = VerifyProperties(pack, {});
  EXPECT_GE(results.size(), 13u);
  for (const PropertyResult& r : results) EXPECT_EQ(r.verdict, Verdict::kProved) << Describe(r);
}

TEST(VerifyViolations, EachFalsePropertyIsFoundAndConfirmed) {
  std::shared_ptr<const Pack> pack = Load(Source("tests/verify/packs/violations"));
  ASSERT_TRUE(pack);
  std::vector<PropertyResult> results = VerifyProperties(pack, {});
  ASSERT_GE(results.size(), 19u);
  for (const PropertyResult& r : results) {
    EXPECT_FALSE(r.encoding_bug) << Describe(r);
    if (r.code.rfind("V_", 0) == 0) {
      EXPECT_EQ(r.verdict, Verdict::kViolated) << Describe(r);
      EXPECT_TRUE(r.counterexample) << r.code;
    } else {
      EXPECT_EQ(r.verdict, Verdict::kProved) << Describe(r);
    }
  }
}

TEST(VerifyViolations, OptionsPickOneProperty) {
  std::shared_ptr<const Pack> pack = Load(Source("tests/verify/packs/violations"));
  ASSERT_TRUE(pack);
  VerifyOptions options;
  options.property = "V_AREA";
  std::vector<PropertyResult> results = VerifyProperties(pack, options);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].verdict, Verdict::kViolated);
  // The counterexample's area is one the rule lets through and the property does not.
  rapidjson::Document app;
  app.Parse(results[0].counterexample->witness.application.c_str());
  double area = app["area"].GetDouble();
  EXPECT_GE(area, 10);
  EXPECT_LT(area, 12);
  options.item = "NO-SUCH-ITEM";
  EXPECT_TRUE(VerifyProperties(pack, options).empty());
}

TEST(VerifyLint, FindsEveryPlantedProblem) {
  std::shared_ptr<const Pack> pack = Load(Source("tests/verify/packs/lint"));
  ASSERT_TRUE(pack);
  std::set<std::string> found;
  for (const LintFinding& f : Lint(pack, {}))
    found.insert(f.kind + " " + f.rule + (f.other_rule.empty() ? "" : ">" + f.other_rule));
  std::set<std::string> expected = {"never_approves ",          "rule_never_fails ALWAYS",
                                    "rule_never_passes NEVER",  "rule_always_unknown BROKEN",
                                    "rule_implied BIG>SMALLER", "row_never_matches "};
  EXPECT_EQ(found, expected);
}

TEST(VerifyLint, TheSamplePackIsClean) {
  std::shared_ptr<const Pack> pack = Load(Source("samples/food_sales"));
  ASSERT_TRUE(pack);
  for (const LintFinding& f : Lint(pack, {})) ADD_FAILURE() << f.kind << ": " << f.message;
}

// A copy of the sample pack with one rule's text replaced.
std::string ChangedSample(const std::string& from, const std::string& to) {
  std::string dir = ::testing::TempDir() + "/miaopi_verify_changed";
  fs::remove_all(dir);
  fs::copy(Source("samples/food_sales"), dir, fs::copy_options::recursive);
  std::ifstream in(dir + "/food_sales.rules");
  std::stringstream text;
  text << in.rdbuf();
  std::string rules = text.str();
  size_t at = rules.find(from);
  EXPECT_NE(at, std::string::npos);
  rules.replace(at, from.size(), to);
  std::ofstream(dir + "/food_sales.rules") << rules;
  return dir;
}

TEST(VerifyEquivalent, APackDecidesLikeItself) {
  std::shared_ptr<const Pack> pack = Load(Source("samples/food_sales"));
  ASSERT_TRUE(pack);
  std::vector<EquivalenceResult> results = Equivalent(pack, pack, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].verdict, Verdict::kProved) << results[0].why;
  EXPECT_TRUE(results[0].changes.empty());
}

TEST(VerifyEquivalent, ARaisedThresholdShowsEachKindOfChange) {
  std::shared_ptr<const Pack> old_pack = Load(Source("samples/food_sales"));
  std::shared_ptr<const Pack> new_pack = Load(ChangedSample("business.area_m2 >= 10", "business.area_m2 >= 12"));
  ASSERT_TRUE(old_pack && new_pack);
  std::vector<EquivalenceResult> results = Equivalent(old_pack, new_pack, {});
  ASSERT_EQ(results.size(), 1u);
  const EquivalenceResult& r = results[0];
  EXPECT_EQ(r.verdict, Verdict::kViolated) << r.why;
  EXPECT_FALSE(r.encoding_bug);
  // AREA says review: only approve → review can change.
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].from, Outcome::kApprove);
  EXPECT_EQ(r.changes[0].to, Outcome::kReview);
  EXPECT_TRUE(r.changes[0].confirmed) << r.changes[0].old_record << "\n" << r.changes[0].new_record;
}

TEST(VerifyVersions, EachKindOfChangeBetweenTwoVersionsIsShown) {
  std::shared_ptr<const Pack> pack = Load(Source("tests/verify/packs/versions"));
  ASSERT_TRUE(pack);
  std::vector<EquivalenceResult> results = CompareVersions(pack, {});
  ASSERT_EQ(results.size(), 1u);
  const EquivalenceResult& r = results[0];
  EXPECT_EQ(r.old_version, "2026-01-01");
  EXPECT_EQ(r.new_version, "2027-01-01");
  EXPECT_EQ(r.verdict, Verdict::kViolated) << r.why;
  EXPECT_FALSE(r.encoding_bug);
  std::set<std::string> kinds;
  for (const Change& c : r.changes) {
    EXPECT_TRUE(c.confirmed) << c.old_record << "\n" << c.new_record;
    kinds.insert(std::string(OutcomeName(c.from)) + ">" + OutcomeName(c.to));
  }
  // A raised area threshold (approve → review) and a dropped staff rule
  // (reject → approve, reject → review, and review → approve where the
  // staff count was missing).
  EXPECT_EQ(kinds, (std::set<std::string>{"approve>review", "review>approve", "reject>approve", "reject>review"}));
}

TEST(VerifyLanguage, PropertyMistakesAreDiagnostics) {
  std::string pack =
      "pack \"p\" version \"1\"\n"
      "item \"A\" \"a\" {\n  effective @2026-01-01\n  input { x: int }\n"
      "  rule R \"r\" require x > 1 else reject\n"
      "  rule S \"s\" require x > 1 implies x > 0 else reject\n}\n"
      "property P1 \"no item\" for \"B\": decision == approve\n"
      "property P2 \"ok\" for \"A\": decision == approve implies x > 1\n"
      "property P2 \"twice\" for \"A\": true\n"
      "property P3 \"no rule\" for \"A\": rule(Q) == pass\n"
      "property P4 \"not bool\" for \"A\": decision\n";
  dsl::Diagnostics diags;
  std::unique_ptr<dsl::Program> program =
      dsl::BuildProgram({"p.rules"}, dsl::MemoryReader({{"p.rules", pack}}), {}, diags);
  std::set<std::string> codes;
  for (const dsl::Diagnostic& d : diags.all()) codes.insert(std::string(dsl::CodeText(d.code)));
  EXPECT_EQ(codes, (std::set<std::string>{"E302", "E601", "E602", "E603", "E604"}));
  ASSERT_TRUE(program);
  // P2 is typed for the one version of A; the others are kept but not ok.
  size_t ok = 0;
  for (const dsl::PropertyCheck& p : program->properties) ok += p.ok;
  EXPECT_EQ(ok, 1u);
}

// ---------------------------------------------------------------- differential

// Properties over the generated packs' rules R0.., true and false alike.
std::string GeneratedProperties(int rules) {
  std::string text;
  auto add = [&](const std::string& code, const std::string& cond) {
    text += "property " + code + " \"generated\" for \"GEN\": " + cond + "\n";
  };
  add("APPROVE_PASSES", "decision == approve implies rule(R0) == pass");
  add("FAIL_BLOCKS", "rule(R" + std::to_string(rules - 1) + ") == fail implies decision != approve");
  add("NEVER_REJECT", "decision != reject");
  add("KNOWN", "rule(R0) != unknown");
  add("PAIR", "rule(R0) == pass implies rule(R1) == pass");
  add("BIRTH", "decision == approve implies exists(person.birth)");
  add("ITEMS", "count(items) <= 2 or decision != approve");
  return text;
}

TEST(VerifyDifferential, RandomApplicationsNeverBreakAProof) {
  int packs = std::getenv("MIAOPI_VERIFY_PACKS") ? std::atoi(std::getenv("MIAOPI_VERIFY_PACKS")) : 6;
  int apps = std::getenv("MIAOPI_VERIFY_APPS") ? std::atoi(std::getenv("MIAOPI_VERIFY_APPS")) : 300;
  size_t proved = 0, violated = 0, unknown = 0, checked = 0;
  for (int seed = 1; seed <= packs; ++seed) {
    const int rules = 4;
    testing::GeneratedPack generated =
        testing::GeneratePack(seed, rules, seed % 2 ? testing::RuleStyle::kPlain : testing::RuleStyle::kAny);
    generated.files["properties.rules"] = GeneratedProperties(rules);
    std::string dir = ::testing::TempDir() + "/miaopi_verify_gen_" + std::to_string(seed);
    testing::WritePack(generated, dir);
    LoadResult loaded = LoadPack(dir);
    ASSERT_TRUE(loaded.ok()) << loaded.rendered;
    VerifyOptions options;
    options.timeout_ms = 20000;
    std::vector<PropertyResult> results = VerifyProperties(loaded.pack, options);
    std::string store_error;
    std::shared_ptr<LicenceStore> store = MemoryLicences(testing::GenerateLicences(seed), &store_error);
    ASSERT_TRUE(store) << store_error;
    const engine::CompiledPack& compiled = loaded.pack->impl();
    engine::Decider decider(compiled, store.get());
    engine::ReferenceEvaluator reference(compiled, store.get());
    for (size_t k = 0; k < results.size(); ++k) {
      const PropertyResult& r = results[k];
      EXPECT_FALSE(r.encoding_bug) << "seed " << seed << " " << Describe(r);
      if (r.verdict == Verdict::kViolated) ++violated;
      if (r.verdict == Verdict::kUnknown) ++unknown;
      if (r.verdict != Verdict::kProved) continue;
      ++proved;
      const dsl::PropertyCheck* check = nullptr;
      for (const dsl::PropertyCheck& p : compiled.program->properties) {
        if (p.decl->code == r.code) check = &p;
      }
      ASSERT_TRUE(check);
      for (int a = 0; a < apps; ++a) {
        std::string app_text = testing::GenerateApplication(static_cast<uint64_t>(seed) * 100003 + a);
        std::string context_text = testing::GenerateContext(static_cast<uint64_t>(seed) * 7919 + a);
        rapidjson::Document app, context;
        app.Parse(app_text.c_str());
        engine::Request request;
        ASSERT_TRUE(engine::ParseDate("2026-09-10", &request.date));
        if (!context_text.empty()) {
          context.Parse(context_text.c_str());
          request.context = &context;
        }
        Record record;
        decider.Decide(app_text, request, &record);
        if (!record.ok) continue;
        ++checked;
        engine::ExprValue value = reference.Evaluate(compiled.program->items[check->item], check->cond, app, request,
                                                     nullptr, 500, &record.decision);
        ASSERT_TRUE(value.known && value.value == "true")
            << "seed " << seed << ": " << r.code << " was proved, but is " << value.value << " for " << app_text
            << "\ncontext " << context_text << "\nrecord " << ToJson(record);
      }
    }
  }
  std::printf("verify differential: %zu proved (%zu random decisions checked), %zu violated, %zu unknown\n", proved,
              checked, violated, unknown);
  EXPECT_GT(proved, 0u);
  EXPECT_GT(violated, 0u);
}

}  // namespace
}  // namespace miaopi::verify
