// The two JSON trees the engine reads, behind one small interface: a
// RapidJSON value (the API's pre-parsed input, the general path) and a
// simdjson DOM element (the fast path for text). Both store an integer that
// fits 64 signed bits as int64, a larger one as uint64, anything else as a
// double, so whatever reads through a view sees the same types either way.
// Code written once against the view (ingest, the envelope, the duplicate
// member check) behaves alike on both paths by construction.
#pragma once

#include <rapidjson/document.h>
#include <simdjson.h>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace miaopi::engine {

// A RapidJSON value: the general path.
struct RapidJsonView {
  static constexpr bool kFast = false;
  const rapidjson::Value* v;
  bool IsNull() const { return v->IsNull(); }
  bool IsBool() const { return v->IsBool(); }
  bool GetBool() const { return v->GetBool(); }
  bool IsInt64() const { return v->IsInt64(); }
  int64_t GetInt64() const { return v->GetInt64(); }
  bool IsDouble() const { return v->IsDouble(); }
  bool IsNumber() const { return v->IsNumber(); }
  double GetDouble() const { return v->GetDouble(); }
  bool IsString() const { return v->IsString(); }
  std::string_view GetString() const { return {v->GetString(), v->GetStringLength()}; }
  bool IsArray() const { return v->IsArray(); }
  size_t Size() const { return v->Size(); }
  template <typename F>
  void ForEachElement(F&& f) const {
    for (const auto& e : v->GetArray()) f(RapidJsonView{&e});
  }
  bool IsObject() const { return v->IsObject(); }
  template <typename F>
  void ForEachMember(F&& f) const {
    for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m) {
      f(std::string_view(m->name.GetString(), m->name.GetStringLength()), RapidJsonView{&m->value});
    }
  }
};

// A simdjson DOM element: the fast path for text.
struct SimdjsonView {
  static constexpr bool kFast = true;
  simdjson::dom::element e;
  using Type = simdjson::dom::element_type;
  bool IsNull() const { return e.type() == Type::NULL_VALUE; }
  bool IsBool() const { return e.type() == Type::BOOL; }
  bool GetBool() const { return e.get_bool().value_unsafe(); }
  bool IsInt64() const { return e.type() == Type::INT64; }
  int64_t GetInt64() const { return e.get_int64().value_unsafe(); }
  bool IsDouble() const { return e.type() == Type::DOUBLE; }
  bool IsNumber() const { return e.type() == Type::INT64 || e.type() == Type::UINT64 || e.type() == Type::DOUBLE; }
  double GetDouble() const {
    switch (e.type()) {
      case Type::INT64: return static_cast<double>(e.get_int64().value_unsafe());
      case Type::UINT64: return static_cast<double>(e.get_uint64().value_unsafe());
      default: return e.get_double().value_unsafe();
    }
  }
  bool IsString() const { return e.type() == Type::STRING; }
  std::string_view GetString() const { return e.get_string().value_unsafe(); }
  bool IsArray() const { return e.type() == Type::ARRAY; }
  size_t Size() const { return e.get_array().value_unsafe().size(); }
  template <typename F>
  void ForEachElement(F&& f) const {
    simdjson::dom::array array = e.get_array().value_unsafe();  // a copy: the result holding it is a temporary
    for (simdjson::dom::element x : array) f(SimdjsonView{x});
  }
  bool IsObject() const { return e.type() == Type::OBJECT; }
  template <typename F>
  void ForEachMember(F&& f) const {
    simdjson::dom::object object = e.get_object().value_unsafe();  // a copy, as above
    for (simdjson::dom::key_value_pair kv : object) f(kv.key, SimdjsonView{kv.value});
  }
};

// What the engine asks of a JSON tree (RapidJsonView and SimdjsonView).
template <typename Json>
concept JsonView = requires(const Json& j, std::string_view name, Json* out) {
  { Json::kFast } -> std::convertible_to<bool>;
  { j.IsObject() } -> std::same_as<bool>;
  { j.IsString() } -> std::same_as<bool>;
  { j.GetString() } -> std::same_as<std::string_view>;
  { FindMember(j, name, out) } -> std::same_as<bool>;
};

// A member of an object by name (the first, when there are several; callers
// refuse documents with duplicate members first). False when there is none.
inline bool FindMember(const RapidJsonView& object, std::string_view name, RapidJsonView* out) {
  auto it = object.v->FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
  if (it == object.v->MemberEnd()) return false;
  out->v = &it->value;
  return true;
}
inline bool FindMember(const SimdjsonView& object, std::string_view name, SimdjsonView* out) {
  return !object.e[name].get(out->e);
}

// A decision's input as received: an application, or an envelope
// {"application": {…}, "context": …} whose context replaces the caller's.
template <typename Json>
struct Unwrapped {
  Json root{};  // the whole text
  Json app{};
  bool is_envelope = false;
  bool has_context = false;  // the envelope has a "context" member (an object or not)
  Json context{};
};

template <typename Json>
Unwrapped<Json> UnwrapEnvelope(const Json& root) {
  Unwrapped<Json> u;
  u.root = u.app = root;
  Json inner;
  if (root.IsObject() && FindMember(root, "application", &inner) && inner.IsObject()) {
    u.app = inner;
    u.is_envelope = true;
    u.has_context = FindMember(root, "context", &u.context);
  }
  return u;
}

// The path of the first member name that appears twice in one object, as
// the record's paths are written ("item", "business.scope", "staff[1].name");
// empty when there is none. Walks with an explicit stack (documents are
// depth-limited before this, but the walk does not rely on it).
std::string FindDuplicateMember(const RapidJsonView& root);
std::string FindDuplicateMember(const SimdjsonView& root);

// The same with scratch kept between calls, so that a decision allocates
// nothing (one per Decider).
class DuplicateMemberCheck {
 public:
  std::string Find(const RapidJsonView& root);
  std::string Find(const SimdjsonView& root);
  // A quick look first (the fast path): false when no object repeats a
  // member — certain; true when one does or when an object has more than 64
  // members (Find then says which).
  bool MayRepeat(const SimdjsonView& root);

 private:
  struct RapidOpen {
    const rapidjson::Value* v = nullptr;
    size_t next = 0;
    std::string_view name;
    size_t index = 0;
    bool in_array = false;
  };
  struct SimdOpen {
    simdjson::dom::object::iterator obj_at, obj_end;
    simdjson::dom::array::iterator arr_at, arr_end;
    bool object = false;
    std::string_view name;
    size_t index = 0, next = 0;
    bool in_array = false;
  };
  std::vector<RapidOpen> rapid_;
  std::vector<SimdOpen> simd_;
  std::vector<std::string_view> names_;
  std::vector<simdjson::dom::element> pending_;
};

}  // namespace miaopi::engine
