#include "engine/runtime/decider.h"

#include "engine/graph/verdict.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "engine/graph/value_format.h"
#include "engine/runtime/explain.h"
#include "engine/runtime/ingest.h"
#include "engine/runtime/record_format.h"
#include "engine/runtime/record_writer.h"
#include "engine/runtime/remedy.h"
#include "engine/runtime/sweep.h"

namespace miaopi::engine {

Decider::Decider(const CompiledPack& pack, LicenceStore* licences) : pack_(pack), licences_(licences) {
  // simdjson's depth limit counts like ours plus one: documents as deep as
  // the limit parse, deeper ones go to the general path's error.
  // On failure (no memory) every text takes the general path.
  fast_text_ = json_parser_.allocate(64 * 1024, pack.limits.max_json_depth + 1) == simdjson::SUCCESS;
}

int Decider::DecideFast(std::string_view json, size_t capacity, const Request& request) {
  if (!fast_text_ || json.size() > pack_.limits.max_application_bytes) return -1;
  // (A NUL byte anywhere fails both parses: stage 1 refuses it inside a
  // string, and it is no JSON token outside one.)
  const char* text = json.data();
  if (capacity < json.size() + kTextPadding) {
    padded_.assign(json.data(), json.size());
    padded_.append(kTextPadding, '\0');
    text = padded_.data();
    capacity = padded_.size();
  }
  // simdjson parses (and fully validates) the text; the decision flow is the
  // general path's (EvaluateAs), and anything unusual — invalid JSON, too
  // deep, a number past 64 bits, an error record of any kind, an id that is
  // not an exact integer — goes to the general path, which words it exactly.
  simdjson::dom::element root;
  if (json_parser_.parse(text, json.size(), false).get(root)) return -1;
  ErrorRecord ignored;
  Unwrapped<SimdjsonView> in = UnwrapEnvelope(SimdjsonView{root});
  int index = EvaluateAs(in, request, &ignored);
  if (index < 0) return -1;
  id_json_.clear();
  if (!AppendIdJson(in, &id_json_)) return -1;
  ++fast_decisions_;
  return index;
}

bool Decider::ParseGeneral(std::string_view json, rapidjson::Document* doc, ErrorRecord* error) {
  raw_ids_.root.clear();
  raw_ids_.envelope.clear();
  return ParseJson(json, pack_.limits, doc, error, &raw_ids_);
}

void Decider::Decide(std::string_view json, const Request& request, Record* out) {
  int index = DecideFast(json, 0, request);
  if (index >= 0) {
    Clear(out);
    out->ok = true;
    out->decision.id_json = id_json_;
    Assemble(pack_.items[index], request, &out->decision);
    return;
  }
  rapidjson::Document doc;
  *out = Record{};
  if (!ParseGeneral(json, &doc, &out->error)) return;
  DecideUnwrapped(UnwrapEnvelope(RapidJsonView{&doc}), request, out);
}

// Cleared in place: a caller that reuses its Record reuses its strings' memory.
void Decider::Clear(Record* out) {
  out->ok = false;
  out->error.id_json.clear();
  out->error.code.clear();
  out->error.message.clear();  // (the line, set by the caller, stays)
  Decision& d = out->decision;
  d.id_json.clear();
  d.reasons.clear();
  d.trace.clear();
  d.outputs.clear();
  d.remedies.clear();
  d.notice.clear();
  d.decision = Outcome::kReview;
}

void Decider::Decide(const rapidjson::Value& app, const Request& request, Record* out) {
  Clear(out);
  // A document built by the caller has no text: ids are written from values.
  raw_ids_.root.clear();
  raw_ids_.envelope.clear();
  Unwrapped<RapidJsonView> in;
  in.root = in.app = RapidJsonView{&app};
  DecideUnwrapped(in, request, out);
}

void Decider::DecideUnwrapped(const Unwrapped<RapidJsonView>& in, const Request& request, Record* out) {
  int index = EvaluateAs(in, request, &out->error);
  if (index < 0) return;
  out->ok = true;
  AppendIdJson(in, &out->decision.id_json);
  Assemble(pack_.items[index], request, &out->decision);
}

DecideSummary Decider::DecideToJson(std::string_view json, const Request& request, uint64_t line, std::string* out,
                                    size_t capacity) {
  if (request.explain || request.notice) {
    // Traces and notices are rare: through a Record (which still reads text with simdjson)
    Record r;
    Decide(json, request, &r);
    if (!r.ok) r.error.line = line;
    out->append(ToJson(r));
    return {r.ok, r.ok ? r.decision.decision : Outcome::kReview};
  }
  {
    int index = DecideFast(json, capacity, request);
    if (index >= 0) {  // id_json_ holds the id
      Outcome o = WriteRecord(pack_.items[index], pack_, state_, id_json_, DateText(request.date), scratch_, out);
      if (request.remedies && o != Outcome::kApprove) AppendRemedies(pack_.items[index], out);
      return {true, o};
    }
  }
  auto error_record = [&](Record& r) {
    r.error.line = line;
    out->append(ToJson(r));
    return DecideSummary{false, Outcome::kReview};
  };
  rapidjson::Document doc;
  Record failed;
  if (!ParseGeneral(json, &doc, &failed.error)) return error_record(failed);
  Unwrapped<RapidJsonView> in = UnwrapEnvelope(RapidJsonView{&doc});
  int index = EvaluateAs(in, request, &failed.error);
  if (index < 0) return error_record(failed);
  id_json_.clear();
  AppendIdJson(in, &id_json_);
  Outcome o = WriteRecord(pack_.items[index], pack_, state_, id_json_, DateText(request.date), scratch_, out);
  if (request.remedies && o != Outcome::kApprove) AppendRemedies(pack_.items[index], out);
  return {true, o};
}

// Remedies on the fast path: the record is written; its remedies go just
// before its closing "pack" member, where ToJson(Record) puts them.
void Decider::AppendRemedies(const CompiledItem& item, std::string* out) {
  remedies_.clear();
  ComputeRemedies(item, pack_, last_run_, state_, &remedies_);
  const std::string& end = pack_.record_end;
  if (out->size() < end.size() || out->compare(out->size() - end.size(), end.size(), end) != 0) {
    return;  // not a record this writer wrote (cannot happen)
  }
  remedies_json_.clear();
  record::Remedies(remedies_, &remedies_json_);
  out->insert(out->size() - end.size(), remedies_json_);
}

std::string_view Decider::DateText(int32_t date) {
  if (date != date_ || date_text_.empty()) {
    date_ = date;
    date_text_ = dsl::FormatIsoDate(date);
  }
  return date_text_;
}

// The fast path writes only ids it can write exactly: strings and integers.
bool Decider::AppendIdJson(const SimdjsonView& app, std::string* out) {
  simdjson::dom::element id;
  if (app.e["id"].get(id)) return true;
  if (id.type() == simdjson::dom::element_type::STRING) {  // the commonest: copied as it is unless it needs escaping
    record::Quoted(id.get_string().value_unsafe(), id_buffer_, out);
    return true;
  }
  id_buffer_.Clear();
  rapidjson::Writer<rapidjson::StringBuffer> w(id_buffer_);
  switch (id.type()) {
    case simdjson::dom::element_type::INT64:
      // Written as read, except -0, which reads as 0: the general path keeps the text.
      if (id.get_int64().value_unsafe() == 0) return false;
      w.Int64(id.get_int64().value_unsafe());
      break;
    case simdjson::dom::element_type::UINT64: w.Uint64(id.get_uint64().value_unsafe()); break;
    case simdjson::dom::element_type::DOUBLE: return false;  // 1.50, 1e3: the general path keeps the text
    default: return true;
  }
  out->append(id_buffer_.GetString(), id_buffer_.GetSize());
  return true;
}

bool Decider::AppendIdJson(const Unwrapped<RapidJsonView>& in, std::string* out) {
  const rapidjson::Value& app = *in.app.v;
  auto it = app.FindMember("id");
  if (it == app.MemberEnd() || !(it->value.IsString() || it->value.IsNumber())) return true;
  const std::string& raw = in.is_envelope ? raw_ids_.envelope : raw_ids_.root;
  if (it->value.IsNumber() && !raw.empty()) {
    out->append(raw);
    return true;
  }
  id_buffer_.Clear();
  rapidjson::Writer<rapidjson::StringBuffer> w(id_buffer_);
  it->value.Accept(w);
  out->append(id_buffer_.GetString(), id_buffer_.GetSize());
  return true;
}

template <typename Json>
int Decider::EvaluateAs(const Unwrapped<Json>& in, const Request& request, ErrorRecord* error) {
  last_item_ = -1;
  const Json& app = in.app;
  auto fail = [&](const char* code, std::string message) {
    if (app.IsObject() && !AppendIdJson(in, &error->id_json)) error->id_json.clear();
    error->code = code;
    error->message = std::move(message);
    return -1;
  };
  // A repeated member anywhere (the envelope included) is refused before
  // anything is read: a backend that reads the last one would check one
  // application and have us decide another. The id is echoed unless it is
  // the repeated member.
  // On the fast path the check is folded into reading (below); anything it
  // finds sends the text to the general path, which names the member here.
  std::string repeated;
  if constexpr (!Json::kFast) repeated = duplicates_.Find(in.root);
  if (!repeated.empty()) {
    if (repeated == "id" || repeated == "application.id") {
      error->code = "duplicate_key";
      error->message =
          "the member " + repeated + " appears twice; which one counts is ambiguous, so the text is refused";
      return -1;
    }
    return fail("duplicate_key",
                "the member " + repeated + " appears twice; which one counts is ambiguous, so the text is refused");
  }
  if (!app.IsObject()) return fail("not_an_object", "an application is a JSON object");
  if (in.has_context && !in.context.IsObject()) {
    return fail("bad_context", "the envelope's \"context\" is not a JSON object");
  }
  std::string_view code = request.item;
  if (code.empty()) {
    Json item;
    if (!FindMember(app, "item", &item) || !item.IsString()) {
      return fail("no_item", "the application names no item (\"item\": \"CODE\") and none was given");
    }
    code = item.GetString();
  }
  ItemLookup found = pack_.Find(code, request.date);
  switch (found.result) {
    case ItemLookup::Result::kFound: break;
    case ItemLookup::Result::kUnknownItem:
      return fail("unknown_item", "pack " + pack_.identity.name + " has no item '" + std::string(code) + "'");
    case ItemLookup::Result::kNoVersionInForce:
      return fail("no_version_in_force",
                  "no version of item '" + std::string(code) + "' is in force on " + dsl::FormatIsoDate(request.date));
  }
  const int index = static_cast<int>(found.index);
  const CompiledItem& item = pack_.items[index];
  state_.Reset();
  MemberScan<Json>* scan = nullptr;
  if constexpr (Json::kFast) {
    scan = &scan_;
    scan->Clear();
    if (in.is_envelope) {  // the envelope's own members; the application and a context read below
      NameRepeats names;
      in.root.ForEachMember([&](std::string_view name, const Json& value) {
        if (names.Add(name)) scan->repeated = true;
        if (name == "application" || (name == "context" && item.graph.context_plan >= 0)) return;
        if (value.IsObject() || value.IsArray()) scan->unread.push_back(value);
      });
    }
  }
  IngestError ingest_error;
  const Value* input = Ingest(item.graph, app, pack_.limits.max_list_length, state_, &ingest_error, scan);
  if (input == nullptr) return fail(ingest_error.code.c_str(), ingest_error.message);
  const Value* context_slots = nullptr;
  if (item.graph.context_plan >= 0) {
    static const rapidjson::Value kNoContext(rapidjson::kObjectType);
    if (in.has_context) {  // the envelope's own
      context_slots = IngestRecord(item.graph, in.context, item.graph.context_plan, pack_.limits.max_list_length,
                                   state_, &ingest_error, scan);
    } else {
      const rapidjson::Value& given =
          request.context != nullptr && request.context->IsObject() ? *request.context : kNoContext;
      context_slots = IngestRecord(item.graph, RapidJsonView{&given}, item.graph.context_plan,
                                   pack_.limits.max_list_length, state_, &ingest_error);
    }
    if (context_slots == nullptr) return fail(ingest_error.code.c_str(), "request context: " + ingest_error.message);
  }
  if constexpr (Json::kFast) {
    if (scan->repeated || duplicates_.MayRepeat(scan->unread)) return -1;
  }
  return Run(index, input, context_slots, request);
}

int Decider::Run(int index, const Value* input, const Value* context_slots, const Request& request) {
  RunInputs& in = last_run_;
  in = RunInputs{};
  in.tables = &pack_.tables;
  in.decisions = &pack_.decisions;
  in.input = input;
  in.context = context_slots;
  in.today = request.date;
  in.licences = licences_;
  in.max_list_length = pack_.limits.max_list_length;
  RunGraph(pack_.items[index].graph, in, state_);
  last_item_ = index;
  return index;
}

void Decider::Assemble(const CompiledItem& item, const Request& request, Decision* d) {
  const Graph& g = item.graph;
  const dsl::ItemDecl& decl = *item.version->decl;
  d->item = decl.code;
  d->item_title = decl.title;
  d->item_effective = item.record.effective;
  d->mode = item.record.mode;
  d->date = DateText(request.date);
  d->pack = pack_.identity;
  CauseNames names{&g.paths, &g.labels, &pack_.table_names, &pack_.table_columns, &item.record.licence_names};
  Outcome overall = Outcome::kApprove;
  for (const RuleInfo& rule : g.rules) {
    const Value& v = state_.values[rule.cond];
    RuleStatus status = StatusOf(v);
    Outcome outcome = OutcomeOf(status, rule.outcome, rule.on_missing);
    overall = Worse(overall, outcome);
    if (request.explain) {
      TraceRule t;
      t.rule = rule.code;
      t.status = status;
      t.outcome = outcome;
      t.facts = ExplainRule(g, pack_.tables, state_, rule.cond);
      d->trace.push_back(std::move(t));
    }
    if (status == RuleStatus::kPass) continue;
    Reason r;
    r.rule = rule.code;
    r.outcome = outcome;
    r.status = status;
    r.message = rule.message;
    r.basis = JoinBasis(rule.basis, decl.basis);
    if (status == RuleStatus::kUnknown) state_.causes.Flatten(v.cause, names, &r.missing, &r.notes);
    d->reasons.push_back(std::move(r));
  }
  d->decision = overall;
  for (const OutputInfo& o : g.outputs) d->outputs.emplace_back(o.name, ValueJson(state_.values[o.node]));
  if ((request.remedies || request.notice) && overall != Outcome::kApprove) {
    ComputeRemedies(item, pack_, last_run_, state_, &d->remedies);
  }
  if (request.notice) d->notice = Notice(*d);
}

}  // namespace miaopi::engine
