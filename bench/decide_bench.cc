// Micro benchmarks of one decision on the sample pack: from a pre-parsed
// RapidJSON document and from JSON text, with and without the trace.
//
//   build/release/bench/decide_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "engine/decider.h"
#include "engine/include/miaopi/miaopi.h"

namespace {

const char* kSource = MIAOPI_SOURCE_DIR;

std::shared_ptr<const miaopi::Pack> SamplePack() {
  static std::shared_ptr<const miaopi::Pack> pack = [] {
    miaopi::LoadResult r = miaopi::LoadPack(std::string(kSource) + "/samples/food_sales");
    if (!r.ok()) std::abort();
    return r.pack;
  }();
  return pack;
}

std::string Application() {
  std::ifstream in(std::string(kSource) + "/tests/golden/decide/food_sales/base.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

miaopi::engine::Request Request(bool explain) {
  miaopi::engine::Request r;
  miaopi::engine::ParseDate("2026-09-10", &r.date);
  r.explain = explain;
  return r;
}

void BM_DecidePreParsed(benchmark::State& state) {
  miaopi::engine::Decider decider(SamplePack()->impl());
  std::string text = Application();
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  miaopi::Record record;
  auto request = Request(false);
  for (auto _ : state) {
    decider.Decide(doc, request, &record);
    benchmark::DoNotOptimize(record.decision.decision);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecidePreParsed);

void BM_DecideFromText(benchmark::State& state) {
  miaopi::engine::Decider decider(SamplePack()->impl());
  std::string text = Application();
  miaopi::Record record;
  auto request = Request(false);
  for (auto _ : state) {
    decider.Decide(text, request, &record);
    benchmark::DoNotOptimize(record.decision.decision);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_DecideFromText);

void BM_DecideToJsonRecord(benchmark::State& state) {
  miaopi::Evaluator evaluator(SamplePack());
  std::string text = Application();
  miaopi::DecideOptions options;
  options.date = "2026-09-10";
  std::string out;
  for (auto _ : state) {
    out.clear();
    evaluator.DecideToJson(text, options, 0, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideToJsonRecord);

void BM_DecideWithTrace(benchmark::State& state) {
  miaopi::engine::Decider decider(SamplePack()->impl());
  std::string text = Application();
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  miaopi::Record record;
  auto request = Request(true);
  for (auto _ : state) {
    decider.Decide(doc, request, &record);
    benchmark::DoNotOptimize(record.decision.trace.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideWithTrace);

void BM_LoadPack(benchmark::State& state) {
  for (auto _ : state) {
    miaopi::LoadResult r = miaopi::LoadPack(std::string(kSource) + "/samples/food_sales");
    benchmark::DoNotOptimize(r.pack.get());
  }
}
BENCHMARK(BM_LoadPack)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
