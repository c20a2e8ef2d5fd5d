// The cost of each kind of operation in the decision graph: an item of 32
// rules, each one expression of the kind over its own input field (so that
// nothing is shared or folded away), run over one ingested application.
// `ns_per_expr` is the graph's run time divided by 32.
//
//   build/release/bench/node_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "bench/bench_util.h"
#include "engine/compile/pack.h"
#include "engine/runtime/ingest.h"
#include "engine/runtime/sweep.h"

namespace miaopi::bench {
namespace {

constexpr int kRules = 32;

struct Kind {
  const char* name;
  const char* rule;  // {i} is the rule's number
};

const Kind kKinds[] = {
    {"compare_int", "n{i} > 5"},
    {"arith_compare", "n{i} * 3 + 1 > 5"},
    {"string_equal", "f{i} == \"K70\""},
    {"date_plus_years", "d{i} + 18 years <= today"},
    {"in_table_1000", "f{i} in codes"},
    {"table_column", "(codes[f{i}].level ?? 0) > 2"},
    {"in_const_list", "f{i} in [\"K1\", \"K2\", \"K3\", \"K4\", \"K5\", \"K6\", \"K7\", \"K8\"]"},
    {"regex", "f{i} matches \"^K[0-9]{2,3}$\""},
    {"contains", "contains(f{i}, \"7\")"},
    {"any_over_10", "any v in l: v > n{i}"},
    {"all_over_10", "all v in l: v < n{i}"},
    {"decision_table", "grade(n{i}) == \"A\""},
    {"id_number_valid", "id_number_valid(id{i})"},
    {"and_or_not", "(n{i} > 1 and not (n{i} > 50)) or n{i} == 7"},
};

std::string Pack(const Kind& kind) {
  std::string input = "l: list<int>";
  for (int i = 1; i <= kRules; ++i) {
    input += ", n" + std::to_string(i) + ": int, f" + std::to_string(i) + ": string, d" + std::to_string(i) +
             ": date, id" + std::to_string(i) + ": string";
  }
  std::string rules;
  for (int i = 1; i <= kRules; ++i) {
    std::string expr = kind.rule;
    for (size_t at; (at = expr.find("{i}")) != std::string::npos;) expr.replace(at, 3, std::to_string(i));
    rules += "  rule R" + std::to_string(i) + " \"m\" require " + expr + " else review\n";
  }
  return "pack \"nodes\" version \"1\"\n"
         "table codes from \"codes.csv\" key code (level: int)\n"
         "decision grade(x: int) -> string hit first {\n  | x | => |\n  | >= 90 | \"A\" |\n  | >= 60 | \"B\" |\n"
         "  | - | \"C\" |\n}\n"
         "item \"N\" \"nodes\" {\n  effective @2026-01-01\n  input { " +
         input + " }\n" + rules + "}\n";
}

std::string Codes() {
  std::string csv = "code,level\n";
  for (int i = 0; i < 1000; ++i) csv += "K" + std::to_string(i * 7) + "," + std::to_string(i % 5) + "\n";
  return csv;
}

std::string Application() {
  std::string app = "{\"item\": \"N\", \"l\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";
  for (int i = 1; i <= kRules; ++i) {
    std::string n = std::to_string(i);
    app += ", \"n" + n + "\": " + std::to_string(i * 3) + ", \"f" + n + "\": \"K" + std::to_string(i * 11) + "\", \"d" +
           n + "\": \"19" + std::to_string(60 + i) + "-05-0" + std::to_string(1 + i % 9) + "\", \"id" + n +
           "\": \"44060519990909001" + std::to_string(i % 10) + "\"";
  }
  return app + "}";
}

void BM_Node(benchmark::State& state, const Kind& kind) {
  auto pack = LoadOrDie(WritePack(std::string("node_") + kind.name, {{"a.rules", Pack(kind)}, {"codes.csv", Codes()}}));
  const engine::CompiledPack& p = pack->impl();
  const engine::CompiledItem& item = p.items[0];
  std::string text = Application();
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  engine::EvalState st;
  engine::IngestError error;
  const engine::Value* input = engine::Ingest(item.graph, doc, p.limits.max_list_length, st, &error);
  if (input == nullptr) state.SkipWithError(error.message.c_str());
  engine::RunInputs in;
  in.tables = &p.tables;
  in.decisions = &p.decisions;
  in.input = input;
  in.today = *dsl::ParseIsoDate("2026-09-10");
  in.max_list_length = p.limits.max_list_length;
  for (auto _ : state) {
    engine::RunGraph(item.graph, in, st);
    benchmark::DoNotOptimize(st.values.data());
  }
  state.counters["ns_per_expr"] = benchmark::Counter(static_cast<double>(state.iterations()) * kRules,
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["nodes"] = static_cast<double>(item.graph.nodes.size());
}

int Register() {
  for (const Kind& k : kKinds) benchmark::RegisterBenchmark((std::string("BM_Node/") + k.name).c_str(), BM_Node, k);
  return 0;
}
const int registered = Register();

}  // namespace
}  // namespace miaopi::bench

BENCHMARK_MAIN();
