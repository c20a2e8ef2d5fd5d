#include "engine/runtime/json_view.h"

namespace miaopi::engine {

namespace {

// A name's length and first and last eight bytes: equal names have equal
// prints, and names of up to 16 bytes are equal when their prints are.
struct NamePrint {
  uint64_t head = 0, tail = 0;
  size_t size = 0;
};

NamePrint PrintOf(std::string_view name) {
  NamePrint p;
  p.size = name.size();
  if (name.size() >= 8) {  // two fixed loads, inside the name
    std::memcpy(&p.head, name.data(), 8);
    std::memcpy(&p.tail, name.data() + name.size() - 8, 8);
  } else {
    for (size_t i = 0; i < name.size(); ++i) p.head |= static_cast<uint64_t>(static_cast<uint8_t>(name[i])) << (8 * i);
  }
  return p;
}

// True when two of `names` are equal (small objects by comparing prints
// pairwise, larger ones by sorting); `*which` is then the repeated name.
bool HasRepeat(std::vector<std::string_view>& names, std::string_view* which) {
  constexpr size_t kPairwise = 16;
  if (names.size() <= kPairwise) {
    NamePrint prints[kPairwise];
    for (size_t i = 0; i < names.size(); ++i) {
      prints[i] = PrintOf(names[i]);
      for (size_t j = 0; j < i; ++j) {
        if (prints[i].head != prints[j].head || prints[i].tail != prints[j].tail || prints[i].size != prints[j].size) {
          continue;
        }
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
// containers on `stack` (the root first).
template <typename Stack>
std::string PathOf(const Stack& stack, std::string_view last) {
  std::string path;
  for (size_t i = 1; i < stack.size(); ++i) {
    if (stack[i].in_array) {
      path += "[" + std::to_string(stack[i].index) + "]";
    } else {
      if (!path.empty()) path += '.';
      path.append(stack[i].name);
    }
  }
  if (!path.empty()) path += '.';
  path.append(last);
  return path;
}

}  // namespace

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
