// The fast path from a finished evaluation to its record's JSON line, for
// batch runs: the constant parts of an item's records (its code, each rule's
// reason with message and basis, the item version and the pack) are escaped
// once when the pack is compiled (engine/graph/record_parts.h), so a record
// is a few appends. The bytes are exactly those of ToJson(Record)
// (record_json.cc); a differential test holds the two to it. This file's
// external interface is WriteRecord.
#pragma once

#include <rapidjson/stringbuffer.h>

#include <string>
#include <vector>

#include "engine/graph/graph.h"
#include "engine/graph/record_parts.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/causes.h"
#include "engine/runtime/eval_state.h"

namespace miaopi::engine {

struct CompiledItem;
struct CompiledPack;

// Reusable buffers of WriteRecord, so that steady state does not allocate.
struct RecordScratch {
  FlatCauses causes;
  rapidjson::StringBuffer quoted;
};

// Appends the record of the evaluation in `state` (item `item`, evaluation
// date `date` as YYYY-MM-DD, `id_json` the application's id as JSON or
// empty) as one line without the newline; returns the decision.
Outcome WriteRecord(const CompiledItem& item, const CompiledPack& pack, const EvalState& state,
                    std::string_view id_json, std::string_view date, RecordScratch& scratch, std::string* out);

}  // namespace miaopi::engine
