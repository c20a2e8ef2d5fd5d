// FlatMap against std::unordered_map: random keys (strings and scalar
// values, with repeats), the same answers for every key inserted and for
// keys never inserted, the first value kept for a repeated key, and every
// entry visited once.
#include "engine/graph/flat_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <unordered_map>

#include "engine/graph/graph.h"

namespace miaopi::engine {
namespace {

struct ViewHash {
  uint64_t operator()(std::string_view s) const { return HashBytes(s); }
};

TEST(FlatMap, AgreesWithUnorderedMapOnStrings) {
  std::mt19937 rng(7);
  for (int size : {0, 1, 7, 8, 9, 100, 5000}) {
    std::vector<std::string> keys;
    for (int i = 0; i < size; ++i) {
      std::string k(rng() % 24, 'a');
      for (char& c : k) c = static_cast<char>('a' + rng() % 3);  // short alphabet: many repeats
      keys.push_back(k);
    }
    FlatMap<std::string_view, int, ViewHash, std::equal_to<>> flat;
    std::unordered_map<std::string_view, int> ref;
    for (int i = 0; i < size; ++i) {
      auto [value, added] = flat.TryEmplace(keys[i], i);
      bool ref_added = ref.emplace(keys[i], i).second;
      ASSERT_EQ(added, ref_added);
      ASSERT_EQ(*value, ref.at(keys[i]));
    }
    ASSERT_EQ(flat.size(), ref.size());
    for (const auto& [k, v] : ref) {
      const int* found = flat.Find(k);
      ASSERT_NE(found, nullptr) << k;
      EXPECT_EQ(*found, v);
    }
    for (const char* absent : {"", "zz", "abcabcabcabcabcabcabcabcx"}) {
      EXPECT_EQ(flat.Contains(absent), ref.count(absent) > 0) << absent;
    }
    std::map<std::string, int> seen;
    flat.ForEach([&](std::string_view k, int v) { seen[std::string(k)] += v + 1; });
    ASSERT_EQ(seen.size(), ref.size());
    for (const auto& [k, v] : ref) EXPECT_EQ(seen[std::string(k)], v + 1);
  }
}

TEST(FlatMap, ScalarKeysHashAsTheyCompare) {
  FlatMap<Value, int, ScalarHash, ScalarEq> flat;
  EXPECT_TRUE(flat.TryEmplace(Value::Int(2), 1).second);
  EXPECT_FALSE(flat.TryEmplace(Value::Number(2.0), 2).second);  // 2 == 2.0: the first value stays
  EXPECT_EQ(*flat.Find(Value::Number(2.0)), 1);
  EXPECT_TRUE(flat.TryEmplace(Value::Number(0.0), 3).second);
  EXPECT_EQ(*flat.Find(Value::Number(-0.0)), 3);
  EXPECT_TRUE(flat.TryEmplace(Value::String("2"), 4).second);  // a string is not a number
  EXPECT_TRUE(flat.TryEmplace(Value::Date(2), 5).second);
  EXPECT_TRUE(flat.TryEmplace(Value::Bool(true), 6).second);
  EXPECT_EQ(flat.size(), 5u);
  EXPECT_EQ(*flat.Find(Value::String("2")), 4);
  EXPECT_EQ(*flat.Find(Value::Date(2)), 5);
  EXPECT_EQ(flat.Find(Value::Bool(false)), nullptr);
  EXPECT_EQ(flat.Find(Value::Int(3)), nullptr);
}

TEST(FlatMap, AMovedFromMapIsEmpty) {
  FlatMap<std::string_view, int, ViewHash, std::equal_to<>> a;
  a.TryEmplace("x", 1);
  FlatMap<std::string_view, int, ViewHash, std::equal_to<>> b(std::move(a));
  EXPECT_EQ(*b.Find("x"), 1);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): what a moved-from map holds
  EXPECT_EQ(a.Find("x"), nullptr);
  EXPECT_TRUE(a.TryEmplace("y", 2).second);
  EXPECT_EQ(a.size(), 1u);
}

}  // namespace
}  // namespace miaopi::engine
