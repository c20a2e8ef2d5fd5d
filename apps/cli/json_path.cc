#include "apps/cli/json_path.h"

#include <algorithm>

#include "dsl/date.h"
#include "dsl/diagnostics.h"

namespace miaopi::cli {

bool ParsePath(std::string_view text, std::vector<PathStep>* steps) {
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '[') {
      size_t close = text.find(']', i);
      if (close == std::string_view::npos || close == i + 1 || steps->empty()) return false;
      PathStep step;
      for (size_t k = i + 1; k < close; ++k) {
        if (text[k] < '0' || text[k] > '9' || step.index > 100000000) return false;
        step.index = step.index * 10 + static_cast<rapidjson::SizeType>(text[k] - '0');
      }
      steps->push_back(step);
      i = close + 1;
      if (i < text.size() && text[i] == '.') ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != '.' && text[end] != '[') ++end;
    if (end == i) return false;
    steps->push_back({std::string(text.substr(i, end - i)), 0});
    i = end;
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (i == text.size()) return false;
    }
  }
  return !steps->empty();
}

const dsl::Type* TypeAtPath(const dsl::Type* type, const std::vector<PathStep>& steps, const std::string& root_name,
                            std::string* error) {
  std::string walked;
  for (const PathStep& step : steps) {
    if (step.name.empty()) {
      if (type->kind != dsl::TypeKind::kList) {
        *error = walked + " is not a list";
        return nullptr;
      }
      type = type->elem;
      walked += "[" + std::to_string(step.index) + "]";
      continue;
    }
    if (type->kind != dsl::TypeKind::kRecord) {
      *error = walked + " has no fields";
      return nullptr;
    }
    int field = type->FieldIndex(step.name);
    if (field < 0) {
      std::vector<std::string> names;
      for (const dsl::RecordField& f : type->fields) names.push_back(f.name);
      *error = (walked.empty() ? root_name : walked) + " has no field '" + step.name + "'" +
               dsl::DidYouMean(step.name, names);
      return nullptr;
    }
    walked += (walked.empty() ? "" : ".") + step.name;
    type = type->fields[field].type;
  }
  return type;
}

bool SetAtPath(rapidjson::Document& doc, const std::vector<PathStep>& steps, const rapidjson::Value& value,
               const rapidjson::Value** written, std::string* error) {
  rapidjson::Document before;
  before.CopyFrom(doc, before.GetAllocator());
  auto fail = [&](const std::string& message) {
    doc.Swap(before);
    *error = message;
    return false;
  };
  auto& alloc = doc.GetAllocator();
  rapidjson::Value* at = &doc;
  for (size_t i = 0; i < steps.size(); ++i) {
    const PathStep& step = steps[i];
    bool last = i + 1 == steps.size();
    bool next_is_index = !last && steps[i + 1].name.empty();
    rapidjson::Value fresh(next_is_index ? rapidjson::kArrayType : rapidjson::kObjectType);
    if (step.name.empty()) {
      if (!at->IsArray()) return fail("the application has no list there");
      if (step.index > at->Size()) {
        return fail("index " + std::to_string(step.index) + " is past the end (the list has " +
                    std::to_string(at->Size()) + " elements)");
      }
      if (step.index == at->Size()) at->PushBack(fresh, alloc);
      at = &(*at)[step.index];
      if (!last && !at->IsObject() && !at->IsArray()) {
        *at = rapidjson::Value(next_is_index ? rapidjson::kArrayType : rapidjson::kObjectType);
      }
    } else {
      if (!at->IsObject()) *at = rapidjson::Value(rapidjson::kObjectType);
      auto m = at->FindMember(step.name.c_str());
      if (m == at->MemberEnd()) {
        at->AddMember(rapidjson::Value(step.name.c_str(), alloc), fresh, alloc);
        m = at->FindMember(step.name.c_str());
      }
      at = &m->value;
    }
  }
  at->CopyFrom(value, alloc);
  *written = at;
  return true;
}

bool RemoveAtPath(rapidjson::Value& root, const std::vector<PathStep>& steps) {
  rapidjson::Value* at = &root;
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    const PathStep& step = steps[i];
    bool present = step.name.empty() ? at->IsArray() && step.index < at->Size()
                                     : at->IsObject() && at->HasMember(step.name.c_str());
    if (!present) return false;
    at = step.name.empty() ? &(*at)[step.index] : &(*at)[step.name.c_str()];
  }
  const PathStep& last = steps.back();
  if (last.name.empty()) {
    if (!at->IsArray() || last.index >= at->Size()) return false;
    at->Erase(at->Begin() + last.index);
    return true;
  }
  return at->IsObject() && at->RemoveMember(last.name.c_str());
}

size_t JsonDepth(const rapidjson::Value& root) {
  size_t deepest = 0;
  std::vector<std::pair<const rapidjson::Value*, size_t>> stack{{&root, 0}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (v->IsObject()) {
      deepest = std::max(deepest, depth + 1);
      for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m) stack.emplace_back(&m->value, depth + 1);
    } else if (v->IsArray()) {
      deepest = std::max(deepest, depth + 1);
      for (const auto& e : v->GetArray()) stack.emplace_back(&e, depth + 1);
    }
  }
  return deepest;
}

bool Fits(const rapidjson::Value& v, const dsl::Type* t) {
  if (v.IsNull()) return true;
  switch (t->kind) {
    case dsl::TypeKind::kBool: return v.IsBool();
    case dsl::TypeKind::kInt:
      return v.IsInt64() || (v.IsDouble() && v.GetDouble() == static_cast<double>(static_cast<int64_t>(v.GetDouble())));
    case dsl::TypeKind::kNumber: return v.IsNumber();
    case dsl::TypeKind::kString: return v.IsString();
    case dsl::TypeKind::kDate: return v.IsString() && dsl::ParseIsoDate({v.GetString(), v.GetStringLength()});
    case dsl::TypeKind::kDuration: return v.IsString() && dsl::ParseIsoDuration({v.GetString(), v.GetStringLength()});
    case dsl::TypeKind::kList:
      if (!v.IsArray()) return false;
      for (const auto& e : v.GetArray()) {
        if (!Fits(e, t->elem)) return false;
      }
      return true;
    case dsl::TypeKind::kRecord: return v.IsObject();
    default: return false;
  }
}

std::string JsonKind(const rapidjson::Value& v) {
  if (v.IsString()) return "a string";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsArray()) return "a list";
  if (v.IsObject()) return "an object";
  return "null";
}

void UnknownFields(const rapidjson::Value& v, const dsl::Type* t, const std::string& path,
                   std::vector<std::string>* out) {
  if (t->kind == dsl::TypeKind::kList && v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size() && i < 50; ++i) {
      UnknownFields(v[i], t->elem, path + "[" + std::to_string(i) + "]", out);
    }
    return;
  }
  if (t->kind != dsl::TypeKind::kRecord || !v.IsObject()) return;
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    std::string name(m->name.GetString(), m->name.GetStringLength());
    std::string at = path.empty() ? name : path + "." + name;
    int field = t->FieldIndex(name);
    if (field < 0) {
      if (!(path.empty() && (name == "id" || name == "item"))) out->push_back(at);
      continue;
    }
    UnknownFields(m->value, t->fields[field].type, at, out);
  }
}

}  // namespace miaopi::cli
