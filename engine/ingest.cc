#include "engine/ingest.h"

#include <cmath>

#include "dsl/date.h"

namespace miaopi::engine {

namespace {

struct ListTooLong {
  std::string path;
  size_t length;
};

class Reader {
 public:
  Reader(const Graph& g, size_t max_list, EvalState& st) : g_(g), max_list_(max_list), st_(st) {}

  const Value* Record(const rapidjson::Value& object, int32_t plan) {
    const PlanRecord& pr = g_.plan[plan];
    Value* slots = st_.slots.Allocate(std::max<uint32_t>(pr.size, 1));
    // Absent until a member fills it; a second member of the same name makes
    // the field ambiguous, which is broken data like a wrong type.
    for (const PlanField& f : pr.fields) slots[f.slot] = Value::Unknown(kUnseen);
    for (auto m = object.MemberBegin(); m != object.MemberEnd(); ++m) {
      std::string_view name(m->name.GetString(), m->name.GetStringLength());
      for (const PlanField& f : pr.fields) {
        if (f.name != name) continue;
        Value& slot = slots[f.slot];
        if (!slot.known() && slot.cause == kUnseen) {
          slot = Read(m->value, f.type, f, 0);
        } else {
          slot = Value::Unknown(PathCause(true, f, 0));
        }
        break;
      }
    }
    for (const PlanField& f : pr.fields) {
      Value& slot = slots[f.slot];
      if (!slot.known() && slot.cause == kUnseen) slot = Value::Unknown(PathCause(false, f, 0));
    }
    return slots;
  }

 private:
  // A cause id no real cause has while a record is being read.
  static constexpr uint32_t kUnseen = UINT32_MAX;

  Value Read(const rapidjson::Value& j, const dsl::Type* t, const PlanField& f, size_t depth) {
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
        if (j.IsString()) return Value::String({j.GetString(), j.GetStringLength()});
        break;
      case dsl::TypeKind::kDate:
        if (j.IsString()) {
          if (std::optional<int32_t> d = dsl::ParseIsoDate({j.GetString(), j.GetStringLength()})) return Value::Date(*d);
        }
        break;
      case dsl::TypeKind::kDuration:
        if (j.IsString()) {
          if (auto d = dsl::ParseIsoDuration({j.GetString(), j.GetStringLength()})) return Value::Duration(*d);
        }
        break;
      case dsl::TypeKind::kList: {
        if (!j.IsArray()) break;
        size_t n = j.Size();
        if (n > max_list_) throw ListTooLong{Path(f, depth), n};
        Value* elems = st_.slots.Allocate(n);
        for (uint32_t k = 0; k < n; ++k) {
          st_.indices.push_back(k);
          elems[k] = Read(j[k], t->elem, f, depth + 1);
          st_.indices.pop_back();
        }
        return Value::List(elems, static_cast<uint32_t>(n));
      }
      case dsl::TypeKind::kRecord:
        if (!j.IsObject()) break;
        if (f.child < 0) return Value::Record(nullptr);
        return Value::Record(Record(j, f.child));
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

}  // namespace

const Value* Ingest(const Graph& g, const rapidjson::Value& root, size_t max_list_length, EvalState& state,
                    IngestError* error) {
  return IngestRecord(g, root, 0, max_list_length, state, error);
}

const Value* IngestRecord(const Graph& g, const rapidjson::Value& object, int32_t plan, size_t max_list_length,
                          EvalState& state, IngestError* error) {
  try {
    return Reader(g, max_list_length, state).Record(object, plan);
  } catch (const ListTooLong& e) {
    error->code = "list_too_long";
    error->message = e.path + " has " + std::to_string(e.length) + " elements; the limit is " +
                     std::to_string(max_list_length);
    return nullptr;
  }
}

}  // namespace miaopi::engine
