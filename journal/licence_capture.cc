#include "journal/licence_capture.h"

#include "journal/json_text.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace miaopi::journal {

namespace {

struct Capture {
  bool on = false;
  std::vector<std::string> answers;  // one JSON object each
};

thread_local Capture capture;

struct Answer {
  std::string type, key;
  bool answered = false;
  std::vector<LicenceRecord> found;
};

thread_local std::vector<Answer> replay_answers;

}  // namespace

bool RecordingLicences::Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) {
  size_t before = out->size();
  bool answered = inner_->Find(type, key, out);
  if (!capture.on) return answered;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("type");
  WriteString(w, type);
  w.Key("key");
  WriteString(w, key);
  w.Key("answered");
  w.Bool(answered);
  w.Key("found");
  w.StartArray();
  if (answered) {
    for (size_t i = before; i < out->size(); ++i) {
      w.StartObject();
      w.Key("licence");
      WriteString(w, (*out)[i].json);
      w.Key("row");
      WriteString(w, (*out)[i].row);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  capture.answers.emplace_back(buffer.GetString(), buffer.GetSize());
  return answered;
}

void BeginCapture() {
  capture.on = true;
  capture.answers.clear();
}

std::string EndCapture() {
  capture.on = false;
  if (capture.answers.empty()) return {};
  std::string json = "[";
  for (size_t i = 0; i < capture.answers.size(); ++i) {
    if (i > 0) json += ',';
    json += capture.answers[i];
  }
  json += ']';
  capture.answers.clear();
  return json;
}

bool ReplayLicences::Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) {
  for (const Answer& a : replay_answers) {
    if (a.type == type && a.key == key) {
      if (!a.answered) return false;
      out->insert(out->end(), a.found.begin(), a.found.end());
      return true;
    }
  }
  return false;
}

bool SetReplayAnswers(std::string_view licences_json, std::string* error) {
  replay_answers.clear();
  if (licences_json.empty()) return true;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(licences_json.data(), licences_json.size());
  if (doc.HasParseError() || !doc.IsArray()) {
    *error = "the entry's licences are not a JSON array";
    return false;
  }
  for (const rapidjson::Value& v : doc.GetArray()) {
    if (!v.IsObject() || !v.HasMember("type") || !v["type"].IsString() || !v.HasMember("key") || !v["key"].IsString() ||
        !v.HasMember("answered") || !v["answered"].IsBool() || !v.HasMember("found") || !v["found"].IsArray()) {
      *error = "an answer in the entry's licences is malformed";
      return false;
    }
    Answer a;
    a.type.assign(v["type"].GetString(), v["type"].GetStringLength());
    a.key.assign(v["key"].GetString(), v["key"].GetStringLength());
    a.answered = v["answered"].GetBool();
    for (const rapidjson::Value& f : v["found"].GetArray()) {
      if (!f.IsObject() || !f.HasMember("licence") || !f["licence"].IsString() || !f.HasMember("row") ||
          !f["row"].IsString()) {
        *error = "a licence in the entry's licences is malformed";
        return false;
      }
      a.found.push_back({std::string(f["licence"].GetString(), f["licence"].GetStringLength()),
                         std::string(f["row"].GetString(), f["row"].GetStringLength())});
    }
    replay_answers.push_back(std::move(a));
  }
  return true;
}

}  // namespace miaopi::journal
