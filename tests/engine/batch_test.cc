// Batch runs: every line gets exactly one record, in input order, whatever
// is on the line; the thread count changes nothing but speed.
#include "engine/api/batch.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "tests/testing/golden.h"

namespace miaopi {
namespace {

using testing::ReadFileOrDie;
using testing::SourceDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(Batch, OneRecordPerLineInOrderWithBadLines) {
  LoadResult loaded = LoadPack(SourceDir() + "/samples/food_sales");
  ASSERT_TRUE(loaded.ok());
  std::string base = ReadFileOrDie(SourceDir() + "/tests/golden/decide/food_sales/base.json");
  base.erase(base.find_last_not_of("\n") + 1);
  std::string input;
  const int kLines = 2000;
  for (int i = 1; i <= kLines; ++i) {
    std::string app = base;
    app.replace(app.find("FS-T-001"), 8, "L" + std::to_string(i));
    switch (i % 10) {
      case 3: input += "{not json\n"; break;
      case 5: input += "[1, 2]\n"; break;
      case 7: input += "\n"; break;
      case 9: input += app.substr(0, app.find("\"item\"")) + "\"item\": \"NOPE\"}\r\n"; break;
      default: input += app + "\n";
    }
  }
  std::string reference;
  for (int threads : {1, 2, 4}) {
    SCOPED_TRACE(threads);
    std::istringstream in(input);
    std::ostringstream out;
    BatchOptions options;
    options.threads = threads;
    options.decide.date = "2026-09-10";
    options.lines_per_chunk = 37;
    BatchStats stats = RunBatch(loaded.pack, in, out, options);
    EXPECT_EQ(stats.lines, static_cast<uint64_t>(kLines));
    EXPECT_EQ(stats.errors, static_cast<uint64_t>(kLines / 10 * 4));
    EXPECT_EQ(stats.approve + stats.review + stats.reject + stats.errors, stats.lines);
    std::vector<std::string> records = Lines(out.str());
    ASSERT_EQ(records.size(), static_cast<size_t>(kLines));
    for (int i = 1; i <= kLines; ++i) {
      const std::string& r = records[i - 1];
      switch (i % 10) {
        case 3:
        case 7:
          EXPECT_NE(r.find("\"line\":" + std::to_string(i) + ",\"error\":{\"code\":\"invalid_json\""),
                    std::string::npos)
              << r;
          break;
        case 5: EXPECT_NE(r.find("\"code\":\"not_an_object\""), std::string::npos) << r; break;
        case 9:
          EXPECT_NE(r.find("\"id\":\"L" + std::to_string(i) + "\",\"line\":" + std::to_string(i)), std::string::npos)
              << r;
          break;
        default: EXPECT_EQ(r.rfind("{\"id\":\"L" + std::to_string(i) + "\",", 0), 0u) << r;
      }
    }
    if (reference.empty()) reference = out.str();
    EXPECT_EQ(out.str(), reference);
  }
}

TEST(Batch, OversizedLinesAreErrorsNotMemory) {
  LoadOptions options;
  options.limits.max_application_bytes = 100;
  LoadResult loaded = LoadPack(SourceDir() + "/samples/food_sales", options);
  ASSERT_TRUE(loaded.ok());
  std::istringstream in("{\"item\":\"FS-001\"}\n" + std::string(100000, 'x') + "\n{\"item\":\"FS-001\"}");
  std::ostringstream out;
  BatchOptions batch;
  batch.decide.date = "2026-09-10";
  BatchStats stats = RunBatch(loaded.pack, in, out, batch);
  std::vector<std::string> records = Lines(out.str());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_NE(records[1].find("\"line\":2,\"error\":{\"code\":\"too_large\""), std::string::npos) << records[1];
  EXPECT_EQ(stats.lines, 3u);
}

// The reader hands out lines in place from large blocks: whatever the block
// boundaries, the records are those of the lines as a plain splitter cuts
// them (a byte order mark first is not text; a carriage return before a
// newline is not part of the line; past the limit a line keeps its first
// bytes and is an error record with its whole size), each decided alone.
TEST(Batch, RecordsAreThoseOfTheLinesWhateverTheBlocks) {
  LoadOptions load;
  load.limits.max_application_bytes = 3000;
  LoadResult loaded = LoadPack(SourceDir() + "/samples/food_sales", load);
  ASSERT_TRUE(loaded.ok());
  std::string base = ReadFileOrDie(SourceDir() + "/tests/golden/decide/food_sales/base.json");
  base.erase(base.find_last_not_of("\n") + 1);
  std::mt19937 rng(11);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE(round);
    std::string input = round % 2 ? "\xEF\xBB\xBF" : "";
    const int lines = 150 + pick(200);
    for (int i = 0; i < lines; ++i) {
      std::string app = base;
      app.replace(app.find("FS-T-001"), 8, "R" + std::to_string(i));
      // Padding makes lines of every length, some past the limit (3,000).
      app.insert(
          1, "\"note\": \"" + std::string(static_cast<size_t>(pick(4) == 0 ? pick(4000) : pick(400)), 'n') + "\", ");
      switch (pick(12)) {
        case 0: input += "{broken"; break;
        case 1: break;                                                                   // an empty line
        case 2: input += std::string(static_cast<size_t>(2990 + pick(20)), 'x'); break;  // at the limit
        default: input += app;
      }
      bool last = i + 1 == lines;
      if (last && round % 3 == 2) break;  // no newline at the end
      input += pick(5) == 0 ? "\r\n" : "\n";
    }
    // The reference: split, then decide one line at a time.
    std::vector<std::string> expected;
    Evaluator evaluator(loaded.pack);
    DecideOptions decide;
    decide.date = "2026-09-10";
    std::string_view rest(input);
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);
    for (uint64_t line_no = 1; !rest.empty(); ++line_no) {
      size_t nl = rest.find('\n');
      std::string line(rest.substr(0, nl));
      rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
      size_t whole = line.size();
      if (line.size() > 3000) line.resize(3000);
      if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') line.pop_back();
      Record r;
      if (whole > 3000) {
        r.error.code = "too_large";
        r.error.message =
            "the line has " + std::to_string(whole - (line.size() < 3000 ? 1 : 0)) + " bytes; the limit is 3000";
      } else if (line.find_first_not_of(" \t") == std::string::npos) {
        r.error.code = "invalid_json";
        r.error.message = "empty line";
      } else {
        r = evaluator.Decide(line, decide);
      }
      if (!r.ok) r.error.line = line_no;
      expected.push_back(ToJson(r));
    }
    for (size_t per_chunk : {size_t{1}, size_t{7}, size_t{256}}) {
      SCOPED_TRACE(per_chunk);
      std::istringstream in(input);
      std::ostringstream out;
      BatchOptions options;
      options.threads = 2;
      options.lines_per_chunk = per_chunk;
      options.decide = decide;
      BatchStats stats = RunBatch(loaded.pack, in, out, options);
      std::vector<std::string> records = Lines(out.str());
      EXPECT_EQ(stats.lines, expected.size());
      ASSERT_EQ(records.size(), expected.size());
      for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i], expected[i]) << "line " << i + 1;
    }
  }
}

TEST(Batch, TallyCountsOutcomesPerItemAndReasonsPerRule) {
  LoadResult loaded = LoadPack(SourceDir() + "/samples/food_sales");
  ASSERT_TRUE(loaded.ok());
  std::string base = ReadFileOrDie(SourceDir() + "/tests/golden/decide/food_sales/base.json");
  base.erase(base.find_last_not_of("\n") + 1);
  std::string small = base;  // too small a shop: FS-001's area rule fails
  small.replace(small.find("\"area_m2\": "), 11, "\"area_m2\": 3, \"was\": ");
  std::string unknown = base;  // no area at all: the same rule is unknown
  unknown.replace(unknown.find("\"area_m2\": "), 11, "\"was_area\": ");
  std::string input = base + "\n" + small + "\n" + small + "\n" + unknown + "\n{broken\n";
  for (int threads : {1, 2}) {
    std::istringstream in(input);
    std::ostringstream out;
    BatchOptions options;
    options.threads = threads;
    options.tally = true;
    options.lines_per_chunk = 2;
    options.decide.date = "2026-09-10";
    BatchStats stats = RunBatch(loaded.pack, in, out, options);
    ASSERT_EQ(stats.by_item.size(), 1u);
    const OutcomeTally& t = stats.by_item.at("FS-001");
    EXPECT_EQ(t.approve + t.review + t.reject, 4u);  // the broken line is an error, not an outcome
    EXPECT_EQ(t.approve, 1u);
    std::vector<std::string> keys;
    for (const auto& [key, r] : stats.by_reason) keys.push_back(key + "=" + std::to_string(r.count));
    ASSERT_FALSE(keys.empty());
    bool failed_twice = false, unknown_once = false;
    for (const auto& [key, r] : stats.by_reason) {
      if (r.status == RuleStatus::kFail && r.count == 2) failed_twice = true;
      if (r.status == RuleStatus::kUnknown && r.count == 1 && key.ends_with(" ?")) unknown_once = true;
    }
    EXPECT_TRUE(failed_twice) << ::testing::PrintToString(keys);
    EXPECT_TRUE(unknown_once) << ::testing::PrintToString(keys);
  }
}

}  // namespace
}  // namespace miaopi
