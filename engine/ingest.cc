#include "engine/ingest.h"

#include <cmath>
#include <cstring>

#include "dsl/date.h"

namespace miaopi::engine {

namespace {

// The two JSON trees the reader walks, behind one small interface: a
// RapidJSON value (the API's pre-parsed input, the general path) and a
// simdjson DOM element (the fast path for text). Both store an integer that
// fits 64 signed bits as int64, a larger one as uint64, anything else as a
// double, so the reader sees the same types either way.
struct RapidJsonView {
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

struct SimdjsonView {
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

struct ListTooLong {
  std::string path;
  size_t length;
};

template <typename Json>
class Reader {
 public:
  Reader(const Graph& g, size_t max_list, EvalState& st) : g_(g), max_list_(max_list), st_(st) {}

  const Value* Record(const Json& object, int32_t plan) {
    const PlanRecord& pr = g_.plan[plan];
    Value* slots = st_.slots.Allocate(std::max<uint32_t>(pr.size, 1));
    // Absent until a member fills it; a second member of the same name makes
    // the field ambiguous, which is broken data like a wrong type.
    for (const PlanKey& k : pr.keys) slots[k.slot] = Value::Unknown(kUnseen);
    const char* names = pr.names.data();
    object.ForEachMember([&](std::string_view name, const Json& value) {
      for (size_t i = 0; i < pr.keys.size(); ++i) {
        const PlanKey& k = pr.keys[i];
        if (k.name_len != name.size() || std::memcmp(names + k.name_at, name.data(), name.size()) != 0) continue;
        Value& slot = slots[k.slot];
        if (!slot.known() && slot.cause == kUnseen) {
          slot = Read(value, k.type, k.child, pr.fields[i], 0);
        } else {
          slot = Value::Unknown(PathCause(true, pr.fields[i], 0));
        }
        break;
      }
    });
    for (size_t i = 0; i < pr.keys.size(); ++i) {
      Value& slot = slots[pr.keys[i].slot];
      if (!slot.known() && slot.cause == kUnseen) slot = Value::Unknown(PathCause(false, pr.fields[i], 0));
    }
    return slots;
  }

 private:
  // A cause id no real cause has while a record is being read.
  static constexpr uint32_t kUnseen = UINT32_MAX;

  // `child` is the field's plan record (records); `f` is read only for the
  // path of an unknown.
  Value Read(const Json& j, const dsl::Type* t, int32_t child, const PlanField& f, size_t depth) {
    if (j.IsNull()) return Value::Unknown(PathCause(false, f, depth));
    switch (t->kind) {
      case dsl::TypeKind::kBool:
        if (j.IsBool()) return Value::Bool(j.GetBool());
        break;
      case dsl::TypeKind::kInt:
        if (j.IsInt64()) return Value::Int(j.GetInt64());
        if (j.IsDouble()) {
          double d = j.GetDouble();
          if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) return Value::Int(static_cast<int64_t>(d));
        }
        break;
      case dsl::TypeKind::kNumber:
        if (j.IsNumber()) return Value::Number(j.GetDouble());
        break;
      case dsl::TypeKind::kString:
        if (j.IsString()) return Value::String(j.GetString());
        break;
      case dsl::TypeKind::kDate:
        if (j.IsString()) {
          if (std::optional<int32_t> d = dsl::ParseIsoDate(j.GetString())) return Value::Date(*d);
        }
        break;
      case dsl::TypeKind::kDuration:
        if (j.IsString()) {
          if (auto d = dsl::ParseIsoDuration(j.GetString())) return Value::Duration(*d);
        }
        break;
      case dsl::TypeKind::kList: {
        if (!j.IsArray()) break;
        size_t n = j.Size();
        if (n > max_list_) throw ListTooLong{Path(f, depth), n};
        Value* elems = st_.slots.Allocate(n);
        uint32_t k = 0;
        j.ForEachElement([&](const Json& e) {
          st_.indices.push_back(k);
          elems[k] = Read(e, t->elem, child, f, depth + 1);
          st_.indices.pop_back();
          ++k;
        });
        return Value::List(elems, static_cast<uint32_t>(n));
      }
      case dsl::TypeKind::kRecord:
        if (!j.IsObject()) break;
        if (child < 0) return Value::Record(nullptr);
        return Value::Record(Record(j, child));
      default: break;
    }
    return Value::Unknown(PathCause(true, f, depth));
  }

  // The cause for field `f` at list depth `depth`: its path with the
  // innermost indices of the current position.
  uint32_t PathCause(bool wrong_type, const PlanField& f, size_t depth) {
    uint32_t path = f.paths[std::min(depth, f.paths.size() - 1)];
    return st_.causes.Path(wrong_type, path, st_.indices.data(), static_cast<uint32_t>(st_.indices.size()));
  }

  std::string Path(const PlanField& f, size_t depth) {
    return FillPath(g_.paths[f.paths[std::min(depth, f.paths.size() - 1)]], st_.indices.data(),
                    static_cast<uint32_t>(st_.indices.size()));
  }

  const Graph& g_;
  size_t max_list_;
  EvalState& st_;
};


template <typename Json>
const Value* ReadRecord(const Graph& g, const Json& object, int32_t plan, size_t max_list_length, EvalState& state,
                        IngestError* error) {
  try {
    return Reader<Json>(g, max_list_length, state).Record(object, plan);
  } catch (const ListTooLong& e) {
    error->code = "list_too_long";
    error->message = e.path + " has " + std::to_string(e.length) + " elements; the limit is " +
                     std::to_string(max_list_length);
    return nullptr;
  }
}

}  // namespace

const Value* Ingest(const Graph& g, const rapidjson::Value& root, size_t max_list_length, EvalState& state,
                    IngestError* error) {
  return ReadRecord(g, RapidJsonView{&root}, 0, max_list_length, state, error);
}

const Value* Ingest(const Graph& g, simdjson::dom::element root, size_t max_list_length, EvalState& state,
                    IngestError* error) {
  return ReadRecord(g, SimdjsonView{root}, 0, max_list_length, state, error);
}

const Value* IngestRecord(const Graph& g, const rapidjson::Value& object, int32_t plan, size_t max_list_length,
                          EvalState& state, IngestError* error) {
  return ReadRecord(g, RapidJsonView{&object}, plan, max_list_length, state, error);
}

const Value* IngestRecord(const Graph& g, simdjson::dom::element object, int32_t plan, size_t max_list_length,
                          EvalState& state, IngestError* error) {
  return ReadRecord(g, SimdjsonView{object}, plan, max_list_length, state, error);
}

}  // namespace miaopi::engine
