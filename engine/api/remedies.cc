// ApplyRemedyExamples: an application with the examples of its remedies
// written in — what an applicant who followed the notice would submit. The
// remedies property test decides the result again; the REPL's :fix and the
// studio show it.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/json_parse.h"

namespace miaopi {

namespace {

struct Segment {
  bool index = false;
  std::string name;
  size_t n = 0;
};

// "staff[1].health_cert_expires" → staff, [1], health_cert_expires.
bool SplitPath(std::string_view path, std::vector<Segment>* out) {
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos) return false;
      Segment s;
      s.index = true;
      auto r = std::from_chars(path.data() + i + 1, path.data() + close, s.n);
      if (r.ec != std::errc() || r.ptr != path.data() + close) return false;
      out->push_back(s);
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    if (end == i) return false;
    out->push_back({false, std::string(path.substr(i, end - i)), 0});
    i = end;
    if (i < path.size() && path[i] == '.') ++i;
  }
  return !out->empty();
}

// Sets `path` in `root` to `value`, making the objects and arrays on the way
// (one that is there with another type is replaced, as the engine reads a
// value of the wrong type as missing); an index at an array's end appends.
bool SetPath(rapidjson::Value& root, const std::vector<Segment>& path, rapidjson::Value& value,
             rapidjson::Document::AllocatorType& alloc) {
  rapidjson::Value* at = &root;
  for (size_t i = 0; i < path.size(); ++i) {
    const Segment& s = path[i];
    bool last = i + 1 == path.size();
    rapidjson::Value* next = nullptr;
    if (!s.index) {
      if (!at->IsObject()) at->SetObject();
      auto it = at->FindMember(rapidjson::StringRef(s.name.data(), s.name.size()));
      if (it == at->MemberEnd()) {
        at->AddMember(rapidjson::Value(s.name.c_str(), alloc), rapidjson::Value(), alloc);
        next = &(at->MemberEnd() - 1)->value;
      } else {
        next = &it->value;
      }
    } else {
      if (!at->IsArray()) at->SetArray();
      if (s.n > at->Size()) return false;
      if (s.n == at->Size()) at->PushBack(rapidjson::Value(), alloc);
      next = &(*at)[static_cast<rapidjson::SizeType>(s.n)];
    }
    if (last) {
      *next = value;  // moves
      return true;
    }
    at = next;
  }
  return false;
}

}  // namespace

std::optional<std::string> ApplyRemedyExamples(std::string_view application_json, const std::vector<Remedy>& remedies,
                                               std::string* error) {
  // The engine's own reader: numbers exactly as the engine reads them, and
  // the limits of an application.
  const Limits limits;
  rapidjson::Document doc;
  ErrorRecord parse_error;
  if (!engine::ParseJson(application_json, limits, &doc, &parse_error) || !doc.IsObject()) {
    *error = "the application is not a JSON object";
    return std::nullopt;
  }
  rapidjson::Value* app = &doc;
  auto envelope = doc.FindMember("application");
  if (envelope != doc.MemberEnd() && envelope->value.IsObject()) app = &envelope->value;
  for (const Remedy& r : remedies) {
    if (!r.fixable) continue;
    for (const RemedyChange& c : r.changes) {
      if (c.path.empty() || c.example.empty()) continue;
      std::vector<Segment> path;
      if (!SplitPath(c.path, &path)) {
        *error = "remedy path '" + c.path + "' cannot be followed";
        return std::nullopt;
      }
      rapidjson::Document example;
      if (!engine::ParseJson(c.example, limits, &example, &parse_error)) {
        *error = "the example of " + c.path + " is not JSON";
        return std::nullopt;
      }
      rapidjson::Value value(example, doc.GetAllocator());
      if (!SetPath(*app, path, value, doc.GetAllocator())) {
        *error = "remedy path '" + c.path + "' points past the end of a list";
        return std::nullopt;
      }
    }
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace miaopi
