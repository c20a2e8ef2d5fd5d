// Regression tests for the defects of the hostile audit of 2026-12-02 that
// live inside the library (each failed before its fix): the CLI's are in
// tests/cli_hardening_test.sh, the reproducers in tests/reliability_test.sh.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/file_read.h"
#include "engine/compile/pack.h"
#include "engine/graph/graph_check.h"
#include "engine/graph/graph_print.h"
#include "engine/runtime/decider.h"
#include "engine/runtime/licence_lookup.h"
#include "engine/testing/inspect.h"
#include "tests/testing/generate.h"
#include "tests/testing/golden.h"

namespace miaopi::engine {
namespace {

LoadResult LoadFiles(const std::string& name, std::map<std::string, std::string> files) {
  testing::GeneratedPack pack;
  pack.files = std::move(files);
  std::string dir = ::testing::TempDir() + "/miaopi_hardening_" + name;
  std::filesystem::remove_all(dir);
  testing::WritePack(pack, dir);
  return LoadPack(dir);
}

std::shared_ptr<const Pack> LoadOrFail(const std::string& name, std::map<std::string, std::string> files) {
  LoadResult r = LoadFiles(name, std::move(files));
  EXPECT_TRUE(r.ok()) << r.rendered << r.io_error;
  return r.pack;
}

// 1. A column of a let-bound row names the row's table, not the let's index
// (printing the graph read past the other table's columns).
TEST(Hardening, ColumnsOfALetBoundRowNameTheirTable) {
  auto pack = LoadOrFail("let_row", {{"p.rules",
                                      "pack \"t\" version \"1\"\n"
                                      "table other from \"o.csv\" key k\n"
                                      "table zones from \"z.csv\" key id (max: number, lit: bool)\n"
                                      "item \"X\" \"x\" {\n  effective @2026-01-01\n"
                                      "  input { seg: string, area: number, lit: bool }\n"
                                      "  let zone = zones[seg]\n"
                                      "  rule R1 \"r\" require area <= zone.max else review\n"
                                      "  rule R2 \"r\" require not lit or zone.lit else review\n}\n"},
                                     {"o.csv", "k,class\na,b\n"},
                                     {"z.csv", "id,zone,max,lit\na,z,10,\n"}});
  ASSERT_TRUE(pack);
  const CompiledItem& item = pack->impl().items[0];
  PrintContext ctx;
  ctx.tables = &pack->impl().tables;
  std::string text = GraphText(item.graph, ctx);
  EXPECT_NE(text.find("column %"), std::string::npos);
  EXPECT_NE(text.find(".max"), std::string::npos) << text;
  EXPECT_EQ(text.find(".class"), std::string::npos) << text;
  EXPECT_EQ(CheckGraph(item.graph, pack->impl().tables, pack->impl().decisions), "");
  // An empty cell of it names the zones table (the evaluator used the wrong one).
  Evaluator e(pack);
  DecideOptions o;
  o.date = "2026-09-10";
  Record r = e.Decide(R"({"item": "X", "seg": "a", "area": 5, "lit": true})", o);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.decision.reasons.size(), 1u);
  EXPECT_EQ(r.decision.reasons[0].missing, std::vector<std::string>{"zones[\"a\"].lit"});
}

// The structural check finds what the bug above produced.
TEST(Hardening, TheGraphCheckFindsAColumnPastItsTable) {
  auto pack = LoadOrFail("graph_check", {{"p.rules",
                                          "pack \"t\" version \"1\"\n"
                                          "table zones from \"z.csv\" key id (max: number)\n"
                                          "item \"X\" \"x\" {\n  effective @2026-01-01\n  input { seg: string }\n"
                                          "  rule R \"r\" require zones[seg].max > 1 else review\n}\n"},
                                         {"z.csv", "id,max\na,10\n"}});
  ASSERT_TRUE(pack);
  Graph copy;
  const Graph& g = pack->impl().items[0].graph;
  copy.nodes = g.nodes;
  copy.labels = g.labels;
  copy.consts = g.consts;
  copy.shapes = g.shapes;
  copy.scheduled = g.scheduled;
  copy.rules = g.rules;
  for (Node& n : copy.nodes) {
    if (n.kind == NodeKind::kColumn) n.b = 7;
  }
  copy.sweep_nodes.assign(copy.nodes.begin(), copy.nodes.end());
  EXPECT_NE(CheckGraph(copy, pack->impl().tables, pack->impl().decisions).find("is not a column"), std::string::npos);
  // The sweep reads its own copy of the nodes: one that differs from the
  // nodes, or is missing, is found too.
  copy.nodes = g.nodes;
  copy.sweep_nodes.assign(copy.nodes.begin(), copy.nodes.end());
  EXPECT_EQ(CheckGraph(copy, pack->impl().tables, pack->impl().decisions), "");
  copy.sweep_nodes.back().a += 1;
  EXPECT_NE(CheckGraph(copy, pack->impl().tables, pack->impl().decisions).find("its sweep copy differs"),
            std::string::npos);
  copy.sweep_nodes.pop_back();
  EXPECT_NE(CheckGraph(copy, pack->impl().tables, pack->impl().decisions).find("the sweep's copy of the nodes"),
            std::string::npos);
}

// 3. Defs that call defs twice with the same argument expand once per level.
TEST(Hardening, DefCallsWithEqualArgumentsShareOneExpansion) {
  std::string defs;
  for (int i = 0; i < 30; ++i) {
    defs += "def f" + std::to_string(i) + "(x: int) = f" + std::to_string(i + 1) + "(x + 1) + f" +
            std::to_string(i + 1) + "(x + 1)\n";
  }
  defs += "def f30(x: int) = x\n";
  auto pack = LoadOrFail("defs", {{"p.rules", "pack \"t\" version \"1\"\n" + defs +
                                                  "item \"X\" \"x\" {\n  effective @2026-01-01\n  input { a: int }\n"
                                                  "  rule R \"m\" require f0(a) > 1 else review\n}\n"}});
  ASSERT_TRUE(pack);
  EXPECT_LT(pack->impl().items[0].nodes_lowered, 200u);
  Evaluator e(pack);
  DecideOptions o;
  o.date = "2026-09-10";
  Record r = e.Decide(R"({"item": "X", "a": 0})", o);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.decision.decision, Outcome::kApprove);  // 2^30 * 30 > 1
}

// The REPL's reference evaluator stops instead of walking 2^40 calls.
TEST(Hardening, TheReferenceEvaluatorHasAStepBudget) {
  std::string defs;
  for (int i = 0; i < 40; ++i) {
    defs += "def f" + std::to_string(i) + "(x: int) = f" + std::to_string(i + 1) + "(x) + f" + std::to_string(i + 1) +
            "(x)\n";
  }
  defs += "def f40(x: int) = x\n";
  LoadOptions options;
  testing::GeneratedPack files;
  files.files["p.rules"] = "pack \"t\" version \"1\"\n" + defs +
                           "item \"X\" \"x\" {\n  effective @2026-01-01\n  input { a: int }\n"
                           "  rule R \"m\" require f0(a) > 1 else review\n}\n";
  std::string dir = ::testing::TempDir() + "/miaopi_hardening_budget";
  std::filesystem::remove_all(dir);
  testing::WritePack(files, dir);
  std::unique_ptr<Inspector> inspector;
  LoadResult loaded = Inspector::Load(dir, options, &inspector);
  ASSERT_TRUE(inspector) << loaded.rendered;
  rapidjson::Document app;
  app.Parse(R"({"a": 1})");
  Request request;
  request.date = 20000;
  Inspection r = inspector->Evaluate(0, "f0(a)", app, request, nullptr, false, false);
  ASSERT_TRUE(r.ok) << r.diagnostics;
  EXPECT_FALSE(r.value.known);
  ASSERT_FALSE(r.value.notes.empty());
  EXPECT_NE(r.value.notes[0].find("steps"), std::string::npos);
}

// 7. An expression with a date that is no real day is not evaluated.
TEST(Hardening, AnInvalidDateLiteralIsAnError) {
  std::unique_ptr<Inspector> inspector;
  LoadResult loaded = Inspector::Load(testing::SourceDir() + "/samples/food_sales", {}, &inspector);
  ASSERT_TRUE(inspector) << loaded.rendered;
  rapidjson::Document app;
  app.SetObject();
  Request request;
  request.date = 20000;
  for (const char* text : {"@2026-02-30", "submitted_at < @2026-02-30", "@0000-01-01"}) {
    Inspection r = inspector->Evaluate(0, text, app, request, nullptr, false, false);
    EXPECT_FALSE(r.ok) << text;
    EXPECT_NE(r.diagnostics.find("E003"), std::string::npos) << text;
  }
}

// 16. Explain facts have balanced parentheses, and a decided condition says so.
TEST(Hardening, ExplainFactsAreBalancedAndDecidedConditionsShown) {
  auto pack = LoadOrFail("explain", {{"p.rules",
                                      "pack \"t\" version \"1\"\n"
                                      "item \"X\" \"x\" {\n  effective @2026-01-01\n  input { a: int }\n"
                                      "  rule P \"m\" require (a + 1) * 2 >= 10 else review\n"
                                      "  rule T \"m\" require a > 100 or true else review\n}\n"}});
  ASSERT_TRUE(pack);
  Evaluator e(pack);
  DecideOptions o;
  o.date = "2026-09-10";
  o.explain = true;
  Record r = e.Decide(R"({"item": "X", "a": 1})", o);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.decision.trace.size(), 2u);
  for (const TraceRule& t : r.decision.trace) {
    EXPECT_FALSE(t.facts.empty()) << t.rule;
    for (const std::string& fact : t.facts) {
      int depth = 0;
      for (char c : fact) {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        EXPECT_GE(depth, 0) << fact;
      }
      EXPECT_EQ(depth, 0) << fact;
    }
  }
}

// 13/14. Only a licence in force is used; a corrupt record is unreadable.
TEST(Hardening, OnlyLicencesInForceAreUsed) {
  const int32_t today = *dsl::ParseIsoDate("2026-09-10");
  auto check = [&](const std::string& json) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    return LicenceNotInForce(d, today);
  };
  EXPECT_EQ(check(R"({"status": "valid", "issued": "2020-01-01", "expires": "2030-01-01"})"), std::nullopt);
  EXPECT_EQ(check(R"({"status": "valid"})"), std::nullopt);
  EXPECT_EQ(check(R"({"status": "valid", "expires": "2026-09-10"})"), std::nullopt);  // in force that day
  EXPECT_EQ(check(R"({"status": "valid", "expires": "2026-09-09"})"), LicenceProblem::kExpired);
  EXPECT_EQ(check(R"({"status": "valid", "issued": "2026-09-11"})"), LicenceProblem::kNotYetValid);
  EXPECT_EQ(check(R"({"status": "revoked"})"), LicenceProblem::kRevoked);
  EXPECT_EQ(check(R"({"status": "cancelled"})"), LicenceProblem::kCancelled);
  EXPECT_EQ(check(R"({"status": "suspended"})"), LicenceProblem::kSuspended);
  EXPECT_EQ(check(R"({"status": "expired"})"), LicenceProblem::kExpired);
  EXPECT_EQ(check(R"({"status": "VALID"})"), LicenceProblem::kOtherStatus);
  EXPECT_EQ(check(R"({"status": ""})"), LicenceProblem::kOtherStatus);
  EXPECT_EQ(check(R"({"status": 1})"), LicenceProblem::kUnreadable);
  EXPECT_EQ(check(R"({})"), LicenceProblem::kUnreadable);
  EXPECT_EQ(check(R"({"status": "valid", "expires": "2026-02-30"})"), LicenceProblem::kUnreadable);
  EXPECT_EQ(check(R"({"status": "valid", "issued": 20200101})"), LicenceProblem::kUnreadable);
}

// 15. A duplicate member anywhere is an error record on both decision paths.
TEST(Hardening, DuplicateMembersAreErrorRecordsWithTheirPath) {
  LoadResult loaded = LoadPack(testing::SourceDir() + "/samples/food_sales");
  ASSERT_TRUE(loaded.ok());
  Decider fast(loaded.pack->impl()), general(loaded.pack->impl());
  general.DisableFastText();
  Request request;
  request.date = *dsl::ParseIsoDate("2026-09-10");
  struct Case {
    std::string text, path;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"id": "A", "item": "FS-001", "item": "FS-002"})", "item"},
           {R"({"id": "A", "item": "FS-001", "staff": [{"name": "a"}, {"name": "b", "name": "c"}]})", "staff[1].name"},
           {R"({"application": {"id": "A", "item": "FS-001"}, "context": {"town": "1", "town": "2"}})", "context.town"},
           {R"({"id": "A", "id": "B", "item": "FS-001"})", "id"},
           // "application" that is no object: no envelope, the root is the application.
           {R"({"application": 5, "id": "A", "item": "FS-001", "x": 1, "x": 2})", "x"},
           // An empty name repeated at the root (it once read as no repeat).
           {R"({"id": "A", "": 1, "item": "FS-001", "": 2})", R"("")"},
           {R"({"id": "A", "item": "FS-001", "applicant": {"": {"": 1, "x": 2, "": 3}}})", R"(applicant.""."")"},
       }) {
    for (Decider* d : {&fast, &general}) {
      Record r;
      d->Decide(c.text, request, &r);
      ASSERT_FALSE(r.ok) << c.text;
      EXPECT_EQ(r.error.code, "duplicate_key");
      EXPECT_NE(r.error.message.find("member " + c.path + " appears twice"), std::string::npos) << r.error.message;
      EXPECT_EQ(r.error.id_json, c.path == "id" ? "" : "\"A\"");
    }
  }
  // A document built by a backend is checked too.
  rapidjson::Document doc;
  doc.Parse(R"({"item": "FS-001"})");
  doc.AddMember("item", "FS-002", doc.GetAllocator());
  Record r;
  fast.Decide(doc, request, &r);
  EXPECT_EQ(r.error.code, "duplicate_key");
}

// 4. Pack files: only regular files inside the pack, read up to their limit.
TEST(Hardening, FilesAreReadBoundedAndOnlyRegularWhereAsked) {
  dsl::BoundedRead zero = dsl::ReadFileBounded("/dev/zero", 1000, dsl::FileKinds::kAnyReadable);
  EXPECT_TRUE(zero.ok && zero.too_large && !zero.size_known);
  EXPECT_TRUE(zero.text.empty());
  dsl::BoundedRead device = dsl::ReadFileBounded("/dev/zero", 1000, dsl::FileKinds::kRegularOnly);
  EXPECT_FALSE(device.ok);
  EXPECT_NE(device.error.find("a character device"), std::string::npos);
  dsl::BoundedRead dir = dsl::ReadFileBounded("/tmp", 1000, dsl::FileKinds::kAnyReadable);
  EXPECT_FALSE(dir.ok);
  EXPECT_EQ(dir.error, "is a directory");
}

}  // namespace
}  // namespace miaopi::engine

namespace miaopi::engine {
namespace {

// Counts the lookups that reach the store.
class CountingStore : public LicenceStore {
 public:
  explicit CountingStore(std::shared_ptr<LicenceStore> inner) : inner_(std::move(inner)) {}
  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override {
    ++finds;
    return inner_->Find(type, key, out);
  }
  uint64_t Generation() override { return inner_->Generation(); }
  std::atomic<int> finds{0};

 private:
  std::shared_ptr<LicenceStore> inner_;
};

// The engine keeps parsed answers while the database does not change (a
// repeated decision asks the store nothing), and a licence revoked by an
// import is seen by the very next decision.
TEST(Hardening, ARevokedLicenceIsSeenByTheNextDecision) {
  const std::string dir = testing::SourceDir() + "/rules/nanhai/tests";
  auto db = std::filesystem::path(::testing::TempDir()) / "miaopi_hardening_revoke.db";
  std::filesystem::remove(db);
  {
    std::ifstream in(dir + "/licences.jsonl");
    ASSERT_TRUE(ImportLicences(in, db.string()).fatal.empty());
  }
  std::string error;
  std::shared_ptr<LicenceStore> sqlite = OpenSqliteLicences(db.string(), &error);
  ASSERT_TRUE(sqlite) << error;
  EXPECT_NE(sqlite->Generation(), 0u);  // a WAL database: changes are seen without a query
  auto store = std::make_shared<CountingStore>(sqlite);
  LoadResult loaded = LoadPack(testing::SourceDir() + "/rules/nanhai");
  ASSERT_TRUE(loaded.ok());
  Evaluator evaluator(loaded.pack, store);
  rapidjson::Document cases;
  std::string text = testing::ReadFileOrDie(dir + "/p03_residence.json");
  cases.Parse(text.c_str());
  const rapidjson::Value& c = cases[0];  // approved on the applicant's ID card
  rapidjson::StringBuffer app;
  rapidjson::Writer<rapidjson::StringBuffer> w(app);
  c["application"].Accept(w);
  DecideOptions options;
  options.date = c["date"].GetString();
  options.context =
      "{\"subject\": {\"kind\": \"natural_person\", \"id\": \"440304199001010011\", \"auth_level\": "
      "\"sms\"}, \"town\": \"440605011\"}";
  EXPECT_EQ(evaluator.Decide(app.GetString(), options).decision.decision, Outcome::kApprove);
  const int first = store->finds;
  EXPECT_GT(first, 0);
  for (int i = 0; i < 3; ++i) {  // decided again: from the parsed answers kept
    EXPECT_EQ(evaluator.Decide(app.GetString(), options).decision.decision, Outcome::kApprove);
  }
  EXPECT_EQ(store->finds, first);
  std::istringstream revoked(
      R"({"type": "id_card", "number": "440304199001010011", "holder": {"id": "440304199001010011", "kind": "natural_person"}, "status": "revoked", "issued": "2016-05-01", "expires": "2036-05-01"})"
      "\n");
  ASSERT_TRUE(ImportLicences(revoked, db.string()).fatal.empty());
  Record after = evaluator.Decide(app.GetString(), options);
  EXPECT_EQ(after.decision.decision, Outcome::kReview) << ToJson(after);
  EXPECT_GT(store->finds, first);  // asked again: the library changed
  std::istringstream valid_again(
      R"({"type": "id_card", "number": "440304199001010011", "holder": {"id": "440304199001010011", "kind": "natural_person"}, "status": "valid", "issued": "2016-05-01", "expires": "2036-05-01"})"
      "\n");
  ASSERT_TRUE(ImportLicences(valid_again, db.string()).fatal.empty());
  EXPECT_EQ(evaluator.Decide(app.GetString(), options).decision.decision, Outcome::kApprove);
}

}  // namespace
}  // namespace miaopi::engine
