// Micro benchmarks of one decision: the sample pack from a pre-parsed
// RapidJSON document and from JSON text, with and without the trace; each
// Nanhai item (its first test case, with its request context and licences
// in memory); throughput as a pack grows from 10 to 1,000 items; and the
// ways to read application text (RapidJSON DOM, a RapidJSON SAX pass that
// builds nothing, simdjson DOM, a simdjson On-Demand walk).
//
//   build/release/bench/decide_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bench/bench_util.h"
#include "engine/compile/pack.h"
#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/decider.h"
#include "engine/runtime/ingest.h"

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

// ---------------------------------------------------------------- Nanhai items

struct NanhaiCase {
  std::string item, envelope;  // {"application": …, "context": …}
  rapidjson::Document application, context;
};

std::shared_ptr<const miaopi::Pack> NanhaiPack() {
  static auto pack = miaopi::bench::LoadOrDie(std::string(kSource) + "/rules/nanhai");
  return pack;
}

std::shared_ptr<miaopi::LicenceStore> NanhaiLicences() {
  static auto store = [] {
    std::string error;
    auto s = miaopi::MemoryLicences(
        miaopi::bench::ReadLines(std::string(kSource) + "/rules/nanhai/tests/licences.jsonl"), &error);
    if (!s) std::abort();
    return s;
  }();
  return store;
}

std::string Json(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return {b.GetString(), b.GetSize()};
}

// The first case of each Nanhai test file: an application the item approves.
NanhaiCase FirstCase(const std::string& file) {
  rapidjson::Document cases;
  std::string text = miaopi::bench::ReadFile(std::string(kSource) + "/rules/nanhai/tests/" + file);
  cases.Parse(text.c_str());
  const rapidjson::Value& c = cases[0];
  NanhaiCase out;
  out.item = c["application"]["item"].GetString();
  std::string app = Json(c["application"]);
  std::string context =
      "{\"subject\":" + Json(c["subject"]) + ",\"town\":" + (c.HasMember("town") ? Json(c["town"]) : "\"\"") + "}";
  out.envelope = "{\"application\":" + app + ",\"context\":" + context + "}";
  out.application.Parse(app.c_str());
  out.context.Parse(context.c_str());
  return out;
}

const char* kNanhaiFiles[] = {"p01_birth.json",       "p02_senior.json",       "p03_residence.json",
                              "p04_pension.json",     "p05_disability.json",   "b01_individual.json",
                              "b02_food_filing.json", "b03_food_renewal.json", "b04_signboard.json",
                              "b05_investment.json"};

void BM_NanhaiText(benchmark::State& state, const char* file) {
  NanhaiCase c = FirstCase(file);
  miaopi::Evaluator evaluator(NanhaiPack(), NanhaiLicences());
  miaopi::DecideOptions options;
  options.date = "2026-09-10";
  std::string out;
  for (auto _ : state) {
    out.clear();
    evaluator.DecideToJson(c.envelope, options, 0, &out);
    benchmark::DoNotOptimize(out.data());
  }
  if (out.find("\"decision\":\"approve\"") == std::string::npos) state.SkipWithError(("not approved: " + out).c_str());
  state.SetItemsProcessed(state.iterations());
}

void BM_NanhaiPreParsed(benchmark::State& state, const char* file) {
  NanhaiCase c = FirstCase(file);
  miaopi::engine::Decider decider(NanhaiPack()->impl(), NanhaiLicences().get());
  miaopi::engine::Request request = Request(false);
  request.context = &c.context;
  miaopi::Record record;
  for (auto _ : state) {
    decider.Decide(c.application, request, &record);
    benchmark::DoNotOptimize(record.decision.decision);
  }
  if (!record.ok || record.decision.decision != miaopi::Outcome::kApprove) state.SkipWithError("not approved");
  state.SetItemsProcessed(state.iterations());
}

int RegisterNanhai() {
  for (const char* file : kNanhaiFiles) {
    std::string item = FirstCase(file).item;
    benchmark::RegisterBenchmark(("BM_NanhaiText/" + item).c_str(), BM_NanhaiText, file);
    benchmark::RegisterBenchmark(("BM_NanhaiPreParsed/" + item).c_str(), BM_NanhaiPreParsed, file);
  }
  return 0;
}
const int nanhai_registered = RegisterNanhai();

// ---------------------------------------------------------------- remedies
// What remedies cost (docs/remedies.md): the same decisions that are not
// approve — the sample's (from samples/applications) and every Nanhai test
// case that is not approve, with its context and licences — decided to the
// record's JSON (mode 0) without remedies, as batch and serve do; (1) with
// remedies, as batch --remedies and serve ?remedies=true do; (2) with
// remedies and the notice (through a Record, as eval --notice).
struct Workload {
  std::shared_ptr<const miaopi::Pack> pack;
  std::shared_ptr<miaopi::LicenceStore> licences;
  std::vector<std::string> texts;  // envelopes or applications, all not approve
  std::vector<std::string> dates;  // the evaluation date of each
};

const Workload& SampleNotApprove() {
  static Workload w = [] {
    Workload out;
    out.pack = SamplePack();
    miaopi::Evaluator e(out.pack);
    miaopi::DecideOptions o;
    o.date = "2026-09-10";
    for (const std::string& line :
         miaopi::bench::ReadLines(std::string(kSource) + "/samples/applications/food_sales_1000.jsonl")) {
      miaopi::Record r = e.Decide(line, o);
      if (r.ok && r.decision.decision != miaopi::Outcome::kApprove) {
        out.texts.push_back(line);
        out.dates.push_back(o.date);
      }
    }
    return out;
  }();
  return w;
}

const Workload& NanhaiNotApprove() {
  static Workload w = [] {
    Workload out;
    out.pack = NanhaiPack();
    out.licences = NanhaiLicences();
    miaopi::Evaluator e(out.pack, out.licences);
    miaopi::DecideOptions o;
    o.date = "2026-09-10";
    for (const char* file : kNanhaiFiles) {
      rapidjson::Document cases;
      std::string text = miaopi::bench::ReadFile(std::string(kSource) + "/rules/nanhai/tests/" + file);
      cases.Parse(text.c_str());
      for (const rapidjson::Value& c : cases.GetArray()) {
        o.date = c.HasMember("date") ? c["date"].GetString() : "2026-09-10";
        std::string context = "{\"subject\":" + (c.HasMember("subject") ? Json(c["subject"]) : "{}") +
                              ",\"town\":" + (c.HasMember("town") ? Json(c["town"]) : "\"\"") + "}";
        std::string envelope = "{\"application\":" + Json(c["application"]) + ",\"context\":" + context + "}";
        miaopi::Record r = e.Decide(envelope, o);
        if (r.ok && r.decision.decision != miaopi::Outcome::kApprove) {
          out.texts.push_back(envelope);
          out.dates.push_back(o.date);
        }
      }
    }
    return out;
  }();
  return w;
}

void BM_Remedies(benchmark::State& state, const Workload& (*workload)()) {
  const Workload& w = workload();
  miaopi::Evaluator evaluator(w.pack, w.licences);
  miaopi::DecideOptions options;
  options.date = "2026-09-10";
  options.remedies = state.range(0) >= 1;
  options.notice = state.range(0) == 2;
  if (w.texts.empty()) {
    state.SkipWithError("no decision that is not approve");
    return;
  }
  std::string out;
  size_t i = 0;
  for (auto _ : state) {
    size_t k = i++ % w.texts.size();
    const std::string& text = w.texts[k];
    options.date = w.dates[k];
    out.clear();
    if (state.range(0) < 2) {
      evaluator.DecideToJson(text, options, 0, &out);
    } else {
      out = miaopi::ToJson(evaluator.Decide(text, options));
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["applications"] = static_cast<double>(w.texts.size());
}
// The ratio itself, from one time window: each iteration decides the same
// application without remedies and with them (in turn first), timing each,
// so the machine's drift falls on both alike. Counters: ns per decision without
// (`decision`) and the ns remedies add (`remedies`), and their ratio.
void BM_RemediesRatio(benchmark::State& state, const Workload& (*workload)()) {
  const Workload& w = workload();
  miaopi::Evaluator evaluator(w.pack, w.licences);
  miaopi::DecideOptions plain, asking;
  asking.remedies = true;
  std::string out;
  double without = 0, with = 0;
  size_t i = 0;
  for (auto _ : state) {
    size_t k = i++ % w.texts.size();
    plain.date = asking.date = w.dates[k];
    // Which goes first alternates, so neither always finds the caches warm.
    bool plain_first = i % 2 == 0;
    auto t0 = std::chrono::steady_clock::now();
    out.clear();
    evaluator.DecideToJson(w.texts[k], plain_first ? plain : asking, 0, &out);
    benchmark::DoNotOptimize(out.data());
    auto t1 = std::chrono::steady_clock::now();
    out.clear();
    evaluator.DecideToJson(w.texts[k], plain_first ? asking : plain, 0, &out);
    benchmark::DoNotOptimize(out.data());
    auto t2 = std::chrono::steady_clock::now();
    double first = std::chrono::duration<double, std::nano>(t1 - t0).count();
    double second = std::chrono::duration<double, std::nano>(t2 - t1).count();
    without += plain_first ? first : second;
    with += plain_first ? second : first;
  }
  double n = static_cast<double>(state.iterations());
  state.counters["decision"] = without / n;
  state.counters["remedies"] = (with - without) / n;
  state.counters["ratio"] = (with - without) / without;
}
BENCHMARK_CAPTURE(BM_RemediesRatio, sample, SampleNotApprove);
BENCHMARK_CAPTURE(BM_RemediesRatio, nanhai, NanhaiNotApprove);

BENCHMARK_CAPTURE(BM_Remedies, sample, SampleNotApprove)->DenseRange(0, 2)->ArgName("mode");
BENCHMARK_CAPTURE(BM_Remedies, nanhai, NanhaiNotApprove)->DenseRange(0, 2)->ArgName("mode");

// ---------------------------------------------------------------- pack size

// A pack of `items` copies of FS-001 (codes FS-0000 …), the sample
// applications spread over them — evenly at random (range 1 = 0), the worst
// case for caches, or by popularity (range 1 = 1: Zipf, s = 1, as service
// counters see it): does a bigger pack slow each decision?
void BM_ItemsInPack(benchmark::State& state) {
  int items = static_cast<int>(state.range(0));
  bool zipf = state.range(1) == 1;
  std::string rules = miaopi::bench::ReadFile(std::string(kSource) + "/samples/food_sales/food_sales.rules");
  size_t item_at = rules.find("item \"FS-001\"");
  std::string head = rules.substr(0, item_at), body = rules.substr(item_at);
  std::string pack_text = head;
  char code[16];
  for (int i = 0; i < items; ++i) {
    std::snprintf(code, sizeof code, "FS-%04d", i);
    std::string copy = body;
    copy.replace(copy.find("FS-001"), 6, code);
    pack_text += copy + "\n";
  }
  std::string dir = miaopi::bench::WritePack(
      "items_" + std::to_string(items),
      {{"food_sales.rules", pack_text},
       {"tables/credit_blacklist.csv",
        miaopi::bench::ReadFile(std::string(kSource) + "/samples/food_sales/tables/credit_blacklist.csv")},
       {"tables/foshan_districts.csv",
        miaopi::bench::ReadFile(std::string(kSource) + "/samples/food_sales/tables/foshan_districts.csv")}});
  auto pack = miaopi::bench::LoadOrDie(dir);
  std::vector<std::string> apps =
      miaopi::bench::ReadLines(std::string(kSource) + "/samples/applications/food_sales_1000.jsonl");
  std::vector<double> cumulative;  // Zipf: P(rank k) ∝ 1 / k
  for (int k = 1; k <= items; ++k) cumulative.push_back((cumulative.empty() ? 0 : cumulative.back()) + 1.0 / k);
  std::mt19937_64 rng(11);
  std::vector<std::string> spread;
  for (size_t round = 0; round < 10; ++round) {  // 10,000 applications
    for (size_t i = 0; i < apps.size(); ++i) {
      int target;
      if (zipf) {
        double u = std::uniform_real_distribution<double>(0, cumulative.back())(rng);
        target = static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      } else {
        target = static_cast<int>(rng() % static_cast<uint64_t>(items));
      }
      std::snprintf(code, sizeof code, "FS-%04d", target);
      std::string app = apps[i];
      app.replace(app.find("FS-001"), 6, code);
      spread.push_back(std::move(app));
    }
  }
  apps.swap(spread);
  miaopi::Evaluator evaluator(pack);
  miaopi::DecideOptions options;
  options.date = "2026-09-10";
  std::string out;
  size_t i = 0;
  for (auto _ : state) {
    out.clear();
    evaluator.DecideToJson(apps[i], options, 0, &out);
    if (++i == apps.size()) i = 0;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ItemsInPack)->ArgsProduct({{10, 100, 1000}, {0, 1}})->ArgNames({"items", "zipf"});

// ---------------------------------------------------------------- reading text

// The 1,000 sample applications, cycled; each benchmark reads them its way
// (the first two into FS-001's slots, as the engine does).
struct Texts {
  std::vector<std::string> apps =
      miaopi::bench::ReadLines(std::string(kSource) + "/samples/applications/food_sales_1000.jsonl");
  size_t next = 0;
  const std::string& Next() {
    const std::string& s = apps[next];
    if (++next == apps.size()) next = 0;
    return s;
  }
};

void BM_ReadText_RapidJsonDom(benchmark::State& state) {
  Texts texts;
  const miaopi::engine::CompiledPack& p = SamplePack()->impl();
  miaopi::engine::EvalState st;
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts.Next();
    bytes += t.size();
    rapidjson::Document doc;
    miaopi::ErrorRecord error;
    miaopi::engine::ParseApplication(t, p.limits, &doc, &error);
    st.Reset();
    miaopi::engine::IngestError ie;
    benchmark::DoNotOptimize(miaopi::engine::Ingest(p.items[0].graph, doc, p.limits.max_list_length, st, &ie));
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ReadText_RapidJsonDom);

void BM_ReadText_RapidJsonSaxNothingBuilt(benchmark::State& state) {
  Texts texts;
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts.Next();
    bytes += t.size();
    rapidjson::Reader reader;
    rapidjson::StringStream stream(t.c_str());
    rapidjson::BaseReaderHandler<> handler;
    benchmark::DoNotOptimize(reader.Parse<rapidjson::kParseValidateEncodingFlag>(stream, handler).IsError());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ReadText_RapidJsonSaxNothingBuilt);

void BM_ReadText_SimdjsonDom(benchmark::State& state) {
  Texts texts;
  const miaopi::engine::CompiledPack& p = SamplePack()->impl();
  miaopi::engine::EvalState st;
  simdjson::dom::parser parser;
  std::string padded;
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts.Next();
    bytes += t.size();
    padded.assign(t);
    padded.append(simdjson::SIMDJSON_PADDING, '\0');
    simdjson::dom::element root;
    if (parser.parse(padded.data(), t.size(), false).get(root)) continue;
    st.Reset();
    miaopi::engine::IngestError ie;
    benchmark::DoNotOptimize(miaopi::engine::Ingest(p.items[0].graph, root, p.limits.max_list_length, st, &ie));
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ReadText_SimdjsonDom);

// Visits every value once: what an On-Demand reader that needs most of the
// document would pay at least (it validates only what it visits).
size_t Walk(simdjson::ondemand::value v) {
  size_t n = 0;
  switch (v.type().value_unsafe()) {
    case simdjson::ondemand::json_type::object:
      for (auto field : v.get_object().value_unsafe()) n += 1 + Walk(field.value().value_unsafe());
      return n;
    case simdjson::ondemand::json_type::array:
      for (auto e : v.get_array().value_unsafe()) n += Walk(e.value_unsafe());
      return n;
    case simdjson::ondemand::json_type::string: return v.get_string().value_unsafe().size();
    case simdjson::ondemand::json_type::number: return static_cast<size_t>(v.get_double().value_unsafe());
    default: return 1;
  }
}

void BM_ReadText_SimdjsonOnDemandWalk(benchmark::State& state) {
  Texts texts;
  simdjson::ondemand::parser parser;
  std::string padded;
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts.Next();
    bytes += t.size();
    padded.assign(t);
    padded.append(simdjson::SIMDJSON_PADDING, '\0');
    simdjson::ondemand::document doc;
    if (parser.iterate(padded.data(), t.size(), padded.size()).get(doc)) continue;
    simdjson::ondemand::value root;
    if (doc.get_value().get(root)) continue;
    benchmark::DoNotOptimize(Walk(root));
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ReadText_SimdjsonOnDemandWalk);

}  // namespace

BENCHMARK_MAIN();
