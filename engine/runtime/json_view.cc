#include "engine/runtime/json_view.h"

#include <bit>

namespace miaopi::engine {

namespace {

// True when two of `names` are equal (small objects by comparing prints
// pairwise, larger ones through a table of prints, the largest by
// sorting); `*which` is then the repeated name.
bool HasRepeat(std::vector<std::string_view>& names, std::string_view* which) {
  constexpr size_t kPairwise = 16, kTable = 512;  // table slots: up to 256 names
  if (names.size() > kPairwise && names.size() <= kTable / 2) {
    uint16_t table[kTable] = {};  // index + 1 of a name, by its print's hash
    NamePrint prints[kTable / 2];
    for (size_t i = 0; i < names.size(); ++i) {
      prints[i] = PrintOf(names[i]);
      uint64_t h = (prints[i].head * 0x9E3779B97F4A7C15ull) ^ (prints[i].tail * 0xC2B2AE3D27D4EB4Full) ^ prints[i].size;
      for (size_t at = (h >> 32) & (kTable - 1);; at = (at + 1) & (kTable - 1)) {
        if (table[at] == 0) {
          table[at] = static_cast<uint16_t>(i + 1);
          break;
        }
        size_t j = table[at] - 1u;
        if (SamePrint(prints[i], prints[j]) &&
            (names[i].size() <= 16 || std::memcmp(names[i].data(), names[j].data(), names[i].size()) == 0)) {
          *which = names[i];
          return true;
        }
      }
    }
    return false;
  }
  if (names.size() <= kPairwise) {
    NamePrint prints[kPairwise];
    for (size_t i = 0; i < names.size(); ++i) {
      prints[i] = PrintOf(names[i]);
      for (size_t j = 0; j < i; ++j) {
        if (!SamePrint(prints[i], prints[j])) continue;
        if (names[i].size() <= 16 || std::memcmp(names[i].data(), names[j].data(), names[i].size()) == 0) {
          *which = names[i];
          return true;
        }
      }
    }
    return false;
  }
  std::sort(names.begin(), names.end());
  auto it = std::adjacent_find(names.begin(), names.end());
  if (it == names.end()) return false;
  *which = *it;
  return true;
}

// "business.scope", "staff[1].name": the member `last` inside the open
// containers on `stack` (the root first). An empty name is written "" — a
// repeated empty name at the root would otherwise read as no repeat.
template <typename Stack>
std::string PathOf(const Stack& stack, std::string_view last) {
  std::string path;
  auto append = [&path](std::string_view name) {
    if (!path.empty()) path += '.';
    if (name.empty()) {
      path += "\"\"";
    } else {
      path.append(name);
    }
  };
  for (size_t i = 1; i < stack.size(); ++i) {
    if (stack[i].in_array) {
      path += "[" + std::to_string(stack[i].index) + "]";
    } else {
      append(stack[i].name);
    }
  }
  append(last);
  return path;
}

}  // namespace

bool DuplicateMemberCheck::MayRepeat(const SimdjsonView& root) {
  pending_.clear();
  pending_.push_back(root.e);
  return MayRepeatPending();
}

bool DuplicateMemberCheck::MayRepeat(const std::vector<SimdjsonView>& containers) {
  pending_.clear();
  for (const SimdjsonView& c : containers) pending_.push_back(c.e);
  return MayRepeatPending();
}

bool DuplicateMemberCheck::MayRepeatPending() {
  using Type = simdjson::dom::element_type;
  std::vector<simdjson::dom::element>& pending = pending_;  // containers not yet looked into
  auto container = [](simdjson::dom::element e) { return e.type() == Type::OBJECT || e.type() == Type::ARRAY; };
  while (!pending.empty()) {
    simdjson::dom::element e = pending.back();
    pending.pop_back();
    if (e.type() == Type::ARRAY) {
      simdjson::dom::array array = e.get_array().value_unsafe();  // a copy: the result is a temporary
      for (simdjson::dom::element x : array) {
        if (container(x)) pending.push_back(x);
      }
      continue;
    }
    if (e.type() != Type::OBJECT) continue;
    NameRepeats names;
    simdjson::dom::object object = e.get_object().value_unsafe();  // a copy, as above
    for (simdjson::dom::key_value_pair kv : object) {
      if (names.Add(kv.key)) return true;
      if (container(kv.value)) pending.push_back(kv.value);
    }
  }
  return false;
}

std::string FindDuplicateMember(const RapidJsonView& root) { return DuplicateMemberCheck().Find(root); }
std::string FindDuplicateMember(const SimdjsonView& root) { return DuplicateMemberCheck().Find(root); }

std::string DuplicateMemberCheck::Find(const RapidJsonView& root) {
  std::vector<RapidOpen>& stack = rapid_;
  stack.clear();
  auto enter = [&](const rapidjson::Value* v, std::string_view name, size_t index, bool in_array) -> std::string {
    if (v->IsObject()) {
      names_.clear();
      for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m) {
        names_.emplace_back(m->name.GetString(), m->name.GetStringLength());
      }
      stack.push_back({v, 0, name, index, in_array});
      std::string_view repeated;
      if (HasRepeat(names_, &repeated)) return PathOf(stack, repeated);
    } else if (v->IsArray()) {
      stack.push_back({v, 0, name, index, in_array});
    }
    return {};
  };
  std::string found = enter(root.v, {}, 0, false);
  while (found.empty() && !stack.empty()) {
    RapidOpen& top = stack.back();
    const rapidjson::Value* v = top.v;
    size_t size = v->IsObject() ? v->MemberCount() : v->Size();
    if (top.next == size) {
      stack.pop_back();
      continue;
    }
    size_t i = top.next++;
    if (v->IsObject()) {
      const auto& m = *(v->MemberBegin() + i);
      found = enter(&m.value, {m.name.GetString(), m.name.GetStringLength()}, 0, false);
    } else {
      found = enter(&(*v)[static_cast<rapidjson::SizeType>(i)], {}, i, true);
    }
  }
  return found;
}

std::string DuplicateMemberCheck::Find(const SimdjsonView& root) {
  using Type = simdjson::dom::element_type;
  std::vector<SimdOpen>& stack = simd_;
  stack.clear();
  auto enter = [&](simdjson::dom::element e, std::string_view name, size_t index, bool in_array) -> std::string {
    SimdOpen o;
    o.name = name;
    o.index = index;
    o.in_array = in_array;
    if (e.type() == Type::OBJECT) {
      simdjson::dom::object object = e.get_object().value_unsafe();
      names_.clear();
      for (simdjson::dom::key_value_pair kv : object) names_.push_back(kv.key);
      o.object = true;
      o.obj_at = object.begin();
      o.obj_end = object.end();
      stack.push_back(o);
      std::string_view repeated;
      if (HasRepeat(names_, &repeated)) return PathOf(stack, repeated);
    } else if (e.type() == Type::ARRAY) {
      simdjson::dom::array array = e.get_array().value_unsafe();
      o.arr_at = array.begin();
      o.arr_end = array.end();
      stack.push_back(o);
    }
    return {};
  };
  std::string found = enter(root.e, {}, 0, false);
  while (found.empty() && !stack.empty()) {
    SimdOpen& top = stack.back();
    if (top.object) {
      if (top.obj_at == top.obj_end) {
        stack.pop_back();
        continue;
      }
      simdjson::dom::key_value_pair kv = *top.obj_at;
      ++top.obj_at;
      found = enter(kv.value, kv.key, 0, false);
    } else {
      if (top.arr_at == top.arr_end) {
        stack.pop_back();
        continue;
      }
      simdjson::dom::element e = *top.arr_at;
      ++top.arr_at;
      found = enter(e, {}, top.next++, true);
    }
  }
  return found;
}

}  // namespace miaopi::engine
