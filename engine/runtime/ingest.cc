#include "engine/runtime/ingest.h"

#include <cmath>
#include <cstring>

#include "dsl/date.h"
#include "engine/runtime/json_view.h"

namespace miaopi::engine {

namespace {

struct ListTooLong {
  std::string path;
  size_t length;
};

template <typename Json>
class Reader {
 public:
  Reader(const Graph& g, size_t max_list, EvalState& st, MemberScan<Json>* scan)
      : g_(g), max_list_(max_list), st_(st), scan_(scan) {}

  const Value* Record(const Json& object, int32_t plan) {
    const PlanRecord& pr = g_.plan[plan];
    const RecordKeys rk = g_.KeysOf(pr);
    const PlanKey* keys = rk.keys;
    const size_t key_count = rk.count;
    Value* slots = st_.slots.Allocate(std::max<uint32_t>(pr.size, 1));
    // Absent until a member fills it; a second member of the same name makes
    // the field ambiguous, which is broken data like a wrong type.
    for (size_t i = 0; i < key_count; ++i) slots[keys[i].slot] = Value::Unknown(kUnseen);
    NameRepeats others;  // the names the plan does not know (with scan_)
    object.ForEachMember([&](std::string_view name, const Json& value) {
      int i = rk.Find(name);
      if (i < 0) {
        if constexpr (Json::kFast) {
          if (scan_ != nullptr) {
            if (others.Add(name)) scan_->repeated = true;
            Unread(value);
          }
        }
        return;
      }
      const PlanKey& k = keys[i];
      Value& slot = slots[k.slot];
      if (!slot.known() && slot.cause == kUnseen) {
        // Most members are strings, dates and integers of the right type:
        // read here, without the call; Read has the rest and every wrong type.
        switch (k.kind) {
          case dsl::TypeKind::kString:
            if (value.IsString()) {
              slot = Value::String(value.GetString());
              return;
            }
            break;
          case dsl::TypeKind::kDate:
            if (value.IsString()) {
              if (std::optional<int32_t> d = dsl::ParseIsoDate(value.GetString())) {
                slot = Value::Date(*d);
                return;
              }
            }
            break;
          case dsl::TypeKind::kInt:
            if (value.IsInt64()) {
              slot = Value::Int(value.GetInt64());
              return;
            }
            break;
          default: break;
        }
        slot = Read(value, k.kind, nullptr, k.child, pr.fields[i], 0);
      } else {
        if (scan_ != nullptr) scan_->repeated = true;
        slot = Value::Unknown(PathCause(true, pr.fields[i], 0));
      }
    });
    for (size_t i = 0; i < key_count; ++i) {
      Value& slot = slots[keys[i].slot];
      if (!slot.known() && slot.cause == kUnseen) slot = Value::Unknown(PathCause(false, pr.fields[i], 0));
    }
    return slots;
  }

 private:
  // A cause id no real cause has while a record is being read.
  static constexpr uint32_t kUnseen = UINT32_MAX;

  // `kind` is the kind of the type at this list depth: the field's own
  // (f.type) at depth 0, else t, which only a list's elements read; `child`
  // is the field's plan record (records); `f` is read otherwise only for
  // the path of an unknown.
  Value Read(const Json& j, dsl::TypeKind kind, const dsl::Type* t, int32_t child, const PlanField& f, size_t depth) {
    if (j.IsNull()) return Value::Unknown(PathCause(false, f, depth));
    switch (kind) {
      case dsl::TypeKind::kBool:
        if (j.IsBool()) return Value::Bool(j.GetBool());
        break;
      case dsl::TypeKind::kInt:
        if (j.IsInt64()) return Value::Int(j.GetInt64());
        if (j.IsDouble()) {
          double d = j.GetDouble();
          if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18)
            return Value::Int(static_cast<int64_t>(d));
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
        const dsl::Type* elem = (depth == 0 ? f.type : t)->elem;
        uint32_t k = 0;
        j.ForEachElement([&](const Json& e) {
          st_.indices.push_back(k);
          elems[k] = Read(e, elem->kind, elem, child, f, depth + 1);
          st_.indices.pop_back();
          ++k;
        });
        return Value::List(elems, static_cast<uint32_t>(n));
      }
      case dsl::TypeKind::kRecord:
        if (!j.IsObject()) break;
        if (child < 0) {  // no rule reads inside
          Unread(j);
          return Value::Record(nullptr);
        }
        return Value::Record(Record(j, child));
      default: break;
    }
    Unread(j);  // of the wrong type: an object or a list is still checked
    return Value::Unknown(PathCause(true, f, depth));
  }

  // A container this reader does not look into, kept for the duplicate check.
  void Unread(const Json& j) {
    if constexpr (Json::kFast) {
      if (scan_ != nullptr && (j.IsObject() || j.IsArray())) scan_->unread.push_back(j);
    }
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
  MemberScan<Json>* scan_;  // null but on the fast path
};

}  // namespace

template <JsonView Json>
const Value* IngestRecord(const Graph& g, const Json& object, int32_t plan, size_t max_list_length, EvalState& state,
                          IngestError* error, MemberScan<Json>* scan) {
  try {
    return Reader<Json>(g, max_list_length, state, scan).Record(object, plan);
  } catch (const ListTooLong& e) {
    error->code = "list_too_long";
    error->message =
        e.path + " has " + std::to_string(e.length) + " elements; the limit is " + std::to_string(max_list_length);
    return nullptr;
  }
}

template <JsonView Json>
const Value* Ingest(const Graph& g, const Json& root, size_t max_list_length, EvalState& state, IngestError* error,
                    MemberScan<Json>* scan) {
  return IngestRecord(g, root, 0, max_list_length, state, error, scan);
}

template const Value* Ingest(const Graph&, const RapidJsonView&, size_t, EvalState&, IngestError*,
                             MemberScan<RapidJsonView>*);
template const Value* Ingest(const Graph&, const SimdjsonView&, size_t, EvalState&, IngestError*,
                             MemberScan<SimdjsonView>*);
template const Value* IngestRecord(const Graph&, const RapidJsonView&, int32_t, size_t, EvalState&, IngestError*,
                                   MemberScan<RapidJsonView>*);
template const Value* IngestRecord(const Graph&, const SimdjsonView&, int32_t, size_t, EvalState&, IngestError*,
                                   MemberScan<SimdjsonView>*);

}  // namespace miaopi::engine
