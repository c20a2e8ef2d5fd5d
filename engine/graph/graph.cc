#include "engine/graph/graph.h"

#include <re2/re2.h>

#include <cstring>
#include <functional>
#include <iterator>

namespace miaopi::engine {

static_assert(std::size(kNodeKinds) == static_cast<size_t>(NodeKind::kDecision) + 1,
              "every node kind has a row in kNodeKinds");

uint64_t ScalarHash::operator()(const Value& v) const {
  switch (v.kind) {
    case ValueKind::kInt:
    case ValueKind::kNumber: {
      double d = v.AsDouble();
      if (d == 0) d = 0;  // -0.0 and 0.0 hash alike
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return HashWord(bits);
    }
    case ValueKind::kString: return HashBytes(v.string());
    case ValueKind::kDate: return HashWord(static_cast<uint64_t>(static_cast<uint32_t>(v.date)) ^ 0x5bd1e995ull << 32);
    case ValueKind::kBool: return v.b ? 0x9e3779b9 : 0x7f4a7c15;
    case ValueKind::kDuration:
      return HashWord((static_cast<uint64_t>(static_cast<uint32_t>(v.duration.months)) << 32) ^
                      static_cast<uint32_t>(v.duration.days) ^ 0x27d4eb2full);
    default: return 0;
  }
}

bool ScalarEq::operator()(const Value& a, const Value& b) const {
  bool numeric_a = a.kind == ValueKind::kInt || a.kind == ValueKind::kNumber;
  bool numeric_b = b.kind == ValueKind::kInt || b.kind == ValueKind::kNumber;
  if (numeric_a && numeric_b) {
    if (a.kind == ValueKind::kInt && b.kind == ValueKind::kInt) return a.i == b.i;
    return a.AsDouble() == b.AsDouble();
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::kString: return a.string() == b.string();
    case ValueKind::kDate: return a.date == b.date;
    case ValueKind::kBool: return a.b == b.b;
    case ValueKind::kDuration: return a.duration == b.duration;
    default: return false;
  }
}

uint32_t Shape::SlotOf(uint32_t field_index) {
  int slot = FindSlot(field_index);
  if (slot >= 0) return static_cast<uint32_t>(slot);
  fields.push_back(field_index);
  return static_cast<uint32_t>(fields.size() - 1);
}

int Shape::FindSlot(uint32_t field_index) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] == field_index) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string ConstKey(const Value& v) {
  std::string key(1, static_cast<char>(v.kind));
  switch (v.kind) {
    case ValueKind::kString: key.append(v.str, v.len); break;
    case ValueKind::kList: {
      char buf[sizeof(void*)];
      std::memcpy(buf, &v.list, sizeof buf);
      key.append(buf, sizeof buf);  // lists are never shared; identity is enough
      break;
    }
    default: {
      char buf[8];
      std::memcpy(buf, &v.i, 8);
      key.append(buf, 8);
    }
  }
  return key;
}

}  // namespace

uint32_t Graph::AddConst(Value v) {
  std::string key = ConstKey(v);
  auto it = const_index.find(key);
  if (it != const_index.end()) return it->second;
  consts.push_back(v);
  uint32_t id = static_cast<uint32_t>(consts.size() - 1);
  const_index.emplace(std::move(key), id);
  return id;
}

uint32_t Graph::AddStringConst(std::string_view s) {
  std::string key(1, static_cast<char>(ValueKind::kString));
  key.append(s);
  auto it = const_index.find(key);
  if (it != const_index.end()) return it->second;
  const std::string& stored = const_strings.emplace_back(s);
  return AddConst(Value::String(stored));
}

uint32_t Graph::AddLabel(std::string text) {
  labels.push_back(std::move(text));
  return static_cast<uint32_t>(labels.size() - 1);
}

std::shared_ptr<const RE2> RegexPool::Get(const std::string& pattern) {
  auto& re = by_pattern_[pattern];
  if (!re) {
    RE2::Options options;
    options.set_log_errors(false);
    re = std::make_shared<const RE2>(pattern, options);
  }
  return re;
}

void Graph::BuildKeys(int32_t index) {
  PlanRecord& r = plan[index];
  r.first_key = static_cast<uint32_t>(plan_keys.size());
  for (const PlanField& f : r.fields) {
    PlanKey k;
    k.name_at = static_cast<uint32_t>(plan_names.size());
    k.name_len = static_cast<uint32_t>(f.name.size());
    k.slot = f.slot;
    k.child = f.child;
    k.kind = f.type->kind;
    plan_keys.push_back(k);
    plan_names += f.name;
  }
  size_t size = 8;
  while (size < r.fields.size() * 4) size *= 2;
  r.table_at = static_cast<uint32_t>(plan_table.size());
  r.table_mask = static_cast<uint32_t>(size - 1);
  plan_table.resize(plan_table.size() + size, 0);
  uint16_t* table = plan_table.data() + r.table_at;
  for (size_t i = 0; i < r.fields.size(); ++i) {
    uint32_t at = PlanRecord::KeyHash(r.fields[i].name) & r.table_mask;
    while (table[at] != 0) at = (at + 1) & r.table_mask;
    table[at] = static_cast<uint16_t>(i + 1);
  }
}

}  // namespace miaopi::engine
