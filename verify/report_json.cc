#include "verify/report_json.h"

namespace miaopi::verify {

namespace {

void Str(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

// A JSON text written as the value it is.
void Raw(JsonWriter& w, const char* key, const std::string& json) {
  w.Key(key);
  w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
}

}  // namespace

void WriteWitness(JsonWriter& w, const Witness& x) {
  Raw(w, "application", x.application);
  Raw(w, "context", x.context);
  Str(w, "date", x.date);
  w.Key("licences");
  w.StartArray();
  for (const std::string& l : x.licences) w.RawValue(l.c_str(), l.size(), rapidjson::kObjectType);
  w.EndArray();
  if (!x.failing_lookups.empty()) {
    w.Key("library_fails_for");
    w.StartArray();
    for (const auto& [type, key] : x.failing_lookups) w.String((type + " " + key).c_str());
    w.EndArray();
  }
}

void WritePropertyResult(JsonWriter& w, const PropertyResult& r) {
  w.StartObject();
  Str(w, "item", r.item);
  Str(w, "version", r.version);
  Str(w, "property", r.code);
  Str(w, "description", r.description);
  Str(w, "result", VerdictName(r.verdict));
  if (!r.why.empty()) Str(w, "why", r.why);
  if (r.list_bound) {
    w.Key("list_bound");
    w.Uint(r.list_bound);
  }
  if (!r.approximations.empty()) {
    w.Key("approximated");
    w.StartArray();
    for (const std::string& a : r.approximations) w.String(a.c_str());
    w.EndArray();
  }
  if (r.counterexample) {
    w.Key("counterexample");
    w.StartObject();
    WriteWitness(w, r.counterexample->witness);
    if (!r.counterexample->record.empty()) Raw(w, "record", r.counterexample->record);
    Str(w, "property_value", r.counterexample->property_value);
    w.EndObject();
  }
  if (r.encoding_bug) {
    w.Key("encoding_bug");
    w.Bool(true);
  }
  w.Key("seconds");
  w.Double(r.seconds);
  w.EndObject();
}

}  // namespace miaopi::verify
