// Remedies case by case on the sample pack (what each construct asks for:
// boundaries, the element of a list, the closest `any` element, the
// cheapest `or` branch, `fixed` fields, missing data, licences), the
// example applier, and the one-time notice as golden text for the typical
// review and reject cases of every Nanhai item (tests/golden/notice).
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>

#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"
#include "tests/testing/golden.h"

namespace miaopi {
namespace {

using testing::SourceDir;

std::shared_ptr<const Pack> Load(const std::string& dir) {
  LoadResult r = LoadPack(SourceDir() + "/" + dir);
  EXPECT_TRUE(r.ok()) << r.rendered;
  return r.pack;
}

// A clean FS-001 application that is approved on 2026-09-10.
std::string Approved() {
  return R"({"id": "R-1", "item": "FS-001", "submitted_at": "2026-09-06",
    "applicant": {"id_number": "440606199001010010", "birth_date": "1990-01-01", "identity": "operator",
                  "phone": "13800003040"},
    "business": {"uscc": "92440605MA4WXY1294", "scope": ["食品销售（仅销售预包装食品）"], "area_m2": 20,
                 "category": "convenience", "district": "440605"},
    "licences": [{"type": "business_licence", "status": "valid", "expires": "2030-01-15",
                  "holder": "92440605MA4WXY1294"}],
    "staff": [{"name": "王芳", "health_cert_expires": "2027-01-01"},
              {"name": "赵磊", "health_cert_expires": "2027-01-01"}]})";
}

// Approved() with one JSON-pointer-ish edit: `path` = `json`.
std::string With(const std::string& path, const std::string& json) {
  std::string error;
  Remedy r;
  r.fixable = true;
  RemedyChange c;
  c.path = path;
  c.example = json;
  r.changes.push_back(c);
  std::optional<std::string> out = ApplyRemedyExamples(Approved(), {r}, &error);
  EXPECT_TRUE(out.has_value()) << error;
  return out.value_or("");
}

class RemedyCases : public ::testing::Test {
 protected:
  void SetUp() override { evaluator_ = std::make_unique<Evaluator>(Load("samples/food_sales")); }
  Record Decide(const std::string& app) {
    DecideOptions o;
    o.date = "2026-09-10";
    o.remedies = true;
    return evaluator_->Decide(app, o);
  }
  const Remedy* Of(const Record& r, const std::string& rule) {
    for (const Remedy& rem : r.decision.remedies) {
      if (rem.rule == rule) return &rem;
    }
    ADD_FAILURE() << "no remedy for " << rule << " in " << ToJson(r);
    return nullptr;
  }
  std::unique_ptr<Evaluator> evaluator_;
};

TEST_F(RemedyCases, ApproveHasNone) {
  Record r = Decide(Approved());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.decision.decision, Outcome::kApprove);
  EXPECT_TRUE(r.decision.remedies.empty());
  EXPECT_EQ(ToJson(r).find("remedies"), std::string::npos);
}

TEST_F(RemedyCases, BoundaryOfAComparison) {
  Record r = Decide(With("business.area_m2", "8"));
  const Remedy* a = Of(r, "AREA");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->fixable);
  ASSERT_EQ(a->changes.size(), 1u);
  EXPECT_EQ(a->changes[0].path, "business.area_m2");
  EXPECT_EQ(a->changes[0].have, "8");
  EXPECT_EQ(a->changes[0].need, ">= 10");
  EXPECT_EQ(a->changes[0].example, "10");
  EXPECT_EQ(a->why, "经营场所面积不足10平方米");
  EXPECT_NE(
      ToJson(r).find(
          R"("remedies":[{"rule":"AREA","fixable":true,"changes":[{"path":"business.area_m2","have":8,"need":">= 10","example":10}])"),
      std::string::npos)
      << ToJson(r);
}

TEST_F(RemedyCases, MissingDataIsProvideWithItsType) {
  Record r = Decide(With("business.area_m2", "null"));
  const Remedy* a = Of(r, "AREA");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->changes.size(), 1u);
  EXPECT_EQ(a->changes[0].need, "provide");
  EXPECT_EQ(a->changes[0].problem, "missing");
  EXPECT_EQ(a->changes[0].type, "number");
  EXPECT_EQ(a->changes[0].condition, ">= 10");
  EXPECT_TRUE(a->changes[0].have.empty());
  EXPECT_EQ(a->changes[0].example, "10");
  // Of the wrong type: the same, said so.
  Record wrong = Decide(With("business.area_m2", "\"eight\""));
  const Remedy* w = Of(wrong, "AREA");
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(w->changes.size(), 1u);
  EXPECT_EQ(w->changes[0].problem, "wrong_type");
  EXPECT_EQ(w->changes[0].need, "provide");
  EXPECT_NE(
      ToJson(wrong).find(
          R"({"path":"business.area_m2","problem":"wrong_type","need":"provide","type":"number","condition":">= 10","example":10})"),
      std::string::npos)
      << ToJson(wrong);
}

TEST_F(RemedyCases, AllNamesEachFailingElementAndTheDayAfter) {
  std::string app = With("staff", R"([{"name": "甲", "health_cert_expires": "2027-01-01"},
      {"name": "乙", "health_cert_expires": "2026-03-01"}, {"name": "丙", "health_cert_expires": "2026-09-06"}])");
  Record rec = Decide(app);
  const Remedy* h = Of(rec, "HEALTH");
  ASSERT_NE(h, nullptr);
  ASSERT_EQ(h->changes.size(), 2u);
  EXPECT_EQ(h->changes[0].path, "staff[1].health_cert_expires");
  EXPECT_EQ(h->changes[0].need, "> @2026-09-06");  // at = submitted_at
  EXPECT_EQ(h->changes[0].example, "\"2026-09-07\"");
  EXPECT_EQ(h->changes[1].path, "staff[2].health_cert_expires");
}

TEST_F(RemedyCases, AnyPicksTheClosestElement) {
  // The first licence is wrong in three ways, the second in one.
  std::string app = With("licences", R"([{"type": "food_licence", "status": "revoked", "expires": "2020-01-01",
      "holder": "92440605MA4WXY1294"}, {"type": "business_licence", "status": "suspended", "expires": "2030-01-01",
      "holder": "92440605MA4WXY1294"}])");
  Record rec = Decide(app);
  const Remedy* l = Of(rec, "LICENCE");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->changes.size(), 1u);
  EXPECT_EQ(l->changes[0].path, "licences[1].status");
  EXPECT_EQ(l->changes[0].have, "\"suspended\"");
  EXPECT_EQ(l->changes[0].need, "== \"valid\"");
  EXPECT_EQ(l->changes[0].example, "\"valid\"");
}

TEST_F(RemedyCases, AnyOverAnEmptyListAddsAnElement) {
  Record rec = Decide(With("licences", "[]"));
  const Remedy* l = Of(rec, "LICENCE");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->changes.size(), 4u);
  EXPECT_EQ(l->changes[0].path, "licences[0].type");
  EXPECT_EQ(l->changes[0].need, "provide");
  EXPECT_EQ(l->changes[0].example, "\"business_licence\"");
  EXPECT_EQ(l->changes[3].path, "licences[0].holder");
  EXPECT_EQ(l->changes[3].example, "\"92440605MA4WXY1294\"");  // the value of business.uscc
}

TEST_F(RemedyCases, OrTakesTheBranchWithFewestChanges) {
  // PHONE: applicant.phone ?? "" == "" or applicant.phone matches "^1[3-9][0-9]{9}$"
  Record rec = Decide(With("applicant.phone", "\"12345\""));
  const Remedy* p = Of(rec, "PHONE");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->fixable);
  ASSERT_EQ(p->changes.size(), 1u);
  EXPECT_EQ(p->changes[0].path, "applicant.phone");
}

TEST_F(RemedyCases, FixedFieldsAreNotFixable) {
  Record r = Decide(With("applicant.birth_date", "\"2010-01-01\""));
  const Remedy* a = Of(r, "AGE");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->fixable);
  EXPECT_TRUE(a->changes.empty());
  EXPECT_NE(a->why.find("申请人须年满18周岁"), std::string::npos) << a->why;
  EXPECT_NE(a->why.find("applicant.birth_date"), std::string::npos) << a->why;
}

TEST_F(RemedyCases, TableMembershipSaysSoWithoutAnExample) {
  Record rec = Decide(With("business.district", "\"990605\""));
  const Remedy* d = Of(rec, "DISTRICT");
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->fixable);
  ASSERT_EQ(d->changes.size(), 1u);
  EXPECT_EQ(d->changes[0].need, "in districts");
  EXPECT_TRUE(d->changes[0].example.empty());
}

TEST_F(RemedyCases, ExamplesAppliedTogetherApprove) {
  std::string app = With("business.area_m2", "3");
  Remedy extra;
  std::string error;
  Record r = Decide(app);
  std::optional<std::string> fixed = ApplyRemedyExamples(app, r.decision.remedies, &error);
  ASSERT_TRUE(fixed) << error;
  Record after = Decide(*fixed);
  EXPECT_EQ(after.decision.decision, Outcome::kApprove) << ToJson(after);
}

TEST_F(RemedyCases, TheRecordIsOtherwiseUnchanged) {
  std::string app = With("business.area_m2", "3");
  DecideOptions plain;
  plain.date = "2026-09-10";
  Record without = evaluator_->Decide(app, plain);
  Record with = Decide(app);
  with.decision.remedies.clear();
  EXPECT_EQ(ToJson(with), ToJson(without));
  // The fast path of DecideToJson writes the same record as ToJson.
  DecideOptions asking = plain;
  asking.remedies = true;
  std::string fast;
  evaluator_->DecideToJson(app, asking, 0, &fast);
  EXPECT_EQ(fast, ToJson(Decide(app)));
}

// A small pack written for one test: the reviewer's cases.
class EdgePack : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: ctest runs the fixture's tests side by side.
    std::string dir = ::testing::TempDir() + "/miaopi_remedy_edges_" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    testing::WriteFile(dir + "/edges.rules", R"(pack "edges" version "1"
licence permit "许可证" holder natural_person { level: int }
item "E" "edges" {
  effective @2020-01-01
  input {
    scores: list<int>, n: int, m: int, k: int, c: { start: date, end: date }, key: string
  }
  uses licence permit as p for key
  rule ALL "every score at least 10" require all s in scores: s >= 10 else review
  rule MAX "the greatest score below 8" require max(scores) < 8 else review
  rule WINDOW "ends after it starts" require c.end > c.start else review
  rule SHIFT "k - 1 at most 10" require k - 1 <= 10 else review
  rule HALVES "m among the halves" require m in [1.5, 2.5] else review
  rule WHOLES "n among 2.0 and 3.0" require n in [2.0, 3.0] or n > 100000 else review
  rule PERMIT "a permit of level 1" require p.fields.level >= 1 else review
}
)");
    LoadResult r = LoadPack(dir);
    ASSERT_TRUE(r.ok()) << r.rendered;
    std::string error;
    evaluator_ = std::make_unique<Evaluator>(r.pack, MemoryLicences({}, &error));
  }
  Record Decide(const std::string& app) {
    DecideOptions o;
    o.date = "2026-09-10";
    o.remedies = true;
    o.context = R"({"subject": {"kind": "natural_person", "id": "P1", "auth_level": "face"}})";
    return evaluator_->Decide(app, o);
  }
  static const Remedy* Of(const Record& r, const std::string& rule) {
    for (const Remedy& rem : r.decision.remedies) {
      if (rem.rule == rule) return &rem;
    }
    return nullptr;
  }
  std::unique_ptr<Evaluator> evaluator_;
};

TEST_F(EdgePack, AChangeThatBreaksAPassingRuleIsNoRemedy) {
  // MAX passes with [5]; raising the score to 10 for ALL would break it. The
  // check must see max(scores) again although the list's place did not move.
  Record r =
      Decide(R"({"item": "E", "scores": [5], "n": 2, "m": 2, "c": {"start": "2026-01-01", "end": "2026-02-01"}})");
  const Remedy* all = Of(r, "ALL");
  ASSERT_NE(all, nullptr) << ToJson(r);
  EXPECT_FALSE(all->fixable) << ToJson(r);
  EXPECT_NE(all->why.find("MAX"), std::string::npos) << all->why;
}

TEST_F(EdgePack, NoDateBeyondTheLastDay) {
  Record r = Decide(R"({"item": "E", "scores": [], "n": 2, "c": {"start": "9999-12-31", "end": "9999-12-31"}})");
  const Remedy* w = Of(r, "WINDOW");
  ASSERT_NE(w, nullptr) << ToJson(r);
  for (const RemedyChange& c : w->changes) EXPECT_EQ(c.example.find("10000"), std::string::npos) << c.example;
}

TEST_F(EdgePack, SearchingFromTheLargestIntDoesNotOverflow) {
  Record r = Decide(
      R"({"item": "E", "scores": [], "n": 2, "k": 9223372036854775807, "c": {"start": "2026-01-01", "end": "2026-02-01"}})");
  const Remedy* s = Of(r, "SHIFT");
  ASSERT_NE(s, nullptr) << ToJson(r);
  ASSERT_EQ(s->changes.size(), 1u);
  EXPECT_EQ(s->changes[0].example, "11");
}

TEST_F(EdgePack, MembershipExamplesHaveTheFieldsType) {
  Record r =
      Decide(R"({"item": "E", "scores": [], "n": 7, "m": 7, "c": {"start": "2026-01-01", "end": "2026-02-01"}})");
  const Remedy* halves = Of(r, "HALVES");
  ASSERT_NE(halves, nullptr);
  ASSERT_EQ(halves->changes.size(), 1u);
  EXPECT_TRUE(halves->changes[0].example.empty()) << "no int is 1.5 or 2.5: " << halves->changes[0].example;
  const Remedy* wholes = Of(r, "WHOLES");
  ASSERT_NE(wholes, nullptr);
  ASSERT_EQ(wholes->changes.size(), 1u);
  EXPECT_TRUE(wholes->fixable) << wholes->why;
  EXPECT_EQ(wholes->changes[0].example, "2");
}

TEST_F(EdgePack, AMissingLicenceKeyIsProvided) {
  Record r = Decide(R"({"item": "E", "scores": [], "n": 2, "c": {"start": "2026-01-01", "end": "2026-02-01"}})");
  const Remedy* permit = Of(r, "PERMIT");
  ASSERT_NE(permit, nullptr) << ToJson(r);
  ASSERT_EQ(permit->changes.size(), 1u);
  EXPECT_EQ(permit->changes[0].path, "key");
  EXPECT_EQ(permit->changes[0].need, "provide");
  EXPECT_TRUE(permit->changes[0].licence.empty());
}

TEST_F(EdgePack, ALongListIsCappedAndSaysSo) {
  std::string scores;
  for (int i = 0; i < 150; ++i) scores += (i ? "," : "") + std::string("1");
  Record r = Decide(R"({"item": "E", "scores": [)" + scores +
                    R"(], "n": 2, "c": {"start": "2026-01-01", "end": "2026-02-01"}})");
  const Remedy* all = Of(r, "ALL");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->changes.size(), 100u);
  EXPECT_NE(all->why.find("另有 50 处"), std::string::npos) << all->why;
  for (const RemedyChange& c : all->changes) EXPECT_TRUE(c.example.empty());
}

TEST(ApplyRemedyExamples, PathsListsAndEnvelopes) {
  auto apply = [](const std::string& app, const std::string& path, const std::string& example,
                  bool fixable = true) -> std::string {
    Remedy r;
    r.fixable = fixable;
    RemedyChange c;
    c.path = path;
    c.example = example;
    r.changes.push_back(c);
    std::string error;
    std::optional<std::string> out = ApplyRemedyExamples(app, {r}, &error);
    return out ? *out : "error: " + error;
  };
  EXPECT_EQ(apply(R"({"a": 1})", "b.c", "2"), R"({"a":1,"b":{"c":2}})");
  EXPECT_EQ(apply(R"({"a": [1]})", "a[1]", "2"), R"({"a":[1,2]})");
  EXPECT_EQ(apply(R"({"a": [1]})", "a[0]", "5"), R"({"a":[5]})");
  EXPECT_EQ(apply(R"({"a": [{"x": 1}]})", "a[0].x", "\"2026-01-01\""), R"({"a":[{"x":"2026-01-01"}]})");
  EXPECT_EQ(apply(R"({})", "l[0].t", "\"v\""), R"({"l":[{"t":"v"}]})");
  EXPECT_EQ(apply(R"({"a": "oops"})", "a.b", "1"), R"({"a":{"b":1}})");  // read as missing, so replaced
  EXPECT_EQ(apply(R"({"a": 1})", "a", "null"), R"({"a":null})");
  EXPECT_EQ(apply(R"({"application": {"a": 1}, "context": {}})", "a", "2"), R"({"application":{"a":2},"context":{}})");
  EXPECT_EQ(apply(R"({"a": 1})", "a", "2", false), R"({"a":1})");  // not fixable: not applied
  EXPECT_EQ(apply(R"({"a": []})", "a[3]", "1").rfind("error:", 0), 0u);
  EXPECT_EQ(apply(R"({"a": []})", "a[", "1").rfind("error:", 0), 0u);
  EXPECT_EQ(apply("[1]", "a", "1").rfind("error:", 0), 0u);
  EXPECT_EQ(apply(R"({"a": 1})", "a", "{bad").rfind("error:", 0), 0u);
}

// The notice for the first review and the first reject case of every
// Nanhai item's tests, as golden text.
TEST(Notice, NanhaiGoldens) {
  std::shared_ptr<const Pack> pack = Load("rules/nanhai");
  ASSERT_NE(pack, nullptr);
  std::ifstream in(SourceDir() + "/rules/nanhai/tests/licences.jsonl");
  std::vector<std::string> records;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) records.push_back(line);
  }
  std::string error;
  std::shared_ptr<LicenceStore> store = MemoryLicences(records, &error);
  ASSERT_NE(store, nullptr) << error;
  Evaluator evaluator(pack, store);
  size_t written = 0;
  for (const auto& file : testing::ListDir(SourceDir() + "/rules/nanhai/tests", ".json")) {
    rapidjson::Document cases;
    std::string text = testing::ReadFileOrDie(file);
    cases.Parse(text.c_str(), text.size());
    ASSERT_TRUE(cases.IsArray()) << file;
    for (const char* want : {"review", "reject"}) {
      for (const auto& c : cases.GetArray()) {
        if (std::string(c["expect"]["decision"].GetString()) != want) continue;
        rapidjson::StringBuffer app_text;
        rapidjson::Writer<rapidjson::StringBuffer> w(app_text);
        c["application"].Accept(w);
        DecideOptions o;
        o.date = c.HasMember("date") ? c["date"].GetString() : "2026-09-10";
        o.notice = true;
        std::string context = "{";
        if (c.HasMember("subject")) {
          rapidjson::StringBuffer s;
          rapidjson::Writer<rapidjson::StringBuffer> sw(s);
          c["subject"].Accept(sw);
          context += std::string("\"subject\":") + s.GetString();
        }
        if (c.HasMember("town") && c["town"].IsString()) {
          context += std::string(context.size() > 1 ? "," : "") + "\"town\":\"" + c["town"].GetString() + "\"";
        }
        o.context = context + "}";
        Record r = evaluator.Decide(app_text.GetString(), o);
        ASSERT_TRUE(r.ok) << file << ": " << c["name"].GetString();
        ASSERT_EQ(OutcomeName(r.decision.decision), std::string(want)) << c["name"].GetString();
        std::string notice = "# " + std::string(c["name"].GetString()) + "\n" + r.decision.notice;
        // Every reason is in the notice, with its rule code.
        for (const Reason& reason : r.decision.reasons) {
          EXPECT_NE(notice.find("规则 " + reason.rule), std::string::npos) << reason.rule << "\n" << notice;
        }
        EXPECT_NE(notice.find("人工复核"), std::string::npos);
        testing::ExpectGolden(testing::GoldenPath("notice", file.stem().string() + "_" + want + ".txt"), notice);
        ++written;
        break;
      }
    }
  }
  EXPECT_GE(written, 15u);
}

}  // namespace
}  // namespace miaopi
