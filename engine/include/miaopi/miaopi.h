// miaopi — decide government-service applications from rule packs.
//
// The embedding API. Load a pack once (LoadPack), then decide applications:
// with an Evaluator per thread (fastest), or through an Engine shared by all
// threads (thread-safe, hot-swappable). No exception crosses this API: rule
// errors are diagnostics, bad application data is an unknown value that
// becomes `review`, and an application that cannot be decided at all gets
// an ErrorRecord. See docs/embedding.md.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "miaopi/licences.h"

namespace miaopi {

namespace engine {
struct CompiledPack;
class Decider;
}  // namespace engine

enum class Outcome { kApprove, kReview, kReject };
enum class RuleStatus { kPass, kFail, kUnknown };

const char* OutcomeName(Outcome o);        // "approve", "review", "reject"
const char* RuleStatusName(RuleStatus s);  // "pass", "fail", "unknown"

// Every limit, with its default. Exceeding one is a clear error for that one
// input (a diagnostic for packs, an error record for applications).
struct Limits {
  size_t max_application_bytes = 1u << 20;  // one application's JSON text
  uint32_t max_json_depth = 64;             // nesting of objects and arrays in an application
  size_t max_list_length = 10000;           // elements of any one list in an application
  size_t max_rules = 100000;                // rules in a pack, all items and versions
  size_t max_table_rows = 2000000;          // rows of one table
  size_t max_table_bytes = 256u << 20;      // one table file
  size_t max_source_bytes = 4u << 20;       // one .rules file
  uint32_t max_expression_nesting = 64;     // parentheses, not, if and quantifiers inside each other
  size_t max_item_nodes = 1000000;          // graph nodes of one item version, defs and lets expanded
};

struct LoadOptions {
  Limits limits;
  std::vector<std::string> disabled_passes;  // optimization passes to skip: cse, fold, simplify, const-sets
  bool color_diagnostics = false;            // ANSI colors in LoadResult::rendered
};

struct Diagnostic {
  std::string file;  // empty for pack-wide problems
  uint32_t line = 0, column = 0;
  std::string severity;  // "error", "warning"
  std::string code;      // "E201"
  std::string message;
};

struct PackIdentity {
  std::string name, version;
  std::string hash;  // "sha256:…" over every rules file and table, by path
};

// One version of an item, as a pack declares it.
struct ItemVersionInfo {
  std::string item, title;
  std::string effective;  // YYYY-MM-DD
  std::string until;      // YYYY-MM-DD, or empty: open-ended
  size_t rules = 0;
  // Its `private` input paths ("applicant.id_number"): personal data that
  // exports mask.
  std::vector<std::string> private_paths;
};

class Pack {
 public:
  explicit Pack(std::unique_ptr<engine::CompiledPack> impl);
  ~Pack();
  const PackIdentity& identity() const;
  const Limits& limits() const;  // what it was compiled with (LoadOptions::limits)
  // Item codes, each once, in source order.
  std::vector<std::string> items() const;
  // Every item version, in source order.
  std::vector<ItemVersionInfo> item_versions() const;
  // The files the pack was compiled from (rules files and tables), by path
  // relative to the pack folder, sorted: exactly what its hash covers.
  std::vector<std::pair<std::string, std::string_view>> files() const;
  const engine::CompiledPack& impl() const { return *impl_; }

 private:
  std::unique_ptr<engine::CompiledPack> impl_;
};

struct LoadResult {
  std::shared_ptr<const Pack> pack;     // null when the pack has errors
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in file order
  std::string rendered;                 // diagnostics as text: file:line:col, source line, caret
  std::string io_error;                 // the folder could not be read
  bool ok() const { return pack != nullptr; }
};

// Reads, checks and compiles the pack in folder `dir`.
LoadResult LoadPack(const std::string& dir, const LoadOptions& options = {});

struct Reason {
  std::string rule;
  Outcome outcome = Outcome::kReview;
  RuleStatus status = RuleStatus::kFail;  // kFail or kUnknown
  std::string message;
  std::string basis;                 // the rule's legal basis, else the item's
  std::vector<std::string> missing;  // paths absent or of the wrong type (status unknown)
  std::vector<std::string> notes;    // other reasons a value was unknown (division by zero …)
};

struct TraceRule {
  std::string rule;
  RuleStatus status = RuleStatus::kPass;
  Outcome outcome = Outcome::kApprove;  // what this rule contributes
  std::vector<std::string> facts;       // "business.area_m2 = 8 < 10"
};

// One change to the application that would help a rule pass
// (docs/remedies.md). Values are JSON text; an empty one is absent.
struct RemedyChange {
  std::string path;       // "business.area_m2", "staff[1].health_cert_expires"; empty for a licence
  std::string have;       // the value read, as JSON; empty when absent or of the wrong type
  std::string need;       // ">= 10", "in districts", "provide", or a condition in the language
  std::string type;       // with need "provide": the field's type ("number")
  std::string condition;  // with need "provide": what the value must satisfy (">= 10"), if anything
  std::string example;    // a value that satisfies `need`, as JSON; empty when none can be constructed
  // With need "provide": "missing" or "wrong_type". For a licence from the
  // electronic licence library: what is wrong with it (not_found, expired,
  // revoked, …), beside its type and title and the ways on.
  std::string licence, licence_title, problem;
  std::vector<std::string> ways;
};

// What would make one rule that did not pass, pass.
struct Remedy {
  std::string rule;
  // False when the rule can pass only by changing what the applicant cannot
  // change (a `fixed` field, the login, a table, the date), or when every
  // way to pass would break another rule; `why` then says which.
  bool fixable = false;
  std::vector<RemedyChange> changes;  // in the order to apply them
  std::string why;
};

struct Decision {
  std::string id_json;  // the application's id as JSON ("\"APP-1\"", "17"), or empty
  std::string item, item_title;
  std::string item_effective;  // the version in force: its effective date
  std::string mode;            // online | original_check | in_person
  Outcome decision = Outcome::kReview;
  std::string date;              // the evaluation date
  std::vector<Reason> reasons;   // rules that did not pass, in source order
  std::vector<TraceRule> trace;  // every rule, with DecideOptions::explain
  // The item's `output`s, name → value as JSON text ("null" when unknown).
  std::vector<std::pair<std::string, std::string>> outputs;
  PackIdentity pack;
  // With DecideOptions::remedies (or notice), for a decision that is not
  // approve: one per rule that did not pass, in source order.
  std::vector<Remedy> remedies;
  std::string notice;  // with DecideOptions::notice: the one-time notice (Notice())
};

struct ErrorRecord {
  std::string id_json;
  uint64_t line = 0;  // input line in a batch, else 0
  std::string code;   // invalid_json, not_an_object, no_item, unknown_item,
                      // no_version_in_force, too_large, too_deep,
                      // list_too_long, bad_date
  std::string message;
};

// The answer for one application: a decision, or an error record.
struct Record {
  bool ok = false;
  Decision decision;
  ErrorRecord error;
};

struct DecideOptions {
  std::string date;  // evaluation date YYYY-MM-DD; empty: today (UTC)
  bool explain = false;
  std::string item;  // overrides the application's "item"
  // The request context as JSON, from the caller — never from the form:
  // {"subject": {"kind": "natural_person"|"legal_person", "id": "…",
  //  "auth_level": "password"|"sms"|"face", "name": "…"}, "town": "440605124"}.
  // Rules read it as subject.… and context.…; absent, those are unknown.
  // A JSON text {"application": {…}, "context": {…}} brings its own.
  std::string context;
  // Remedies: for a decision that is not approve, what would make each rule
  // that did not pass, pass (Decision::remedies). Costs a few re-runs of the
  // decision graph; nothing when not asked or when the decision is approve.
  bool remedies = false;
  // The one-time notice for the applicant (Decision::notice); implies remedies.
  bool notice = false;
};

// One thread's reusable evaluation state over one pack. Not thread-safe;
// make one per thread.
class Evaluator {
 public:
  // `licences`: the electronic licence library for `uses licence`; without
  // one, every licence is unknown (review).
  explicit Evaluator(std::shared_ptr<const Pack> pack, std::shared_ptr<LicenceStore> licences = nullptr);
  ~Evaluator();
  Evaluator(Evaluator&&) noexcept;

  Record Decide(std::string_view application_json, const DecideOptions& options = {});
  Record Decide(const rapidjson::Value& application, const DecideOptions& options = {});
  // Appends the record as one line of JSON (no newline) to `out`: the fast
  // path batch runs use — the same bytes as ToJson(Decide(…)), written
  // without building a Record. `line` goes into error records. Returns the
  // decision, or nullopt when the record is an error record.
  // `capacity`: the bytes readable from application_json.data(); when they
  // reach 64 past the text (their contents do not matter), the text is read
  // in place rather than copied first (batch runs' buffers).
  std::optional<Outcome> DecideToJson(std::string_view application_json, const DecideOptions& options, uint64_t line,
                                      std::string* out, size_t capacity = 0);

  const Pack& pack() const { return *pack_; }

 private:
  const rapidjson::Value* Context(const DecideOptions& options, Record* out);
  template <typename Input>
  Record DecideWith(const Input& input, const DecideOptions& options);

  std::shared_ptr<const Pack> pack_;
  std::shared_ptr<LicenceStore> licences_;
  std::unique_ptr<engine::Decider> decider_;
  std::string context_text_;  // the last context parsed, kept for reuse
  Record failed_;             // DecideToJson's error record before the engine runs (bad date or context)
  std::unique_ptr<rapidjson::Document> context_;
};

// Thread-safe front door: decide from any thread; swap in a new pack while
// others are deciding (each call uses the pack current when it started).
// Each Engine keeps one Evaluator per thread that uses it, rebuilt on that
// thread's first call after a Swap; an old pack is released once every
// thread that decided with it has decided again, or with the Engine.
class Engine {
 public:
  explicit Engine(std::shared_ptr<const Pack> pack, std::shared_ptr<LicenceStore> licences = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void Swap(std::shared_ptr<const Pack> pack);
  std::shared_ptr<const Pack> pack() const;
  // `decided_with`, when given, receives the identity of the pack that
  // decided (error records included): what a service reports beside them.
  Record Decide(std::string_view application_json, const DecideOptions& options = {},
                PackIdentity* decided_with = nullptr) const;
  // The record as one line of JSON appended to `out` (no newline), the
  // bytes of ToJson(Decide(…)) without building a Record: the decision, or
  // nullopt for an error record. `pack_hash`, when given, receives the hash
  // of the pack that decided.
  std::optional<Outcome> DecideToJson(std::string_view application_json, const DecideOptions& options, std::string* out,
                                      std::string* pack_hash = nullptr) const;
  // Decides many applications on `threads` threads (0: all cores); results
  // in input order.
  std::vector<Record> DecideBatch(const std::vector<std::string>& applications, const DecideOptions& options = {},
                                  int threads = 0) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The record as one line of JSON (UTF-8, Chinese as is).
std::string ToJson(const Record& record);

// The one-time notice (一次性告知) of a decision, as Chinese text for the
// applicant: what to correct or supply, rule by rule with the values, what
// cannot be remedied and why, the legal basis, and the right to ask for a
// person to review the decision. Empty for an approve.
std::string Notice(const Decision& decision);

// The application with every `example` of every fixable remedy applied, in
// order (paths as remedies write them; an index one past a list's end
// appends). nullopt with `error` set when the text is not an application
// or a path cannot be followed.
std::optional<std::string> ApplyRemedyExamples(std::string_view application_json, const std::vector<Remedy>& remedies,
                                               std::string* error);

// Today's date (UTC) as YYYY-MM-DD: the default evaluation date.
std::string TodayUtc();

// Problems the engine works around without failing a decision (a licence
// record it cannot read) are reported here, each once, never with an
// application's or a licence's personal data. The default sink drops them;
// the `miaopi` command sends them to its log. Set it before deciding.
using WarningSink = void (*)(const std::string& message);
void SetWarningSink(WarningSink sink);
void LogWarning(const std::string& message);

}  // namespace miaopi
