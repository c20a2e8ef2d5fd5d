// The embedding API: loading, limits, thread safety, hot swap.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"
#include "tests/testing/golden.h"

namespace miaopi {
namespace {

using testing::ReadFileOrDie;
using testing::SourceDir;

std::string Base() { return ReadFileOrDie(SourceDir() + "/tests/golden/decide/food_sales/base.json"); }

std::shared_ptr<const Pack> Sample(LoadOptions options = {}) {
  LoadResult r = LoadPack(SourceDir() + "/samples/food_sales", options);
  EXPECT_TRUE(r.ok()) << r.rendered;
  return r.pack;
}

TEST(Api, LoadReportsDiagnosticsWithLocations) {
  LoadResult r = LoadPack(SourceDir() + "/tests/golden/check/names");
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].severity, "error");
  EXPECT_GT(r.diagnostics[0].line, 0u);
  EXPECT_NE(r.rendered.find("error[E"), std::string::npos);
  LoadResult missing = LoadPack("/nonexistent/pack");
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(missing.io_error.empty());
  LoadOptions bad_pass;
  bad_pass.disabled_passes = {"no-such-pass"};
  EXPECT_FALSE(LoadPack(SourceDir() + "/samples/food_sales", bad_pass).ok());
}

TEST(Api, PackIdentityIsAStableHashOfTheSources) {
  auto a = Sample(), b = Sample();
  EXPECT_EQ(a->identity().hash, b->identity().hash);
  EXPECT_EQ(a->items(), std::vector<std::string>{"FS-001"});
}

TEST(Api, RapidJsonValueInput) {
  Evaluator e(Sample());
  rapidjson::Document doc;
  std::string text = Base();
  doc.Parse(text.c_str());
  DecideOptions options;
  options.date = "2026-09-10";
  Record r = e.Decide(doc, options);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(ToJson(r), ToJson(e.Decide(text, options)));
}

TEST(Api, LimitsAreErrorRecords) {
  LoadOptions options;
  options.limits.max_application_bytes = 4096;
  options.limits.max_json_depth = 8;
  options.limits.max_list_length = 3;
  Evaluator e(Sample(options));
  DecideOptions d;
  d.date = "2026-09-10";
  EXPECT_EQ(e.Decide(std::string(5000, ' '), d).error.code, "too_large");
  std::string deep = "{\"item\": \"FS-001\", \"x\": " + std::string(20, '[') + std::string(20, ']') + "}";
  EXPECT_EQ(e.Decide(deep, d).error.code, "too_deep");
  std::string long_list = Base();
  long_list.replace(long_list.find("\"staff\": ["), 10, "\"staff\": [{}, {}, {}, ");
  Record r = e.Decide(long_list, d);
  EXPECT_EQ(r.error.code, "list_too_long");
  EXPECT_NE(r.error.message.find("staff has 4 elements"), std::string::npos) << r.error.message;
  EXPECT_EQ(e.Decide("{\"item\": \"FS-001\", \"s\": \"\xff\"}", d).error.code, "invalid_json");
  // The evaluator keeps working after errors.
  EXPECT_TRUE(e.Decide(Base(), d).ok);
}

TEST(Api, NumbersAreReadExactly) {
  Evaluator e(Sample());
  DecideOptions d;
  d.date = "2026-09-10";
  auto area = [&](const std::string& value) {
    std::string app = Base();
    app.replace(app.find("35.5"), 4, value);
    Record r = e.Decide(app, d);
    EXPECT_TRUE(r.ok) << value;
    return r.decision.reasons.empty() ? std::string("pass") : std::string(RuleStatusName(r.decision.reasons[0].status));
  };
  // Correctly rounded: the nearest double to 9.99999999999999999 is 10.0.
  EXPECT_EQ(area("9.99999999999999999"), "pass");
  EXPECT_EQ(area("9.9999999999999"), "fail");
  EXPECT_EQ(area("1e1"), "pass");
  EXPECT_EQ(area("-0e60"), "fail");
  EXPECT_EQ(area("123456789012345678901234567890"), "pass");  // past int64: a number
  EXPECT_EQ(e.Decide("{\"item\": \"FS-001\", \"x\": 1e999}", d).error.code, "invalid_json");
}

TEST(Api, DeepJsonDoesNotOverflowTheStack) {
  LoadOptions options;
  options.limits.max_json_depth = 1u << 30;  // no depth limit: the parser must still be iterative
  options.limits.max_application_bytes = 1u << 24;
  Evaluator e(Sample(options));
  std::string deep = "{\"item\": \"FS-001\", \"x\": " + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  DecideOptions d;
  d.date = "2026-09-10";
  EXPECT_TRUE(e.Decide(deep, d).ok);
}

TEST(Api, EngineIsThreadSafeAndSwapsPacks) {
  auto first = Sample();
  Engine engine(first);
  DecideOptions d;
  d.date = "2026-09-10";
  std::string expected = ToJson(engine.Decide(Base(), d));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        if (ToJson(engine.Decide(Base(), d)) != expected) ++wrong;
      }
    });
  }
  for (int i = 0; i < 20; ++i) engine.Swap(Sample());  // same sources, new pack objects
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_NE(engine.pack(), first);
}

TEST(Api, EnginesOnOneThreadKeepTheirOwnPacks) {
  LoadResult nanhai = LoadPack(SourceDir() + "/rules/nanhai");
  ASSERT_TRUE(nanhai.ok()) << nanhai.rendered;
  Engine food(Sample()), other(nanhai.pack);
  DecideOptions d;
  d.date = "2026-09-10";
  for (int i = 0; i < 10; ++i) {
    Record a = food.Decide(Base(), d);
    ASSERT_TRUE(a.ok);
    EXPECT_EQ(a.decision.pack.name, food.pack()->identity().name);
    Record b = other.Decide(Base(), d);  // FS-001 is not a Nanhai item
    EXPECT_EQ(b.error.code, "unknown_item");
  }
}

TEST(Api, EngineReleasesOldPacks) {
  DecideOptions d;
  d.date = "2026-09-10";
  std::shared_ptr<const Pack> first = Sample();
  std::weak_ptr<const Pack> first_seen = first;
  std::weak_ptr<const Pack> second_seen;
  {
    Engine engine(std::move(first));
    ASSERT_TRUE(engine.Decide(Base(), d).ok);
    std::shared_ptr<const Pack> second = Sample();
    second_seen = second;
    engine.Swap(std::move(second));
    EXPECT_FALSE(first_seen.expired());  // this thread's evaluator still holds it
    ASSERT_TRUE(engine.Decide(Base(), d).ok);
    EXPECT_TRUE(first_seen.expired());  // rebuilt for the new pack: the old one is gone
  }
  EXPECT_TRUE(second_seen.expired());  // and nothing outlives the Engine
}

TEST(Api, DecideBatchKeepsInputOrder) {
  Engine engine(Sample());
  std::vector<std::string> apps;
  for (int i = 0; i < 500; ++i) {
    std::string app = Base();
    app.replace(app.find("FS-T-001"), 8, "APP-" + std::to_string(i));
    if (i % 7 == 0) app = "not json " + std::to_string(i);
    apps.push_back(app);
  }
  DecideOptions d;
  d.date = "2026-09-10";
  std::vector<Record> records = engine.DecideBatch(apps, d, 2);
  ASSERT_EQ(records.size(), apps.size());
  for (int i = 0; i < 500; ++i) {
    if (i % 7 == 0) {
      EXPECT_EQ(records[i].error.code, "invalid_json");
    } else {
      EXPECT_EQ(records[i].decision.id_json, "\"APP-" + std::to_string(i) + "\"");
    }
  }
}

// Asks the SQLite store and counts the questions, per licence type.
class CountingLicences : public LicenceStore {
 public:
  explicit CountingLicences(std::shared_ptr<LicenceStore> inner) : inner_(std::move(inner)) {}
  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override {
    ++calls[std::string(type)];
    return inner_->Find(type, key, out);
  }
  std::map<std::string, int> calls;

 private:
  std::shared_ptr<LicenceStore> inner_;
};

TEST(Api, EachLicenceIsFetchedOncePerEvaluationAndOnlyWhenUsed) {
  std::string pack_dir = SourceDir() + "/rules/nanhai";
  LoadResult loaded = LoadPack(pack_dir);
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  auto db = std::filesystem::temp_directory_path() / ("miaopi_api_licences_" + std::to_string(::getpid()) + ".db");
  std::ifstream jsonl(pack_dir + "/tests/licences.jsonl");
  ASSERT_TRUE(ImportLicences(jsonl, db.string()).errors.empty());
  std::string error;
  auto counting = std::make_shared<CountingLicences>(OpenSqliteLicences(db.string(), &error));
  Evaluator e(loaded.pack, counting);

  rapidjson::Document cases;
  std::string text = ReadFileOrDie(pack_dir + "/tests/p01_birth.json");
  cases.Parse(text.c_str());
  const rapidjson::Value& approved = cases[0];  // the father registers his newborn
  rapidjson::StringBuffer app;
  rapidjson::Writer<rapidjson::StringBuffer> writer(app);
  approved["application"].Accept(writer);
  DecideOptions d;
  d.date = approved["date"].GetString();
  d.context =
      "{\"subject\": {\"kind\": \"natural_person\", \"id\": \"440605199909090018\", \"auth_level\": \"face\"}, "
      "\"town\": \"440605124\"}";
  for (int i = 1; i <= 3; ++i) {
    Record r = e.Decide(std::string_view(app.GetString(), app.GetSize()), d);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(OutcomeName(r.decision.decision), std::string("approve"));
    // Four rules read the birth certificate and one the marriage certificate:
    // one question each per evaluation, and none for the other seven types.
    EXPECT_EQ(counting->calls, (std::map<std::string, int>{{"birth_certificate", i}, {"marriage_certificate", i}}));
  }
  // Without a logged-in subject no licence is visible to anyone: the store
  // is not asked at all.
  counting->calls.clear();
  d.context.clear();
  Record r = e.Decide(std::string_view(app.GetString(), app.GetSize()), d);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(OutcomeName(r.decision.decision), std::string("review"));
  EXPECT_TRUE(counting->calls.empty());
  std::filesystem::remove(db);
}

}  // namespace
}  // namespace miaopi
