// The three-valued semantics of LANGUAGE.md, operation by operation.
#include "engine/runtime/kernel.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>

#include "engine/runtime/record_format.h"

namespace miaopi::engine {
namespace {

class KernelTest : public ::testing::Test {
 protected:
  Value U() { return Value::Unknown(causes.MakeNote(Note::kOverflow)); }
  static bool IsTrue(const Value& v) { return v.known() && v.kind == ValueKind::kBool && v.b; }
  static bool IsFalse(const Value& v) { return v.known() && v.kind == ValueKind::kBool && !v.b; }
  CauseArena causes;
  StringArena strings;
};

TEST_F(KernelTest, KleeneAndOr) {
  Value t = Value::Bool(true), f = Value::Bool(false);
  EXPECT_TRUE(IsFalse(ops::And(f, U(), causes)));
  EXPECT_TRUE(IsFalse(ops::And(U(), f, causes)));
  EXPECT_FALSE(ops::And(t, U(), causes).known());
  EXPECT_FALSE(ops::And(U(), U(), causes).known());
  EXPECT_TRUE(IsTrue(ops::And(t, t, causes)));
  EXPECT_TRUE(IsTrue(ops::Or(t, U(), causes)));
  EXPECT_TRUE(IsTrue(ops::Or(U(), t, causes)));
  EXPECT_FALSE(ops::Or(f, U(), causes).known());
  EXPECT_TRUE(IsFalse(ops::Or(f, f, causes)));
  EXPECT_FALSE(ops::Not(U()).known());
}

TEST_F(KernelTest, UnknownJoinsBothCauses) {
  uint32_t a = causes.Path(false, 0, nullptr, 0), b = causes.Path(true, 1, nullptr, 0);
  Value r = ops::Comparison(Compare::kLt, CompareClass::kInt, Value::Unknown(a), Value::Unknown(b), causes);
  ASSERT_FALSE(r.known());
  std::vector<std::string> paths = {"x.a", "x.b"}, missing, notes;
  CauseNames names{&paths, nullptr, nullptr, nullptr};
  causes.Flatten(r.cause, names, &missing, &notes);
  EXPECT_EQ(missing, (std::vector<std::string>{"x.a", "x.b"}));
}

TEST_F(KernelTest, CoalesceAndExistsNeverUnknown) {
  EXPECT_EQ(ops::Coalesce(U(), Value::Int(3)).i, 3);
  EXPECT_EQ(ops::Coalesce(Value::Int(1), Value::Int(3)).i, 1);
  EXPECT_TRUE(IsFalse(ops::Exists(U())));
  EXPECT_TRUE(IsTrue(ops::Exists(Value::Int(0))));
  EXPECT_FALSE(ops::If(U(), Value::Int(1), Value::Int(2)).known());
  EXPECT_EQ(ops::If(Value::Bool(false), Value::Int(1), Value::Int(2)).i, 2);
}

TEST_F(KernelTest, ArithmeticProblemsAreUnknownNotCrashes) {
  EXPECT_FALSE(ops::Arithmetic(Arith::kAdd, ArithClass::kInt, Value::Int(INT64_MAX), Value::Int(1), causes).known());
  EXPECT_FALSE(ops::Arithmetic(Arith::kMul, ArithClass::kInt, Value::Int(INT64_MIN), Value::Int(-1), causes).known());
  EXPECT_FALSE(ops::Arithmetic(Arith::kMod, ArithClass::kInt, Value::Int(5), Value::Int(0), causes).known());
  EXPECT_EQ(ops::Arithmetic(Arith::kMod, ArithClass::kInt, Value::Int(INT64_MIN), Value::Int(-1), causes).i, 0);
  EXPECT_FALSE(ops::Arithmetic(Arith::kDiv, ArithClass::kNumber, Value::Number(1), Value::Int(0), causes).known());
  EXPECT_DOUBLE_EQ(ops::Arithmetic(Arith::kDiv, ArithClass::kInt, Value::Int(7), Value::Int(2), causes).d, 3.5);
  EXPECT_FALSE(ops::Neg(0, Value::Int(INT64_MIN), causes).known());
  Value far = ops::Arithmetic(Arith::kAdd, ArithClass::kDateDuration, Value::Date(*dsl::ParseIsoDate("9999-12-31")),
                              Value::Duration({0, 1}), causes);
  EXPECT_FALSE(far.known());
}

TEST_F(KernelTest, ComparisonsPromoteIntToNumber) {
  EXPECT_TRUE(
      IsTrue(ops::Comparison(Compare::kGe, CompareClass::kNumber, Value::Number(10.0), Value::Int(10), causes)));
  EXPECT_TRUE(IsTrue(ops::Comparison(Compare::kLt, CompareClass::kNumber, Value::Int(9), Value::Number(9.5), causes)));
  EXPECT_TRUE(
      IsTrue(ops::Comparison(Compare::kLt, CompareClass::kString, Value::String("a"), Value::String("b"), causes)));
}

TEST_F(KernelTest, DurationsOfMonthsAndDaysDoNotOrder) {
  Value month = Value::Duration({1, 0}), days = Value::Duration({0, 30});
  EXPECT_FALSE(ops::Comparison(Compare::kLt, CompareClass::kDuration, month, days, causes).known());
  EXPECT_TRUE(IsFalse(ops::Comparison(Compare::kEq, CompareClass::kDuration, month, days, causes)));
  EXPECT_TRUE(IsTrue(ops::Comparison(Compare::kLt, CompareClass::kDuration, month, Value::Duration({2, 0}), causes)));
}

TEST_F(KernelTest, MembershipWithUnknownElements) {
  Value elems[] = {Value::Int(1), U(), Value::Int(3)};
  Value list = Value::List(elems, 3);
  EXPECT_TRUE(IsTrue(ops::InList(Value::Int(3), list, causes)));
  EXPECT_FALSE(ops::InList(Value::Int(2), list, causes).known());  // might be the unknown one
  Value known[] = {Value::Int(1), Value::Number(3.0)};
  EXPECT_TRUE(IsTrue(ops::InList(Value::Int(3), Value::List(known, 2), causes)));
  EXPECT_TRUE(IsFalse(ops::InList(Value::Int(2), Value::List(known, 2), causes)));
}

TEST_F(KernelTest, Loops) {
  auto run = [&](NodeKind kind, std::vector<Value> values) {
    ops::LoopAccumulator acc(kind, causes);
    for (const Value& v : values) {
      if (!acc.Add(v)) break;
    }
    return acc.Result();
  };
  Value t = Value::Bool(true), f = Value::Bool(false);
  EXPECT_TRUE(IsTrue(run(NodeKind::kAll, {})));
  EXPECT_TRUE(IsFalse(run(NodeKind::kAny, {})));
  EXPECT_TRUE(IsFalse(run(NodeKind::kAll, {U(), f})));  // a false decides
  EXPECT_FALSE(run(NodeKind::kAll, {t, U()}).known());
  EXPECT_TRUE(IsTrue(run(NodeKind::kAny, {U(), t})));
  EXPECT_FALSE(run(NodeKind::kAny, {f, U()}).known());
  EXPECT_EQ(run(NodeKind::kCountIf, {t, f, t}).i, 2);
  EXPECT_FALSE(run(NodeKind::kCountIf, {t, U()}).known());
  EXPECT_EQ(run(NodeKind::kSum, {}).i, 0);
  EXPECT_DOUBLE_EQ(run(NodeKind::kSum, {Value::Int(1), Value::Number(2.5)}).d, 3.5);
  EXPECT_FALSE(run(NodeKind::kSum, {Value::Int(INT64_MAX), Value::Int(1)}).known());
  EXPECT_FALSE(run(NodeKind::kMin, {}).known());
  EXPECT_EQ(run(NodeKind::kMax, {Value::Int(4), Value::Int(9), Value::Int(2)}).i, 9);
}

TEST_F(KernelTest, Builtins) {
  KernelContext ctx{&causes, &strings};
  auto call = [&](dsl::Builtin b, std::vector<Value> args) {
    return ops::Builtin(b, args.data(), static_cast<uint32_t>(args.size()), ctx);
  };
  EXPECT_EQ(call(dsl::Builtin::kLen, {Value::String("中文ab")}).i, 4);
  EXPECT_EQ(call(dsl::Builtin::kUpper, {Value::String("ab中")}).string(), "AB中");
  EXPECT_EQ(call(dsl::Builtin::kTrim, {Value::String("\xE3\x80\x80 x \t")}).string(), "x");
  EXPECT_EQ(call(dsl::Builtin::kSubstr, {Value::String("44060519991"), Value::Int(0), Value::Int(6)}).string(),
            "440605");
  EXPECT_EQ(call(dsl::Builtin::kSubstr, {Value::String("中文字"), Value::Int(1), Value::Int(9)}).string(), "文字");
  EXPECT_EQ(call(dsl::Builtin::kSubstr, {Value::String("abc"), Value::Int(-4), Value::Int(2)}).string(), "ab");
  EXPECT_EQ(call(dsl::Builtin::kDaysBetween, {Value::Date(10), Value::Date(4)}).i, -6);
  EXPECT_FALSE(call(dsl::Builtin::kIdNumberBirth, {Value::String("nope")}).known());
  EXPECT_FALSE(call(dsl::Builtin::kLen, {U()}).known());
  EXPECT_EQ(call(dsl::Builtin::kMax, {Value::Int(2), Value::Number(2.5)}).d, 2.5);
}

// Random byte strings of every length up to 70 (the word-at-a-time paths
// and their tails), from an alphabet of the bytes that matter: ASCII,
// control characters, '"', '\\', UTF-8 lead and continuation bytes, 0x7F.
std::string RandomBytes(std::mt19937& rng, size_t n) {
  static const unsigned char kBytes[] = {'a',  'Z',  ' ',  '"',  '\\', 0x00, 0x01, 0x08, 0x0A, 0x1F,
                                         0x20, 0x7F, 0x80, 0xBF, 0xC2, 0xE4, 0xB8, 0xAD, 0xF0, 0xFF};
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(kBytes[rng() % sizeof kBytes]);
  return s;
}

TEST_F(KernelTest, LenCountsCodePointsAsTheByteLoopDoes) {
  KernelContext ctx{&causes, &strings};
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    for (size_t n = 0; n <= 70; ++n) {
      std::string s = RandomBytes(rng, n);
      int64_t expected = 0;
      for (char c : s) expected += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      Value arg = Value::String(s);
      ASSERT_EQ(ops::Builtin(dsl::Builtin::kLen, &arg, 1, ctx).i, expected) << n;
    }
  }
}

TEST(RecordFormat, QuotesAsTheJsonWriterDoes) {
  // The fast path copies a string that needs no escaping; the rest goes
  // through RapidJSON's writer. Either way the bytes are the writer's.
  std::mt19937 rng(11);
  rapidjson::StringBuffer scratch, reference;
  for (int round = 0; round < 200; ++round) {
    for (size_t n = 0; n <= 70; ++n) {
      std::string s = RandomBytes(rng, n);
      if (round % 2 == 0) {  // half of them with no byte to escape
        for (char& c : s) {
          unsigned char u = static_cast<unsigned char>(c);
          if (u < 0x20 || c == '"' || c == '\\') c = 'x';
        }
      }
      reference.Clear();
      rapidjson::Writer<rapidjson::StringBuffer> writer(reference);
      writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
      std::string got = "prefix";
      record::Quoted(s, scratch, &got);
      ASSERT_EQ(got, "prefix" + std::string(reference.GetString(), reference.GetSize())) << n;
    }
  }
}

}  // namespace
}  // namespace miaopi::engine
