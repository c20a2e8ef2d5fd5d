// Decisions: golden records for folders of tests/golden/decide (pack/,
// apps.jsonl, options.txt with the date and flags, expected.jsonl), and the
// decision rules of LANGUAGE.md checked one by one.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/include/miaopi/miaopi.h"
#include "tests/testing/golden.h"

namespace miaopi {
namespace {

using testing::ReadFileOrDie;
using testing::SourceDir;

// tests/golden/decide/NAME/: pack/ (or pack.txt naming one), apps.jsonl,
// options.txt (the date, `explain`), licences.jsonl when the pack uses
// licences; expected.jsonl the records.
class DecideGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DecideGolden, Records) {
  const std::filesystem::path dir = testing::GoldenPath("decide", GetParam());
  std::string pack_dir = std::filesystem::exists(dir / "pack") ? (dir / "pack").string()
                                                               : SourceDir() + "/" + ReadFileOrDie(dir / "pack.txt");
  while (!pack_dir.empty() && pack_dir.back() == '\n') pack_dir.pop_back();
  LoadResult loaded = LoadPack(pack_dir);
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  DecideOptions options;
  std::istringstream opts(ReadFileOrDie(dir / "options.txt"));
  for (std::string word; opts >> word;) {
    if (word == "explain") {
      options.explain = true;
    } else {
      options.date = word;
    }
  }
  std::shared_ptr<LicenceStore> licences;
  if (std::filesystem::exists(dir / "licences.jsonl")) {
    std::string db = ::testing::TempDir() + "/miaopi_golden_" + dir.filename().string() + ".db";
    std::filesystem::remove(db);
    std::ifstream in(dir / "licences.jsonl");
    LicenceImportReport imported = ImportLicences(in, db);
    ASSERT_TRUE(imported.errors.empty() && imported.fatal.empty());
    std::string error;
    licences = OpenSqliteLicences(db, &error);
    ASSERT_TRUE(licences) << error;
  }
  Evaluator evaluator(loaded.pack, licences);
  std::istringstream apps(ReadFileOrDie(dir / "apps.jsonl"));
  std::string out;
  for (std::string line; std::getline(apps, line);) {
    if (line.empty() || line[0] == '#') continue;
    out += ToJson(evaluator.Decide(line, options)) + "\n";
  }
  testing::ExpectGolden(dir / "expected.jsonl", out);
}

INSTANTIATE_TEST_SUITE_P(Golden, DecideGolden, ::testing::ValuesIn(testing::GoldenCases("decide")), testing::CaseName);

class Decide : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadResult r = LoadPack(SourceDir() + "/samples/food_sales");
    ASSERT_TRUE(r.ok()) << r.rendered;
    pack_ = r.pack;
  }
  std::string App(const std::string& patch_field = "", const std::string& value = "") {
    std::string app = ReadFileOrDie(SourceDir() + "/tests/golden/decide/food_sales/base.json");
    if (!patch_field.empty()) {
      size_t at = app.find("\"" + patch_field + "\": ");
      EXPECT_NE(at, std::string::npos);
      size_t start = at + patch_field.size() + 4;
      size_t end = app.find_first_of(",}", start);
      app.replace(start, end - start, value);
    }
    return app;
  }
  Record Run(const std::string& app, const std::string& date = "2026-09-10", bool explain = false) {
    Evaluator e(pack_);
    DecideOptions options;
    options.date = date;
    options.explain = explain;
    return e.Decide(app, options);
  }
  std::shared_ptr<const Pack> pack_;
};

TEST_F(Decide, EveryRecordNamesPackDateAndVersion) {
  Record r = Run(App());
  ASSERT_TRUE(r.ok) << r.error.message;
  EXPECT_EQ(r.decision.decision, Outcome::kApprove);
  EXPECT_EQ(r.decision.date, "2026-09-10");
  EXPECT_EQ(r.decision.pack.name, "nanhai.market");
  EXPECT_EQ(r.decision.pack.version, "2026.09.1");
  EXPECT_EQ(r.decision.pack.hash.rfind("sha256:", 0), 0u);
  EXPECT_EQ(r.decision.pack.hash.size(), 7u + 64u);
  EXPECT_EQ(r.decision.item_effective, "2026-09-01");
  EXPECT_EQ(r.decision.id_json, "\"FS-T-001\"");
}

TEST_F(Decide, SameInputsSameRecord) {
  std::string first = ToJson(Run(App("area_m2", "\"x\""), "2026-09-10", true));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ToJson(Run(App("area_m2", "\"x\""), "2026-09-10", true)), first);
}

TEST_F(Decide, MissingDataNeverApproves) {
  Record r = Run(App("area_m2", "null"));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.decision.decision, Outcome::kReview);
  ASSERT_EQ(r.decision.reasons.size(), 1u);
  EXPECT_EQ(r.decision.reasons[0].status, RuleStatus::kUnknown);
  EXPECT_EQ(r.decision.reasons[0].missing, std::vector<std::string>{"business.area_m2"});
}

TEST_F(Decide, ReasonsCarryTheRuleBasisElseTheItemBasis) {
  Record r = Run(App("id_number", "\"110105194912310021\""));
  ASSERT_TRUE(r.ok);
  bool saw_rule_basis = false;
  for (const Reason& reason : r.decision.reasons) {
    if (reason.rule == "ID_NUMBER") {
      EXPECT_EQ(reason.basis, "GB 11643-1999");
      saw_rule_basis = true;
    } else {
      EXPECT_EQ(reason.basis, "《中华人民共和国食品安全法》第三十五条");
    }
  }
  EXPECT_TRUE(saw_rule_basis);
}

TEST_F(Decide, TraceShowsTheDecidingValues) {
  Record r = Run(App("area_m2", "8"), "2026-09-10", true);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.decision.trace.size(), 12u);
  const TraceRule& area = r.decision.trace.back().rule == "AREA" ? r.decision.trace.back() : r.decision.trace[10];
  EXPECT_EQ(area.rule, "AREA");
  EXPECT_EQ(area.status, RuleStatus::kFail);
  EXPECT_EQ(area.facts, std::vector<std::string>{"business.area_m2 = 8 < 10"});
}

TEST_F(Decide, DateSelectsTheVersionInForce) {
  Record early = Run(App(), "2026-08-31");
  EXPECT_FALSE(early.ok);
  EXPECT_EQ(early.error.code, "no_version_in_force");
  EXPECT_EQ(early.error.id_json, "\"FS-T-001\"");
  Record bad = Run(App(), "2026-02-30");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error.code, "bad_date");
}

// Versions are found by their windows [effective, until], through the
// lookup every decision makes: each edge, the gap between two versions,
// and a code with one version among codes with several.
TEST(DecideVersions, EachDateDecidesWithTheVersionInForce) {
  std::string dir = ::testing::TempDir() + "/miaopi_decide_versions";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  testing::WriteFile(dir + "/v.rules", R"(pack "v" version "1"
item "A" "old" { effective @2025-01-01 until @2025-06-30 input { x: int } rule R "m" require x > 0 else reject }
item "A" "new" { effective @2025-08-01 input { x: int } rule R "m" require x > 1 else reject }
item "B" "only" { effective @2025-03-01 until @2025-03-31 input { x: int } rule R "m" require x > 2 else reject }
item "C" "first" { effective @2024-01-01 until @2024-12-31 input { x: int } rule R "m" require x > 3 else reject }
item "C" "second" { effective @2025-01-01 input { x: int } rule R "m" require x > 4 else reject }
)");
  LoadResult loaded = LoadPack(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  Evaluator e(loaded.pack);
  auto decide = [&](const std::string& item, const std::string& date) {
    DecideOptions options;
    options.date = date;
    Record r = e.Decide(R"({"id": 1, "item": ")" + item + R"(", "x": 2})", options);
    if (!r.ok) return r.error.code;
    return r.decision.item_effective + " " + OutcomeName(r.decision.decision);
  };
  struct Case {
    const char *item, *date, *expected;  // the item version's effective date and the decision, or the error
  };
  const Case cases[] = {
      {"A", "2024-12-31", "no_version_in_force"}, {"A", "2025-01-01", "2025-01-01 approve"},
      {"A", "2025-06-30", "2025-01-01 approve"},  {"A", "2025-07-01", "no_version_in_force"},
      {"A", "2025-07-31", "no_version_in_force"}, {"A", "2025-08-01", "2025-08-01 approve"},
      {"A", "2099-12-31", "2025-08-01 approve"},  {"B", "2025-02-28", "no_version_in_force"},
      {"B", "2025-03-15", "2025-03-01 reject"},   {"B", "2025-04-01", "no_version_in_force"},
      {"C", "2024-12-31", "2024-01-01 reject"},   {"C", "2025-01-01", "2025-01-01 reject"},
      {"D", "2025-01-01", "unknown_item"},
  };
  for (const Case& c : cases) EXPECT_EQ(decide(c.item, c.date), c.expected) << c.item << " on " << c.date;
}

}  // namespace
}  // namespace miaopi
