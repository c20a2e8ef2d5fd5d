#include "engine/runtime/record_writer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "dsl/date.h"
#include "engine/runtime/decider.h"
#include "engine/compile/pack.h"
#include "engine/graph/value_format.h"

namespace miaopi::engine {

namespace {

// JSON-escaped exactly as record_json.cc's RapidJSON writer does it.
void Quote(std::string_view s, std::string* out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  out->append(buffer.GetString(), buffer.GetSize());
}

std::string Quoted(std::string_view s) {
  std::string out;
  Quote(s, &out);
  return out;
}

Outcome ToOutcome(dsl::Outcome o) {
  return o == dsl::Outcome::kReject ? Outcome::kReject : o == dsl::Outcome::kReview ? Outcome::kReview : Outcome::kApprove;
}

std::string Reason(const RuleInfo& rule, const std::string& basis, Outcome outcome, const char* status) {
  std::string s = "{\"rule\":" + Quoted(rule.code) + ",\"outcome\":\"" + OutcomeName(outcome) + "\",\"status\":\"" +
                  status + "\",\"message\":" + Quoted(rule.message);
  if (!basis.empty()) s += ",\"basis\":" + Quoted(basis);
  return s;
}

// A list of strings as "key":[…], escaped through a reused buffer.
void List(const char* key, const std::vector<std::string>& items, size_t count, rapidjson::StringBuffer& buffer,
          std::string* out) {
  *out += ",\"";
  *out += key;
  *out += "\":[";
  for (size_t i = 0; i < count; ++i) {
    if (i) *out += ',';
    buffer.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(items[i].data(), static_cast<rapidjson::SizeType>(items[i].size()));
    out->append(buffer.GetString(), buffer.GetSize());
  }
  *out += ']';
}

}  // namespace

RecordParts BuildRecordParts(const CompiledItem& item, const PackIdentity& pack) {
  RecordParts p;
  const dsl::ItemDecl& decl = *item.version->decl;
  const Graph& g = item.graph;
  p.item = "\"item\":" + Quoted(decl.code) + ",\"decision\":\"";
  std::string mode = dsl::ModeText(decl.mode);
  if (mode == "original_check") {
    p.obligation = ",\"obligation\":{\"code\":\"original_check\",\"message\":" +
                   Quoted("请携带申请材料原件到任一镇（街道）服务窗口核验") + "}";
  }
  p.tail = ",\"item_version\":{\"title\":" + Quoted(decl.title) + ",\"effective\":" +
           Quoted(dsl::FormatIsoDate(item.version->effective)) + ",\"mode\":" + Quoted(mode) + "},\"pack\":{\"name\":" +
           Quoted(pack.name) + ",\"version\":" + Quoted(pack.version) + ",\"hash\":" + Quoted(pack.hash) + "}}";
  for (const RuleInfo& rule : g.rules) {
    std::string basis;
    for (const std::string& b : rule.basis.empty() ? decl.basis : rule.basis) basis += (basis.empty() ? "" : "; ") + b;
    Outcome failed = ToOutcome(rule.outcome);
    Outcome unknown = ToOutcome(rule.on_missing.value_or(dsl::Outcome::kReview));
    p.failed.push_back(Reason(rule, basis, failed, "fail") + "}");
    p.unknown.push_back(Reason(rule, basis, unknown, "unknown"));
    p.failed_outcome.push_back(failed);
    p.unknown_outcome.push_back(unknown);
  }
  for (const OutputInfo& o : g.outputs) p.output_keys.push_back(Quoted(o.name) + ":");
  for (const LicenceUse& use : g.licences) p.licence_names.emplace_back(use.name, use.title);
  for (const RuleInfo& rule : g.rules) p.rule_conds.push_back(rule.cond);
  p.effective = dsl::FormatIsoDate(item.version->effective);
  p.mode = mode;
  return p;
}

Outcome WriteRecord(const CompiledItem& item, const CompiledPack& pack, const EvalState& state, std::string_view id_json,
                 std::string_view date, RecordScratch& scratch, std::string* out) {
  const RecordParts& p = item.record;
  const Graph& g = item.graph;
  *out += '{';
  if (!id_json.empty()) {
    *out += "\"id\":";
    *out += id_json;
    *out += ',';
  }
  *out += p.item;
  size_t decision_at = out->size();
  *out += "approve\",\"date\":\"";
  *out += date;
  *out += "\",\"reasons\":[";
  CauseNames names{&g.paths, &g.labels, &pack.table_names, &pack.table_columns, &p.licence_names};
  Outcome overall = Outcome::kApprove;
  bool first = true;
  for (size_t r = 0; r < g.rules.size(); ++r) {
    const Value& v = state.values[p.rule_conds[r]];
    if (v.known() && v.b) continue;
    if (!first) *out += ',';
    first = false;
    Outcome outcome;
    if (v.known()) {
      outcome = p.failed_outcome[r];
      *out += p.failed[r];
    } else {
      outcome = p.unknown_outcome[r];
      *out += p.unknown[r];
      FlatCauses& flat = scratch.causes;
      state.causes.FlattenInto(v.cause, names, &flat);
      if (flat.dropped > 0) {
        if (flat.notes_count == flat.notes.size()) flat.notes.emplace_back();
        flat.notes[flat.notes_count++] = "and " + std::to_string(flat.dropped) + " more missing paths";
      }
      if (flat.missing_count > 0) List("missing", flat.missing, flat.missing_count, scratch.quoted, out);
      if (flat.notes_count > 0) List("notes", flat.notes, flat.notes_count, scratch.quoted, out);
      *out += '}';
    }
    if (static_cast<int>(outcome) > static_cast<int>(overall)) overall = outcome;
  }
  *out += ']';
  if (overall == Outcome::kApprove) *out += p.obligation;
  if (!g.outputs.empty()) {
    *out += ",\"outputs\":{";
    for (size_t o = 0; o < g.outputs.size(); ++o) {
      if (o) *out += ',';
      *out += p.output_keys[o];
      AppendValueJson(state.values[g.outputs[o].node], out);
    }
    *out += '}';
  }
  *out += p.tail;
  if (overall != Outcome::kApprove) {
    const char* name = OutcomeName(overall);  // "review" and "reject" are as long as "approve" less one
    out->replace(decision_at, 7, name);
  }
  return overall;
}

}  // namespace miaopi::engine
