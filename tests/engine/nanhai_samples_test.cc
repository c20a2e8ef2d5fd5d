// The Nanhai sample generator against the Nanhai pack: bench/gen_nanhai
// labels every application with the decision its fault must lead to (and a
// rule that must be among the reasons); the engine, with the generated
// licences imported into SQLite, must agree on every one. Run by ctest with
// MIAOPI_GEN_NANHAI naming the generator; skipped without it.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"
#include "tests/testing/golden.h"

namespace miaopi {
namespace {

using testing::SourceDir;

std::vector<std::string> Lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Runs bench/gen_nanhai (MIAOPI_GEN_NANHAI) into a fresh folder `name`:
// apps.jsonl, licences.jsonl and, with `labels`, labels.jsonl. Empty when the
// generator is not given or fails (with a failure recorded for the latter).
std::filesystem::path Generate(const std::string& name, const std::string& args, bool labels) {
  const char* generator = std::getenv("MIAOPI_GEN_NANHAI");
  if (generator == nullptr) return {};
  auto dir = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string command = std::string(generator) + " " + args + " --date 2026-09-10 --applications " +
                        (dir / "apps.jsonl").string() + " --licences " + (dir / "licences.jsonl").string() +
                        (labels ? " --labels " + (dir / "labels.jsonl").string() : "");
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << command;
    return {};
  }
  return dir;
}

TEST(NanhaiSamples, EveryGeneratedApplicationIsDecidedAsItsLabelSays) {
  if (std::getenv("MIAOPI_GEN_NANHAI") == nullptr) GTEST_SKIP() << "MIAOPI_GEN_NANHAI is not set (ctest sets it)";
  std::filesystem::path dir = Generate("miaopi_nanhai", "1500 --seed 7", true);
  ASSERT_FALSE(dir.empty());

  std::ifstream licences(dir / "licences.jsonl");
  LicenceImportReport imported = ImportLicences(licences, (dir / "licences.db").string());
  ASSERT_TRUE(imported.fatal.empty()) << imported.fatal;
  ASSERT_TRUE(imported.errors.empty()) << imported.errors[0];
  EXPECT_EQ(imported.replaced, 0u);  // one record per licence

  LoadResult loaded = LoadPack(SourceDir() + "/rules/nanhai");
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  std::string error;
  auto store = OpenSqliteLicences((dir / "licences.db").string(), &error);
  ASSERT_NE(store, nullptr) << error;
  Evaluator evaluator(loaded.pack, store);
  DecideOptions options;
  options.date = "2026-09-10";

  std::vector<std::string> apps = Lines(dir / "apps.jsonl"), labels = Lines(dir / "labels.jsonl");
  ASSERT_EQ(apps.size(), 1500u);
  ASSERT_EQ(labels.size(), apps.size());
  std::map<std::string, std::set<std::string>> outcomes;  // item → decisions seen
  size_t mismatches = 0;
  for (size_t i = 0; i < apps.size(); ++i) {
    rapidjson::Document label;
    label.Parse(labels[i].c_str());
    ASSERT_TRUE(label.IsObject()) << labels[i];
    Record r = evaluator.Decide(apps[i], options);
    ASSERT_TRUE(r.ok) << r.error.code << ": " << r.error.message << "\n" << apps[i];
    std::string want = label["decision"].GetString(), rule = label["rule"].GetString();
    std::string got = OutcomeName(r.decision.decision);
    bool has_rule = rule.empty() ? r.decision.reasons.empty()
                                 : std::any_of(r.decision.reasons.begin(), r.decision.reasons.end(),
                                               [&](const Reason& reason) { return reason.rule == rule; });
    if (got != want || !has_rule) {
      if (++mismatches <= 5) {
        ADD_FAILURE() << label["item"].GetString() << " \"" << label["fault"].GetString() << "\": expected " << want
                      << (rule.empty() ? "" : " with " + rule) << ", got " << ToJson(r);
      }
    }
    outcomes[label["item"].GetString()].insert(got);
  }
  EXPECT_EQ(mismatches, 0u);
  // A realistic mix: every item approves, refers to review and rejects.
  EXPECT_EQ(outcomes.size(), 10u);
  for (const auto& [item, seen] : outcomes) EXPECT_EQ(seen.size(), 3u) << item;
  std::filesystem::remove_all(dir);
}

// samples/nanhai is what the generator writes for seed 2026: regenerate it
// (see samples/nanhai/README.md) when the generator or the pack changes.
TEST(NanhaiSamples, ShippedSamplesAreTheGeneratorsOutput) {
  if (std::getenv("MIAOPI_GEN_NANHAI") == nullptr) GTEST_SKIP() << "MIAOPI_GEN_NANHAI is not set (ctest sets it)";
  std::filesystem::path dir = Generate("miaopi_nanhai_shipped", "1000 --seed 2026", false);
  ASSERT_FALSE(dir.empty());
  std::string shipped = SourceDir() + "/samples/nanhai/";
  EXPECT_TRUE(testing::ReadFileOrDie(dir / "apps.jsonl") == testing::ReadFileOrDie(shipped + "applications_1000.jsonl"))
      << "samples/nanhai/applications_1000.jsonl is stale";
  EXPECT_TRUE(testing::ReadFileOrDie(dir / "licences.jsonl") == testing::ReadFileOrDie(shipped + "licences.jsonl"))
      << "samples/nanhai/licences.jsonl is stale";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace miaopi
