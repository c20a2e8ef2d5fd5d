#include "engine/runtime/record_format.h"

#include <rapidjson/writer.h>

#include "engine/graph/verdict.h"

namespace miaopi::engine::record {

void Quoted(std::string_view s, rapidjson::StringBuffer& scratch, std::string* out) {
  scratch.Clear();
  rapidjson::Writer<rapidjson::StringBuffer> writer(scratch);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  out->append(scratch.GetString(), scratch.GetSize());
}

std::string Quoted(std::string_view s) {
  rapidjson::StringBuffer scratch;
  std::string out;
  Quoted(s, scratch, &out);
  return out;
}

void Open(std::string_view id_json, std::string* out) {
  *out += '{';
  if (id_json.empty()) return;
  *out += "\"id\":";
  *out += id_json;
  *out += ',';
}

std::string ItemKey(std::string_view item) { return "\"item\":" + Quoted(item) + ",\"decision\":\""; }

void DecisionAndDate(std::string_view decision, std::string_view date, std::string* out) {
  *out += decision;
  *out += "\",\"date\":\"";
  *out += date;
  *out += "\",\"reasons\":[";
}

std::string ReasonOpen(std::string_view rule, Outcome outcome, RuleStatus status, std::string_view message,
                       std::string_view basis) {
  std::string s = "{\"rule\":" + Quoted(rule) + ",\"outcome\":\"" + OutcomeName(outcome) + "\",\"status\":\"" +
                  RuleStatusName(status) + "\",\"message\":" + Quoted(message);
  if (!basis.empty()) s += ",\"basis\":" + Quoted(basis);
  return s;
}

void List(std::string_view key, const std::vector<std::string>& items, size_t count, rapidjson::StringBuffer& scratch,
          std::string* out) {
  if (count == 0) return;
  *out += ",\"";
  *out += key;
  *out += "\":[";
  for (size_t i = 0; i < count; ++i) {
    if (i) *out += ',';
    Quoted(items[i], scratch, out);
  }
  *out += ']';
}

std::string Obligation() {
  return ",\"obligation\":{\"code\":" + Quoted(kOriginalCheckCode) + ",\"message\":" + Quoted(kOriginalCheckMessage) +
         "}";
}

std::string OutputKey(std::string_view name) { return Quoted(name) + ":"; }

std::string ItemVersion(std::string_view title, std::string_view effective, std::string_view mode) {
  return ",\"item_version\":{\"title\":" + Quoted(title) + ",\"effective\":" + Quoted(effective) +
         ",\"mode\":" + Quoted(mode) + "}";
}

void Trace(const std::vector<TraceRule>& trace, std::string* out) {
  if (trace.empty()) return;
  rapidjson::StringBuffer scratch;
  *out += ",\"trace\":[";
  for (size_t i = 0; i < trace.size(); ++i) {
    const TraceRule& t = trace[i];
    if (i) *out += ',';
    *out += "{\"rule\":";
    Quoted(t.rule, scratch, out);
    *out += ",\"status\":\"";
    *out += RuleStatusName(t.status);
    *out += "\",\"outcome\":\"";
    *out += OutcomeName(t.outcome);
    *out += "\",\"facts\":[";
    for (size_t f = 0; f < t.facts.size(); ++f) {
      if (f) *out += ',';
      Quoted(t.facts[f], scratch, out);
    }
    *out += "]}";
  }
  *out += ']';
}

std::string PackAndClose(const PackIdentity& pack) {
  return ",\"pack\":{\"name\":" + Quoted(pack.name) + ",\"version\":" + Quoted(pack.version) +
         ",\"hash\":" + Quoted(pack.hash) + "}}";
}

void Error(const ErrorRecord& e, std::string* out) {
  Open(e.id_json, out);
  if (e.line > 0) {
    *out += "\"line\":";
    *out += std::to_string(e.line);
    *out += ',';
  }
  *out += "\"error\":{\"code\":" + Quoted(e.code) + ",\"message\":" + Quoted(e.message) + "}}";
}

}  // namespace miaopi::engine::record

namespace miaopi {

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

}  // namespace miaopi
