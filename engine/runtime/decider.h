// One application, start to finish: parse its JSON (with size and depth
// limits), pick the item version in force, ingest, run the graph, and
// assemble the decision — or the error record when it cannot be decided.
// This file's external interface is Decider.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <simdjson.h>

#include <string>
#include <string_view>

#include "engine/graph/compiled_pack.h"
#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/eval_state.h"
#include "engine/runtime/json_parse.h"
#include "engine/runtime/json_view.h"
#include "engine/runtime/record_writer.h"
#include "engine/runtime/request.h"
#include "engine/runtime/sweep.h"

namespace miaopi::engine {

// What a batch needs to count, besides the record's text.
struct DecideSummary {
  bool ok = false;
  Outcome outcome = Outcome::kReview;
};

// Bytes past a text that make it readable in place (simdjson's padding;
// their contents do not matter).
inline constexpr size_t kTextPadding = simdjson::SIMDJSON_PADDING;

class Decider {
 public:
  explicit Decider(const CompiledPack& pack, LicenceStore* licences = nullptr);

  // JSON text: an application, or an envelope {"application": {…}, "context": {…}}
  // whose context replaces the request's.
  void Decide(std::string_view json, const Request& request, Record* out);
  void Decide(const rapidjson::Value& application, const Request& request, Record* out);
  // Appends the record's JSON line (no newline): the bytes of ToJson(Decide(…)),
  // written from the evaluation state without building a Record. `line`
  // goes into error records. `capacity`: the bytes readable from
  // json.data(); with simdjson's padding past the text (kTextPadding), the
  // text is read in place, else copied first.
  DecideSummary DecideToJson(std::string_view json, const Request& request, uint64_t line, std::string* out,
                             size_t capacity = 0);

  // Text goes through RapidJSON only (tests: the reference for the fast path).
  void DisableFastText() { fast_text_ = false; }
  // How many texts were decided on the simdjson fast path (tests).
  size_t fast_decisions() const { return fast_decisions_; }

  // The graph state of the last decision (REPL, tests).
  const EvalState& state() const { return state_; }
  int last_item() const { return last_item_; }

 private:
  // ParseApplication, keeping the raw text of a numeric id.
  bool ParseGeneral(std::string_view json, rapidjson::Document* doc, ErrorRecord* error);
  static void Clear(Record* out);
  void DecideUnwrapped(const Unwrapped<RapidJsonView>& in, const Request& request, Record* out);
  // The one decision flow, over either JSON view: checks the input, picks
  // the item version, ingests and runs it. The item version's index, or -1
  // with `error` set (the record is then an error record).
  template <typename Json>
  int EvaluateAs(const Unwrapped<Json>& in, const Request& request, ErrorRecord* error);
  // Parses `json` with simdjson and decides it; the item version's index,
  // or -1 for anything the general path should handle (every error record
  // among them). `capacity` as for DecideToJson.
  int DecideFast(std::string_view json, size_t capacity, const Request& request);
  int Run(int index, const Value* input, const Value* context_slots, const Request& request);
  std::string_view DateText(int32_t date);
  void Assemble(const CompiledItem& item, const Request& request, Decision* d);
  void AppendRemedies(const CompiledItem& item, std::string* out);
  // The application's id as JSON ("\"APP-1\"", 17), appended; nothing
  // without one. False (the fast path) when the id must come from the text.
  bool AppendIdJson(const Unwrapped<RapidJsonView>& in, std::string* out);
  bool AppendIdJson(const SimdjsonView& app, std::string* out);
  bool AppendIdJson(const Unwrapped<SimdjsonView>& in, std::string* out) { return AppendIdJson(in.app, out); }

  const CompiledPack& pack_;
  LicenceStore* licences_;
  EvalState state_;
  RunInputs last_run_;            // what the last evaluation ran with (remedies re-run it)
  std::vector<Remedy> remedies_;  // reused by AppendRemedies
  std::string remedies_json_;
  int last_item_ = -1;
  // Reused by DecideToJson.
  RecordScratch scratch_;
  rapidjson::StringBuffer id_buffer_;
  std::string id_json_, date_text_;
  RawIds raw_ids_;  // of the text being decided on the general path
  DuplicateMemberCheck duplicates_;
  MemberScan<SimdjsonView> scan_;  // the fast path's duplicate check while reading
  int32_t date_ = 0;
  simdjson::dom::parser json_parser_;
  std::string padded_;  // the text with simdjson's padding
  bool fast_text_ = false;
  size_t fast_decisions_ = 0;
};

}  // namespace miaopi::engine
