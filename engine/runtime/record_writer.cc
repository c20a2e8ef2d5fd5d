#include "engine/runtime/record_writer.h"

#include "engine/graph/compiled_pack.h"
#include "engine/graph/value_format.h"
#include "engine/graph/verdict.h"
#include "engine/runtime/record_format.h"

namespace miaopi::engine {

Outcome WriteRecord(const CompiledItem& item, const CompiledPack& pack, const EvalState& state,
                    std::string_view id_json, std::string_view date, RecordScratch& scratch, std::string* out) {
  const RecordParts& p = item.record;
  const Graph& g = item.graph;
  record::Open(id_json, out);
  *out += p.item();
  size_t decision_at = out->size();
  record::DecisionAndDate("approve", date, out);
  CauseNames names{&g.paths, &g.labels, &pack.table_names, &pack.table_columns, &p.licence_names};
  Outcome overall = Outcome::kApprove;
  bool first = true;
  for (size_t r = 0; r < p.rules.size(); ++r) {
    const Value& v = state.values[p.rules[r].cond];
    if (v.known() && v.b) continue;
    if (!first) *out += ',';
    first = false;
    Outcome outcome;
    if (v.known()) {
      outcome = p.rules[r].failed;
      *out += p.failed[r];
    } else {
      outcome = p.rules[r].unknown;
      *out += p.unknown[r];
      FlatCauses& flat = scratch.causes;
      state.causes.FlattenInto(v.cause, names, &flat);
      if (flat.dropped > 0) {
        if (flat.notes_count == flat.notes.size()) flat.notes.emplace_back();
        flat.notes[flat.notes_count++] = "and " + std::to_string(flat.dropped) + " more missing paths";
      }
      record::List("missing", flat.missing, flat.missing_count, scratch.quoted, out);
      record::List("notes", flat.notes, flat.notes_count, scratch.quoted, out);
      *out += '}';
    }
    overall = Worse(overall, outcome);
  }
  *out += ']';
  if (overall == Outcome::kApprove) *out += p.obligation();
  if (!g.outputs.empty()) {
    *out += record::kOutputsOpen;
    for (size_t o = 0; o < g.outputs.size(); ++o) {
      if (o) *out += ',';
      *out += p.output_keys[o];
      AppendValueJson(state.values[g.outputs[o].node], out);
    }
    *out += '}';
  }
  *out += p.tail();
  *out += pack.record_end;
  if (overall != Outcome::kApprove) {
    const char* name = OutcomeName(overall);  // "review" and "reject" are as long as "approve" less one
    out->replace(decision_at, 7, name);
  }
  return overall;
}

}  // namespace miaopi::engine
