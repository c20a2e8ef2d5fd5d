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
#include <bit>
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

// A member name's print: its length and first and last eight bytes. Equal
// names have equal prints, and names of up to 16 bytes are equal when their
// prints are. No default member initializers: arrays of them are kept on
// the stack uninitialized, and PrintOf sets every field.
struct NamePrint {
  uint64_t head, tail;
  size_t size;
};

inline NamePrint PrintOf(std::string_view name) {
  NamePrint p{0, 0, name.size()};
  if (name.size() >= 8) {  // two fixed loads, inside the name
    std::memcpy(&p.head, name.data(), 8);
    std::memcpy(&p.tail, name.data() + name.size() - 8, 8);
  } else {
    for (size_t i = 0; i < name.size(); ++i) p.head |= static_cast<uint64_t>(static_cast<uint8_t>(name[i])) << (8 * i);
  }
  return p;
}

// The same for a name in simdjson's string buffer, which is padded past
// its last string (SIMDJSON_PADDING): a short name is one load, masked,
// where PrintOf takes a byte at a time — most member names are short.
inline NamePrint PaddedPrintOf(std::string_view name) {
  static_assert(simdjson::SIMDJSON_PADDING >= 8);
  static_assert(std::endian::native == std::endian::little,
                "the mask keeps the low bytes: the name's on little-endian");
  if (name.size() >= 8) return PrintOf(name);
  NamePrint p{0, 0, name.size()};
  std::memcpy(&p.head, name.data(), 8);
  p.head &= (uint64_t{1} << (8 * name.size())) - 1;  // little-endian: the name's bytes are the low ones
  return p;
}

// Equal prints: the names are equal (up to 16 bytes) or may be.
inline bool SamePrint(const NamePrint& a, const NamePrint& b) {
  return a.head == b.head && a.tail == b.tail && a.size == b.size;
}

// The names of one object, given one at a time, each asked whether it came
// before: the quick duplicate check (names in simdjson's padded string
// buffer). A 64-bit mask of the prints' hashes means most names compare with
// none before them. "Yes" is certain except past 64 names, where it means
// "cannot tell" (DuplicateMemberCheck::Find then says).
class NameRepeats {
 public:
  bool Add(std::string_view name) {
    if (n_ == kMax) return true;
    const NamePrint p = PaddedPrintOf(name);
    const uint64_t bit =
        uint64_t{1} << ((p.head * 0x9E3779B97F4A7C15ull ^ p.tail * 0xC2B2AE3D27D4EB4Full ^ p.size) >> 58);
    for (size_t j = 0; (seen_ & bit) != 0 && j < n_; ++j) {
      if (SamePrint(p, prints_[j]) && (name.size() <= 16 || std::memcmp(name.data(), names_[j], name.size()) == 0)) {
        return true;
      }
    }
    seen_ |= bit;
    prints_[n_] = p;
    names_[n_++] = name.data();
    return false;
  }

 private:
  static constexpr size_t kMax = 64;
  uint64_t seen_ = 0;
  size_t n_ = 0;
  NamePrint prints_[kMax];  // left uninitialized: the first n_ are set before they are read
  const char* names_[kMax];
};

// The fast path's duplicate check folded into reading the slots: the reader
// checks each object it reads as it reads it (a name the plan knows repeats
// when its slot is already filled; the others go through NameRepeats) and
// keeps every container it does not look into — a member no rule reads, a
// value of the wrong type, a record no rule reads inside — for
// DuplicateMemberCheck::MayRepeat to walk afterwards. Between them every
// object of the text is checked once, where a walk before reading would
// see the read ones twice.
template <typename Json>
struct MemberScan {
  bool repeated = false;  // a member repeats (or an object is too large to tell)
  std::vector<Json> unread;
  void Clear() {
    repeated = false;
    unread.clear();
  }
};

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
  // The same over several containers (what MemberScan left unread).
  bool MayRepeat(const std::vector<SimdjsonView>& containers);

 private:
  bool MayRepeatPending();
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
