// `miaopi diff` against a reference built from full Records: the transition
// matrix, the rules newly failed and passed, and the sample ids agree with
// deciding every line twice through Evaluator::Decide — whatever a rule's
// message holds (braces, brackets, quotes, a text that looks like a rule),
// and however the lines come (a byte order mark, CRLF, blank lines, a line
// past the size limit, broken JSON, ids that need escaping).
#include "journal/diff.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/testing/golden.h"

namespace miaopi::journal {
namespace {

namespace fs = std::filesystem;

const fs::path kSample = fs::path(MIAOPI_SOURCE_DIR) / "samples/food_sales";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What diff must report, decided the slow way: a Record per pack per line.
struct Reference {
  Matrix matrix{};
  std::map<std::pair<std::string, std::string>, RuleChange> rules;
  std::map<std::pair<int, int>, std::vector<std::string>> samples;
  uint64_t applications = 0;
};

Reference Decided(const Pack& old_pack, const Pack& new_pack, const std::vector<std::string>& lines,
                  const std::string& date) {
  Reference ref;
  Evaluator before(std::shared_ptr<const Pack>(&old_pack, [](const Pack*) {}));
  Evaluator after(std::shared_ptr<const Pack>(&new_pack, [](const Pack*) {}));
  DecideOptions options;
  options.date = date;
  uint64_t number = 0;
  for (const std::string& line : lines) {
    ++number;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    ++ref.applications;
    Record a = before.Decide(line, options), b = after.Decide(line, options);
    int from = a.ok ? static_cast<int>(a.decision.decision) : 3;
    int to = b.ok ? static_cast<int>(b.decision.decision) : 3;
    ++ref.matrix[from][to];
    std::string item = b.ok ? b.decision.item : a.ok ? a.decision.item : "";
    if (from != to) {
      std::string id = b.ok ? b.decision.id_json : a.ok ? a.decision.id_json : b.error.id_json;
      auto& ids = ref.samples[{from, to}];
      if (ids.size() < 5) ids.push_back("line " + std::to_string(number) + (id.empty() ? "" : " " + id));
    }
    if (!a.ok || !b.ok) continue;
    std::set<std::string> old_rules, new_rules;
    for (const Reason& r : a.decision.reasons) old_rules.insert(r.rule);
    for (const Reason& r : b.decision.reasons) new_rules.insert(r.rule);
    for (const std::string& r : new_rules) {
      if (!old_rules.count(r)) ++ref.rules[{item, r}].newly_fail;
    }
    for (const std::string& r : old_rules) {
      if (!new_rules.count(r)) ++ref.rules[{item, r}].newly_pass;
    }
  }
  return ref;
}

class DiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("miaopi-diff-test");
    fs::copy(kSample, dir_ / "old", fs::copy_options::recursive);
    fs::copy(kSample, dir_ / "new", fs::copy_options::recursive);
    // The new version asks for a larger area, and its message looks like
    // the record's own structure.
    std::string rules = ReadFile(dir_ / "new/food_sales.rules");
    auto replace = [&](std::string_view from, std::string_view to) {
      size_t at = rules.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      rules.replace(at, from.size(), to);
    };
    replace("rule AREA \"经营场所面积不足10平方米\"", R"(rule AREA "面积\"}]{\"rule\":\"FAKE\",[\\ 不足")");
    replace("business.area_m2 >= 10", "business.area_m2 >= 60");
    std::ofstream(dir_ / "new/food_sales.rules", std::ios::binary) << rules;
    for (const char* which : {"old", "new"}) {
      LoadResult loaded = LoadPack((dir_ / which).string());
      ASSERT_TRUE(loaded.ok()) << loaded.rendered;
      (std::string(which) == "old" ? old_ : new_) = loaded.pack;
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `text` as the input, runs diff on it with one and two threads,
  // and checks both against the reference over `lines`.
  void Check(const std::string& text, const std::vector<std::string>& lines) {
    std::ofstream(dir_ / "in.jsonl", std::ios::binary) << text;
    Reference ref = Decided(*old_, *new_, lines, "2026-09-10");
    for (int threads : {1, 2}) {
      DiffOptions options;
      options.input = (dir_ / "in.jsonl").string();
      options.date = "2026-09-10";
      options.threads = threads;
      DiffReport report = RunDiff(old_, new_, options);
      ASSERT_EQ(report.error, "");
      EXPECT_EQ(report.applications, ref.applications);
      EXPECT_EQ(report.matrix, ref.matrix);
      EXPECT_EQ(report.samples, ref.samples);
      ASSERT_EQ(report.rules.size(), ref.rules.size());
      for (const auto& [key, change] : ref.rules) {
        ASSERT_TRUE(report.rules.count(key)) << key.first << " " << key.second;
        EXPECT_EQ(report.rules.at(key).newly_fail, change.newly_fail) << key.second;
        EXPECT_EQ(report.rules.at(key).newly_pass, change.newly_pass) << key.second;
      }
    }
  }

  fs::path dir_;
  std::shared_ptr<const Pack> old_, new_;
};

TEST_F(DiffTest, AgreesWithFullRecordsOnTheSample) {
  std::string text = ReadFile(fs::path(MIAOPI_SOURCE_DIR) / "samples/applications/food_sales_1000.jsonl");
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  Check(text, lines);
  DiffOptions options;
  options.input = (dir_ / "in.jsonl").string();
  options.date = "2026-09-10";
  DiffReport report = RunDiff(old_, new_, options);
  EXPECT_GT((report.rules[{"FS-001", "AREA"}].newly_fail), 0u);
  EXPECT_FALSE(report.rules.count({"FS-001", "FAKE"}));  // words in a message are no rule
}

TEST_F(DiffTest, ReadsLinesAsBatchReadsThem) {
  std::string app = ReadFile(fs::path(MIAOPI_SOURCE_DIR) / "samples/applications/food_sales_1000.jsonl");
  std::vector<std::string> sample;
  std::istringstream in(app);
  for (std::string line; std::getline(in, line) && sample.size() < 40;) sample.push_back(line);
  // Ids that need escaping, and one that is a number; a few moved by the new area rule.
  auto with_id = [](std::string line, const std::string& id_json) {
    size_t at = line.find("\"id\":");
    size_t end = line.find(',', at);
    return line.replace(at, end - at, "\"id\":" + id_json);
  };
  std::string too_large = "{\"id\":\"big\",\"pad\":\"" + std::string((1 << 20) + 10, 'a') + "\"}";
  std::vector<std::string> lines = {
      sample[0], with_id(sample[1], R"("A\"1\\")"), "", "   ", "{broken", with_id(sample[2], "7"), too_large,
      sample[3], with_id(sample[4], R"("\u00e9")")};
  for (size_t i = 5; i < sample.size(); ++i) lines.push_back(sample[i]);
  std::string text = "\xEF\xBB\xBF";  // a byte order mark before the first line
  for (const std::string& line : lines) text += line + "\r\n";
  Reference expected = Decided(*old_, *new_, lines, "2026-09-10");
  EXPECT_EQ(expected.matrix[3][3], 2u);  // the broken line and the one past the limit
  Check(text, lines);
}

}  // namespace
}  // namespace miaopi::journal
