// The load benchmark's histogram reads percentiles to within its bucket
// width, and a short run reports every thread count with sane numbers.
#include "apps/cli/load_bench.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <random>

#include "tests/testing/golden.h"

namespace miaopi::cli {
namespace {

TEST(LatencyHistogram, PercentilesWithinTheBucketWidth) {
  LatencyHistogram h;
  EXPECT_EQ(h.Percentile(0.5), 0u);
  std::vector<uint64_t> values;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 100000; ++i) {
    uint64_t v = 200 + rng() % 50000 + (i % 1000 == 0 ? 5000000 : 0);  // a slow tail
    values.push_back(v);
    h.Add(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    uint64_t exact = values[static_cast<size_t>(std::ceil(q * values.size())) - 1];
    uint64_t got = h.Percentile(q);
    EXPECT_GE(got, exact) << q;
    EXPECT_LE(static_cast<double>(got), exact * 1.016 + 1) << q;  // 64 buckets per power of two
  }
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.Percentile(1.0), values.back());
  LatencyHistogram small;
  for (uint64_t v = 0; v < 64; ++v) small.Add(v);  // exact below 64 ns
  EXPECT_EQ(small.Percentile(0.5), 31u);
}

TEST(LoadBench, ReportsEveryThreadCount) {
  LoadResult loaded = LoadPack(testing::SourceDir() + "/samples/food_sales");
  ASSERT_TRUE(loaded.ok());
  std::ifstream in(testing::SourceDir() + "/samples/applications/food_sales_1000.jsonl");
  std::vector<std::string> apps;
  for (std::string line; std::getline(in, line);) apps.push_back(line);
  LoadBenchOptions options;
  options.threads = {1, 2};
  options.seconds = 0.1;
  options.decide.date = "2026-09-10";
  LoadBenchResult r = RunLoadBench(loaded.pack, apps, options);
  ASSERT_EQ(r.runs.size(), 2u);
  for (const LoadRun& run : r.runs) {
    EXPECT_GT(run.decisions, 0u);  // how many in 0.1 s is the machine's business, not this test's
    EXPECT_EQ(run.errors, 0u);
    EXPECT_LE(run.p50, run.p90);
    EXPECT_LE(run.p90, run.p99);
    EXPECT_LE(run.p99, run.p999);
    EXPECT_LE(run.p999, run.max);
  }
  rapidjson::Document doc;
  std::string json = LoadBenchJson(r);
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_EQ(doc["runs"].Size(), 2u);
  EXPECT_EQ(doc["runs"][1]["threads"].GetInt(), 2);
  std::string svg = LoadBenchSvg(r);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("2 threads"), std::string::npos);
}

}  // namespace
}  // namespace miaopi::cli
