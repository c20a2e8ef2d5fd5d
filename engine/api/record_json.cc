// Records as one line of JSON each: the contract of LANGUAGE.md
// ("Decision records"). UTF-8 is written as is.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
void Key(Writer& w, std::string_view s) { w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void StrList(Writer& w, std::string_view key, const std::vector<std::string>& list) {
  if (list.empty()) return;
  Key(w, key);
  w.StartArray();
  for (const std::string& s : list) Str(w, s);
  w.EndArray();
}

void WriteDecision(Writer& w, const Decision& d) {
  w.StartObject();
  if (!d.id_json.empty()) {
    Key(w, "id");
    w.RawValue(d.id_json.data(), d.id_json.size(), rapidjson::kStringType);
  }
  Key(w, "item");
  Str(w, d.item);
  Key(w, "decision");
  Str(w, OutcomeName(d.decision));
  Key(w, "date");
  Str(w, d.date);
  Key(w, "reasons");
  w.StartArray();
  for (const Reason& r : d.reasons) {
    w.StartObject();
    Key(w, "rule");
    Str(w, r.rule);
    Key(w, "outcome");
    Str(w, OutcomeName(r.outcome));
    Key(w, "status");
    Str(w, RuleStatusName(r.status));
    Key(w, "message");
    Str(w, r.message);
    if (!r.basis.empty()) {
      Key(w, "basis");
      Str(w, r.basis);
    }
    StrList(w, "missing", r.missing);
    StrList(w, "notes", r.notes);
    w.EndObject();
  }
  w.EndArray();
  if (d.mode == "original_check" && d.decision == Outcome::kApprove) {
    Key(w, "obligation");
    w.StartObject();
    Key(w, "code");
    Str(w, "original_check");
    Key(w, "message");
    Str(w, "请携带申请材料原件到任一镇（街道）服务窗口核验");
    w.EndObject();
  }
  if (!d.outputs.empty()) {
    Key(w, "outputs");
    w.StartObject();
    for (const auto& [name, json] : d.outputs) {
      Key(w, name);
      w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    }
    w.EndObject();
  }
  Key(w, "item_version");
  w.StartObject();
  Key(w, "title");
  Str(w, d.item_title);
  Key(w, "effective");
  Str(w, d.item_effective);
  Key(w, "mode");
  Str(w, d.mode);
  w.EndObject();
  if (!d.trace.empty()) {
    Key(w, "trace");
    w.StartArray();
    for (const TraceRule& t : d.trace) {
      w.StartObject();
      Key(w, "rule");
      Str(w, t.rule);
      Key(w, "status");
      Str(w, RuleStatusName(t.status));
      Key(w, "outcome");
      Str(w, OutcomeName(t.outcome));
      Key(w, "facts");
      w.StartArray();
      for (const std::string& f : t.facts) Str(w, f);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
  Key(w, "pack");
  w.StartObject();
  Key(w, "name");
  Str(w, d.pack.name);
  Key(w, "version");
  Str(w, d.pack.version);
  Key(w, "hash");
  Str(w, d.pack.hash);
  w.EndObject();
  w.EndObject();
}

void WriteError(Writer& w, const ErrorRecord& e) {
  w.StartObject();
  if (!e.id_json.empty()) {
    Key(w, "id");
    w.RawValue(e.id_json.data(), e.id_json.size(), rapidjson::kStringType);
  }
  if (e.line > 0) {
    Key(w, "line");
    w.Uint64(e.line);
  }
  Key(w, "error");
  w.StartObject();
  Key(w, "code");
  Str(w, e.code);
  Key(w, "message");
  Str(w, e.message);
  w.EndObject();
  w.EndObject();
}

}  // namespace

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kApprove: return "approve";
    case Outcome::kReview: return "review";
    case Outcome::kReject: return "reject";
  }
  return "review";
}

const char* RuleStatusName(RuleStatus s) {
  switch (s) {
    case RuleStatus::kPass: return "pass";
    case RuleStatus::kFail: return "fail";
    case RuleStatus::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string ToJson(const Record& record) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  if (record.ok) {
    WriteDecision(w, record.decision);
  } else {
    WriteError(w, record.error);
  }
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace miaopi
