// The public embedding API (engine/include/miaopi/miaopi.h) over the engine.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "dsl/large_stack.h"
#include "dsl/program.h"
#include "engine/compile/pack.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/decider.h"

namespace miaopi {

Pack::Pack(std::unique_ptr<engine::CompiledPack> impl) : impl_(std::move(impl)) {}
Pack::~Pack() = default;
const PackIdentity& Pack::identity() const { return impl_->identity; }
const Limits& Pack::limits() const { return impl_->limits; }

std::vector<std::string> Pack::items() const {
  std::vector<std::string> codes;
  for (const dsl::ItemVersion& v : impl_->program->items) {
    if (std::find(codes.begin(), codes.end(), v.decl->code) == codes.end()) codes.push_back(v.decl->code);
  }
  return codes;
}

std::vector<std::pair<std::string, std::string_view>> Pack::files() const {
  std::vector<std::pair<std::string, std::string_view>> files;
  for (const auto& [path, id] : impl_->program->inputs)
    files.emplace_back(path, impl_->program->sources.file(id).text());
  return files;
}

std::vector<ItemVersionInfo> Pack::item_versions() const {
  std::vector<ItemVersionInfo> out;
  for (const dsl::ItemVersion& v : impl_->program->items) {
    ItemVersionInfo& info = out.emplace_back();
    info.item = v.decl->code;
    info.title = v.decl->title;
    info.effective = dsl::FormatIsoDate(v.effective);
    info.until = v.until ? dsl::FormatIsoDate(*v.until) : std::string();
    info.rules = v.decl->rules.size();
    for (const dsl::PrivateDecl& p : v.decl->private_paths) {
      std::string path;
      for (const std::string& segment : p.segments) path += (path.empty() ? "" : ".") + segment;
      info.private_paths.push_back(std::move(path));
    }
  }
  return out;
}

namespace {

Diagnostic Convert(const dsl::Diagnostic& d, const dsl::SourceSet& sources) {
  Diagnostic out;
  out.severity = d.severity == dsl::Severity::kError     ? "error"
                 : d.severity == dsl::Severity::kWarning ? "warning"
                                                         : "note";
  out.code = std::string(dsl::CodeText(d.code));
  out.message = d.message;
  if (d.has_span) {
    const dsl::SourceFile& f = sources.file(d.span.file);
    dsl::LineCol lc = f.Locate(d.span.begin);
    out.file = f.path();
    out.line = lc.line;
    out.column = lc.column;
  }
  return out;
}

engine::Request MakeRequest(const DecideOptions& options, int32_t date) {
  engine::Request r;
  r.date = date;
  r.explain = options.explain;
  r.remedies = options.remedies || options.notice;
  r.notice = options.notice;
  r.item = options.item;
  return r;
}

// The evaluation date of a call, or false (and an error record) when the
// caller's date is not a real day.
bool ResolveDate(const DecideOptions& options, int32_t* date, Record* out) {
  if (options.date.empty()) {
    engine::ParseDate(TodayUtc(), date);
    return true;
  }
  if (engine::ParseDate(options.date, date)) return true;
  *out = Record{};
  out->error.code = "bad_date";
  out->error.message = "evaluation date '" + options.date + "' is not YYYY-MM-DD naming a real day";
  return false;
}

}  // namespace

namespace {

// The last guard of "no exception crosses the API": whatever escapes (an
// allocation failure, a library bug) becomes an error value.
Record InternalError(const char* what) {
  Record r;
  r.error.code = "internal_error";
  r.error.message = std::string("the engine failed: ") + what;
  return r;
}

LoadResult LoadPackUnguarded(const std::string& dir, const LoadOptions& options);

}  // namespace

LoadResult LoadPack(const std::string& dir, const LoadOptions& options) {
  LoadResult result;
  try {
    dsl::RunWithLargeStack([&] { result = LoadPackUnguarded(dir, options); });
  } catch (const std::exception& e) {
    result = LoadResult{};
    result.io_error = std::string("loading the pack failed: ") + e.what();
  }
  return result;
}

namespace {

LoadResult LoadPackUnguarded(const std::string& dir, const LoadOptions& options) {
  LoadResult result;
  dsl::LoadOptions dsl_options = engine::DslLoadOptions(options.limits);
  dsl::Diagnostics diags;
  std::unique_ptr<dsl::Program> program = dsl::LoadProgram(dir, dsl_options, diags, &result.io_error);
  if (!program) return result;
  auto finish = [&] {
    diags.Sort();
    for (const dsl::Diagnostic& d : diags.all()) result.diagnostics.push_back(Convert(d, program->sources));
    result.rendered = dsl::RenderAll(diags, program->sources, options.color_diagnostics);
  };
  if (diags.has_errors()) {
    finish();
    return result;
  }
  for (const std::string& pass : options.disabled_passes) {
    if (!engine::IsPassName(pass)) {
      result.io_error = "no optimization pass is called '" + pass + "'";
      return result;
    }
  }
  engine::OptimizeOptions passes;
  passes.disabled = options.disabled_passes;
  std::unique_ptr<engine::CompiledPack> compiled =
      engine::CompileProgram(std::move(program), options.limits, passes, diags);
  diags.Sort();
  for (const dsl::Diagnostic& d : diags.all()) result.diagnostics.push_back(Convert(d, compiled->program->sources));
  result.rendered = dsl::RenderAll(diags, compiled->program->sources, options.color_diagnostics);
  if (diags.has_errors()) return result;
  result.pack = std::make_shared<const Pack>(std::move(compiled));
  return result;
}

}  // namespace

Evaluator::Evaluator(std::shared_ptr<const Pack> pack, std::shared_ptr<LicenceStore> licences)
    : pack_(std::move(pack)), licences_(std::move(licences)),
      decider_(std::make_unique<engine::Decider>(pack_->impl(), licences_.get())) {}

// The parsed request context of these options (the last one is kept, so a
// batch with one context parses it once); null when there is none.
const rapidjson::Value* Evaluator::Context(const DecideOptions& options, Record* out) {
  if (options.context.empty()) return nullptr;
  if (context_ && options.context == context_text_) return context_.get();
  auto doc = std::make_unique<rapidjson::Document>();
  doc->Parse(options.context.c_str(), options.context.size());
  if (doc->HasParseError() || !doc->IsObject()) {
    *out = Record{};
    out->error.code = "bad_context";
    out->error.message = "the request context is not a JSON object";
    return nullptr;
  }
  context_ = std::move(doc);
  context_text_ = options.context;
  return context_.get();
}
Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;

// Both Decide overloads: the date and context of `options`, then the decider
// on the input (text or a RapidJSON value), no exception escaping.
template <typename Input>
Record Evaluator::DecideWith(const Input& input, const DecideOptions& options) {
  try {
    Record out;
    int32_t date;
    if (!ResolveDate(options, &date, &out)) return out;
    engine::Request request = MakeRequest(options, date);
    request.context = Context(options, &out);
    if (!options.context.empty() && request.context == nullptr) return out;
    decider_->Decide(input, request, &out);
    return out;
  } catch (const std::exception& e) {
    return InternalError(e.what());
  }
}

Record Evaluator::Decide(std::string_view json, const DecideOptions& options) { return DecideWith(json, options); }

Record Evaluator::Decide(const rapidjson::Value& application, const DecideOptions& options) {
  return DecideWith(application, options);
}

std::optional<Outcome> Evaluator::DecideToJson(std::string_view json, const DecideOptions& options, uint64_t line,
                                               std::string* out, size_t capacity) {
  Record& failed = failed_;  // written whole by whatever fails (a Record per decision costs ~150 instructions)
  try {
    int32_t date;
    if (ResolveDate(options, &date, &failed)) {
      engine::Request request = MakeRequest(options, date);
      request.context = Context(options, &failed);
      if (options.context.empty() || request.context != nullptr) {
        engine::DecideSummary s = decider_->DecideToJson(json, request, line, out, capacity);
        if (s.ok) return s.outcome;
        return std::nullopt;
      }
    }
  } catch (const std::exception& e) {
    failed = InternalError(e.what());
  }
  failed.error.line = line;
  out->append(ToJson(failed));
  return std::nullopt;
}

// The pack in force, a generation number bumped by every Swap, and each
// thread's evaluator with the generation it was built for. Decide reads
// only the generation (one atomic load) unless the pack changed.
struct Engine::State {
  struct Slot {
    uint64_t generation = 0;
    std::unique_ptr<Evaluator> evaluator;
  };

  State(std::shared_ptr<const Pack> p, std::shared_ptr<LicenceStore> l) : pack(std::move(p)), licences(std::move(l)) {}

  // This thread's evaluator for the pack now in force.
  Evaluator& Local() {
    Slot& slot = slots.local();
    uint64_t now = generation.load(std::memory_order_acquire);
    if (slot.evaluator == nullptr || slot.generation != now) {
      slot.evaluator.reset();  // the old pack goes before the new state is built
      slot.evaluator = std::make_unique<Evaluator>(pack.load(), licences);
      slot.generation = now;
    }
    return *slot.evaluator;
  }

  std::atomic<std::shared_ptr<const Pack>> pack;
  std::atomic<uint64_t> generation{0};
  std::shared_ptr<LicenceStore> licences;
  tbb::enumerable_thread_specific<Slot> slots;
};

Engine::Engine(std::shared_ptr<const Pack> pack, std::shared_ptr<LicenceStore> licences)
    : state_(std::make_unique<State>(std::move(pack), std::move(licences))) {}

Engine::~Engine() = default;

void Engine::Swap(std::shared_ptr<const Pack> pack) {
  state_->pack.store(std::move(pack));
  state_->generation.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const Pack> Engine::pack() const { return state_->pack.load(); }

Record Engine::Decide(std::string_view json, const DecideOptions& options, PackIdentity* decided_with) const {
  try {
    Evaluator& evaluator = state_->Local();
    if (decided_with != nullptr) *decided_with = evaluator.pack().identity();
    return evaluator.Decide(json, options);
  } catch (const std::exception& e) {
    return InternalError(e.what());  // building an evaluator ran out of memory
  }
}

std::optional<Outcome> Engine::DecideToJson(std::string_view json, const DecideOptions& options, std::string* out,
                                            std::string* pack_hash) const {
  try {
    Evaluator& evaluator = state_->Local();
    if (pack_hash != nullptr) *pack_hash = evaluator.pack().identity().hash;
    return evaluator.DecideToJson(json, options, 0, out);
  } catch (const std::exception& e) {
    out->append(ToJson(InternalError(e.what())));
    return std::nullopt;
  }
}

std::vector<Record> Engine::DecideBatch(const std::vector<std::string>& applications, const DecideOptions& options,
                                        int threads) const {
  // One pack for the whole batch, even when a Swap comes in the middle.
  std::shared_ptr<const Pack> pack = state_->pack.load();
  std::vector<Record> out(applications.size());
  try {
    tbb::enumerable_thread_specific<std::unique_ptr<Evaluator>> evaluators(
        [&] { return std::make_unique<Evaluator>(pack, state_->licences); });
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, applications.size(), 64), [&](const auto& range) {
        Evaluator& e = *evaluators.local();
        for (size_t i = range.begin(); i != range.end(); ++i) out[i] = e.Decide(applications[i], options);
      });
    });
  } catch (const std::exception& e) {
    for (Record& r : out) {
      if (!r.ok && r.error.code.empty()) r = InternalError(e.what());
    }
  }
  return out;
}

std::string TodayUtc() {
  using namespace std::chrono;
  int64_t days = duration_cast<hours>(system_clock::now().time_since_epoch()).count() / 24;
  return dsl::FormatIsoDate(static_cast<int32_t>(days));
}

}  // namespace miaopi
