// Compiling packs of 10, 100, 1,000 and 10,000 rules (items of ten rules
// each, of the kinds real items use: dates, a regex, a table, a list
// quantifier, a decision table) and the memory a compiled pack keeps.
// `pack_bytes` counts the heap the loaded pack holds (sources, AST, tables,
// graphs), measured with a counting operator new.
//
//   build/release/bench/pack_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <atomic>
#include <new>

#include "bench/bench_util.h"

namespace {
std::atomic<long long> g_live{0};
}  // namespace

void* operator new(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (p == nullptr) throw std::bad_alloc();
  g_live.fetch_add(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  void* p = std::malloc(n ? n : 1);
  if (p) g_live.fetch_add(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept {
  if (p) g_live.fetch_sub(static_cast<long long>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

namespace miaopi::bench {
namespace {

// `rules` rules in items of ten.
std::map<std::string, std::string> GeneratedPack(int rules) {
  std::string text =
      "pack \"gen\" version \"1\"\ntable codes from \"codes.csv\" key code (level: int)\n"
      "decision grade(x: int) -> string hit first {\n  | x | => |\n  | >= 90 | \"A\" |\n"
      "  | [60..90) | \"B\" |\n  | - | \"C\" |\n}\n";
  int items = (rules + 9) / 10;
  for (int it = 0; it < items; ++it) {
    std::string code = "G-" + std::to_string(it);
    text += "item \"" + code +
            "\" \"generated\" {\n  effective @2026-01-01\n"
            "  input { birth: date, phone: string?, code: string, n: int, scores: list<int>, area: number }\n";
    for (int r = 0; r < 10 && it * 10 + r < rules; ++r) {
      int k = it * 10 + r;
      std::string c = std::to_string(k);
      static const char* kTemplates[] = {
          "birth + 18 years <= today",
          "phone ?? \"\" == \"\" or phone matches \"^1[3-9][0-9]{9}$\"",
          "code in codes",
          "(codes[code].level ?? 0) >= {k} % 5",
          "all s in scores: s >= {k} % 60",
          "grade(n) != \"C\"",
          "area >= {k} % 50",
          "n + {k} > 10 and n < 1000",
          "any s in scores: s > {k} % 100",
          "not (code == \"X{k}\")",
      };
      std::string expr = kTemplates[r];
      for (size_t at; (at = expr.find("{k}")) != std::string::npos;) expr.replace(at, 3, c);
      text += "  rule R" + c + " \"rule " + c + "\" require " + expr + " else review\n";
    }
    text += "}\n";
  }
  std::string codes = "code,level\n";
  for (int i = 0; i < 100; ++i) codes += "C" + std::to_string(i) + "," + std::to_string(i % 5) + "\n";
  return {{"gen.rules", text}, {"codes.csv", codes}};
}

void BM_CompilePack(benchmark::State& state) {
  int rules = static_cast<int>(state.range(0));
  std::string dir = WritePack("compile_" + std::to_string(rules), GeneratedPack(rules));
  long long bytes = 0;
  for (auto _ : state) {
    long long before = g_live.load();
    LoadResult r = LoadPack(dir);
    if (!r.ok()) state.SkipWithError(r.rendered.c_str());
    bytes = g_live.load() - before;  // held by the pack (and the result) until it is dropped
    benchmark::DoNotOptimize(r.pack.get());
  }
  state.counters["rules"] = rules;
  state.counters["pack_bytes"] = static_cast<double>(bytes);
  state.counters["bytes_per_rule"] = static_cast<double>(bytes) / rules;
}
BENCHMARK(BM_CompilePack)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_LoadShippedPack(benchmark::State& state, const char* dir) {
  long long bytes = 0;
  for (auto _ : state) {
    long long before = g_live.load();
    LoadResult r = LoadPack(kSource + "/" + dir);
    bytes = g_live.load() - before;
    benchmark::DoNotOptimize(r.pack.get());
  }
  state.counters["pack_bytes"] = static_cast<double>(bytes);
}
BENCHMARK_CAPTURE(BM_LoadShippedPack, food_sales, "samples/food_sales")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadShippedPack, nanhai, "rules/nanhai")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace miaopi::bench

BENCHMARK_MAIN();
