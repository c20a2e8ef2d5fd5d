// The fast path from a finished evaluation to its record's JSON line, for
// batch runs: the constant parts of an item's records (its code, each rule's
// reason with message and basis, the item version and the pack) are escaped
// once when the pack is compiled, so a record is a few appends. The bytes
// are exactly those of ToJson(Record) (record_json.cc); a differential test
// holds the two to it. This file's external interface is BuildRecordParts
// and WriteRecord.
#pragma once

#include <rapidjson/stringbuffer.h>

#include <string>
#include <vector>

#include "engine/runtime/causes.h"
#include "engine/runtime/eval_state.h"
#include "engine/graph/graph.h"
#include "engine/include/miaopi/miaopi.h"

namespace miaopi::engine {

struct CompiledItem;
struct CompiledPack;

struct RecordParts {
  std::string item;                  // "item":"FS-001","decision":"
  std::string obligation;            // ,"obligation":{…}  (mode original_check, on approve)
  std::string tail;                  // ,"item_version":{…},"pack":{…}}
  std::vector<std::string> failed;   // per rule: {"rule":…,"status":"fail",…}
  std::vector<std::string> unknown;  // per rule: {"rule":…,"status":"unknown",… without the closing brace
  std::vector<Outcome> failed_outcome, unknown_outcome;
  std::vector<std::string> output_keys;  // per output: "name":
  std::vector<std::pair<std::string, std::string>> licence_names;  // for CauseNames
  std::string effective, mode;       // as text, for Record's Decision
  std::vector<uint32_t> rule_conds;  // each rule's condition node, contiguous
};

RecordParts BuildRecordParts(const CompiledItem& item, const PackIdentity& pack);

// Reusable buffers of WriteRecord, so that steady state does not allocate.
struct RecordScratch {
  FlatCauses causes;
  rapidjson::StringBuffer quoted;
};

// Appends the record of the evaluation in `state` (item `item`, evaluation
// date `date` as YYYY-MM-DD, `id_json` the application's id as JSON or
// empty) as one line without the newline; returns the decision.
Outcome WriteRecord(const CompiledItem& item, const CompiledPack& pack, const EvalState& state, std::string_view id_json,
                 std::string_view date, RecordScratch& scratch, std::string* out);

}  // namespace miaopi::engine
