// The batch fast path (simdjson, records written from the evaluation state)
// against the general path (RapidJSON, Record, ToJson) on inputs chosen to
// differ: number forms, nesting at and past the limit, broken JSON in a
// field no rule reads, duplicate keys, envelopes, odd ids. The differential
// test covers generated packs; this covers the edges of the text.
#include <gtest/gtest.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <functional>
#include <random>

#include "engine/compile/pack.h"
#include "engine/runtime/decider.h"
#include "engine/runtime/json_view.h"
#include "tests/testing/golden.h"

namespace miaopi::engine {
namespace {

using testing::ReadFileOrDie;
using testing::SourceDir;

std::string Base() {
  std::string base = ReadFileOrDie(SourceDir() + "/tests/golden/decide/food_sales/base.json");
  base.erase(base.find_last_not_of("\n") + 1);
  return base;
}

// `base` with `from` replaced by `to` (which must occur).
std::string With(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(FastPath, WritesTheBytesOfTheGeneralPathOnTrickyText) {
  LoadOptions options;
  options.limits.max_json_depth = 6;
  LoadResult loaded = LoadPack(SourceDir() + "/samples/food_sales", options);
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  const CompiledPack& pack = loaded.pack->impl();
  const std::string base = Base();
  // "identity" is a field of "applicant": the root, applicant, then the arrays.
  std::string nest4 = "[[[[1]]]]", nest5 = "[" + nest4 + "]";
  std::vector<std::string> texts = {
      base,
      With(base, "35.5", "-0"),
      With(base, "35.5", "-0.0"),
      With(base, "35.5", "1e400"),
      With(base, "35.5", "18446744073709551616"),
      With(base, "35.5", "9223372036854775808"),
      With(base, "35.5", "5.0"),
      With(base, "35.5", "01"),
      With(base, "35.5", "3.5e1"),
      With(base, "\"identity\"", "\"deep\": " + nest4 + ", \"identity\""),    // 6 levels: at the limit
      With(base, "\"identity\"", "\"deep\": " + nest5 + ", \"identity\""),    // 7: past it
      With(base, "\"identity\"", "\"unused\": [1,,2], \"identity\""),         // broken where no rule reads
      With(base, "\"area_m2\": 35.5", "\"area_m2\": 35.5, \"area_m2\": 36"),  // a duplicate field
      With(base, "\"FS-T-001\"", "\"FS-\\u00e9\\/1\\t\""),
      With(base, "\"FS-T-001\"", "17"),
      With(base, "\"FS-T-001\"", "1.5e300"),
      With(base, "\"FS-T-001\"", "[1]"),
      With(base, "\"FS-001\"", "\"NOPE\""),
      With(base, "\"FS-001\"", "7"),
      base + " x",
      base + "\n\n",
      "{\"application\": " + base + ", \"context\": {\"town\": \"440605011\"}}",
      "{\"application\": " + base + ", \"context\": 5}",
      "{\"application\": 5, \"item\": \"FS-001\"}",
      With(base, "日用百货销售", "\xff\xfe"),
      "",
      "[]",
      "null",
      With(base, "\"staff\": [", "\"staff\": [{\"name\": 1}, "),
      // Found by libFuzzer: 1e-400 is zero on both paths.
      With(base, "35.5", "1e-400"),
  };
  Decider fast(pack), slow(pack);
  slow.DisableFastText();
  std::vector<bool> took_fast;
  Request request;
  request.date = *dsl::ParseIsoDate("2026-09-10");
  for (const std::string& text : texts) {
    SCOPED_TRACE(text.substr(0, 200));
    Record record, fast_record;
    slow.Decide(text, request, &record);
    fast.Decide(text, request, &fast_record);  // the Record API takes the fast path too
    if (!fast_record.ok) fast_record.error.line = 3;
    if (!record.ok) record.error.line = 3;
    std::string got;
    size_t before = fast.fast_decisions();
    fast.DecideToJson(text, request, 3, &got);
    took_fast.push_back(fast.fast_decisions() > before);
    EXPECT_EQ(got, ToJson(record));
    if (record.ok) {
      EXPECT_EQ(ToJson(fast_record), ToJson(record));
    }
  }
  // The ordinary texts took the fast path; the rest fell back.
  // (A duplicate member, an id that is not an exact integer and an
  // envelope's context that is not an object are error records or need the
  // text: the general path.)
  std::vector<bool> expected = {true,  true,  true,  false, false, true,  true,  false, true,  true,
                                false, false, false, true,  true,  false, true,  false, false, false,
                                true,  true,  false, true,  false, false, false, false, true,  true};
  EXPECT_EQ(took_fast, expected);

  // 0e400 is zero: RapidJSON alone would reject the exponent, so it is checked
  // against the same text with a plain 0.
  Record zero;
  slow.Decide(With(base, "\"identity\"", "\"unused\": 0, \"identity\""), request, &zero);
  std::string got;
  fast.DecideToJson(With(base, "\"identity\"", "\"unused\": 0e400, \"identity\""), request, 3, &got);
  EXPECT_EQ(got, ToJson(zero));
}

// A random document whose member names come from a small alphabet, short and
// long (so that objects often repeat a name, at every depth and position,
// and names of 1–7 bytes that differ only in their last byte are common).
std::string RandomDocument(std::mt19937& rng, int depth) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto name = [&] {
    static const char* const kStems[] = {"",
                                         "a",
                                         "b",
                                         "ab",
                                         "ba",
                                         "id",
                                         "item",
                                         "ida",
                                         "idb",
                                         "a\u0000",
                                         "abcdefg",
                                         "abcdefh",
                                         "abcdefgh",
                                         "health_cert_expires",
                                         "health_cert_expiry"};
    return "\"" + std::string(kStems[pick(15)]) + "\"";
  };
  if (depth == 0 || pick(4) == 0) {
    static const char* const kScalars[] = {"1", "-2.5", "true", "null", "\"x\"", "\"abcdefgh\""};
    return kScalars[pick(6)];
  }
  std::string out;
  if (pick(3) == 0) {
    out = "[";
    for (int i = 0, n = pick(5); i < n; ++i) out += (i ? "," : "") + RandomDocument(rng, depth - 1);
    return out + "]";
  }
  out = "{";
  for (int i = 0, n = pick(6); i < n; ++i) out += (i ? "," : "") + name() + ":" + RandomDocument(rng, depth - 1);
  return out + "}";
}

TEST(FastPath, TheQuickDuplicateCheckAgreesWithTheExactOne) {
  // MayRepeat may only say "no repeat" when there is none; on objects of up
  // to 64 members it is exact. Find names the repeat.
  std::mt19937 rng(20261207);
  simdjson::dom::parser parser;
  DuplicateMemberCheck check;
  int repeats = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = RandomDocument(rng, 4);
    simdjson::dom::element root;
    ASSERT_FALSE(parser.parse(text).get(root)) << text;
    bool may = check.MayRepeat(SimdjsonView{root});
    std::string found = check.Find(SimdjsonView{root});
    EXPECT_EQ(may, !found.empty()) << text;
    repeats += !found.empty();
  }
  EXPECT_GT(repeats, 2000);  // both answers were exercised
  EXPECT_LT(repeats, 18000);
  // An object past 64 members goes to the exact check, which finds none here.
  std::string wide = "{";
  for (int i = 0; i < 70; ++i) wide += (i ? ",\"" : "\"") + std::to_string(i) + "\":" + std::to_string(i);
  wide += "}";
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(wide).get(root));
  EXPECT_TRUE(check.MayRepeat(SimdjsonView{root}));
  EXPECT_EQ(check.Find(SimdjsonView{root}), "");
}

// The fast path checks for repeated members while it reads (the objects it
// reads) and walks only what it leaves unread. So every object of real
// applications — read or not, the envelope's included — is given a repeated
// member in turn: the plan's own name, a name no rule reads, and a value of
// the wrong type that is itself an object or list with a repeat inside.
// Each variant must be refused exactly as the general path refuses it.
TEST(FastPath, ARepeatedMemberInAnyObjectIsRefused) {
  using rapidjson::Value;
  auto objects_of = [](Value& root) {  // every object, the root first
    std::vector<Value*> found, pending = {&root};
    while (!pending.empty()) {
      Value* v = pending.back();
      pending.pop_back();
      if (v->IsObject()) {
        found.push_back(v);
        for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m) pending.push_back(&m->value);
      } else if (v->IsArray()) {
        for (Value& e : v->GetArray()) pending.push_back(&e);
      }
    }
    return found;
  };
  auto text_of = [](const Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
  };
  using Mutation = std::function<bool(Value&, rapidjson::Document::AllocatorType&)>;
  const std::vector<Mutation> mutations = {
      [](Value& o, auto& a) {  // its first member again
        if (o.MemberCount() == 0) return false;
        Value name(o.MemberBegin()->name, a), value(o.MemberBegin()->value, a);
        o.AddMember(name, value, a);
        return true;
      },
      [](Value& o, auto& a) {  // a name no rule reads, twice
        o.AddMember("x-unread", 1, a);
        o.AddMember("x-unread", Value(rapidjson::kArrayType), a);
        return true;
      },
      [](Value& o, auto& a) {  // the same with a name past 16 bytes (compared in full)
        o.AddMember("x-unread-and-longer-than-sixteen", 1, a);
        o.AddMember("x-unread-and-longer-than-sixteen", 2, a);
        return true;
      },
      [](Value& o, auto& a) {  // a scalar member becomes an object with a repeat
        for (auto m = o.MemberBegin(); m != o.MemberEnd(); ++m) {
          if (m->value.IsObject() || m->value.IsArray()) continue;
          Value inner(rapidjson::kObjectType);
          inner.AddMember("d", 1, a);
          inner.AddMember("d", 2, a);
          m->value = inner;
          return true;
        }
        return false;
      },
      [](Value& o, auto& a) {  // a scalar member becomes a list holding such an object
        for (auto m = o.MemberBegin(); m != o.MemberEnd(); ++m) {
          if (m->value.IsObject() || m->value.IsArray()) continue;
          Value inner(rapidjson::kObjectType), list(rapidjson::kArrayType);
          inner.AddMember("d", 1, a);
          inner.AddMember("d", 2, a);
          list.PushBack(inner, a);
          m->value = list;
          return true;
        }
        return false;
      },
      [](Value& o, auto& a) {  // every list member gains an element, an object with a repeat
        bool any = false;
        for (auto m = o.MemberBegin(); m != o.MemberEnd(); ++m) {
          if (!m->value.IsArray()) continue;
          Value inner(rapidjson::kObjectType);
          inner.AddMember("d", 1, a);
          inner.AddMember("d", 2, a);
          m->value.PushBack(inner, a);
          any = true;
        }
        return any;
      },
  };
  struct Source {
    std::string pack, applications;
    int count;
  };
  Request request;
  request.date = *dsl::ParseIsoDate("2026-09-10");
  int refused = 0;
  for (const Source& source : {Source{"/samples/food_sales", "/samples/applications/food_sales_1000.jsonl", 40},
                               Source{"/rules/nanhai", "/samples/nanhai/applications_1000.jsonl", 60}}) {
    LoadResult loaded = LoadPack(SourceDir() + source.pack);
    ASSERT_TRUE(loaded.ok()) << loaded.rendered;
    Decider fast(loaded.pack->impl()), general(loaded.pack->impl());
    general.DisableFastText();
    std::ifstream in(SourceDir() + source.applications);
    std::string line;
    for (int n = 0; n < source.count && std::getline(in, line); ++n) {
      const size_t decided_fast = fast.fast_decisions();
      Record r;
      fast.Decide(line, request, &r);
      ASSERT_TRUE(r.ok) << line;
      ASSERT_EQ(fast.fast_decisions(), decided_fast + 1) << "the unmutated application takes the fast path: " << line;
      rapidjson::Document original;
      original.Parse(line.c_str());
      const size_t object_count = objects_of(original).size();
      for (size_t k = 0; k < object_count; ++k) {
        for (const Mutation& mutate : mutations) {
          rapidjson::Document doc;
          doc.CopyFrom(original, doc.GetAllocator());
          if (!mutate(*objects_of(doc)[k], doc.GetAllocator())) continue;
          const std::string text = text_of(doc);
          Record a, b;
          fast.Decide(text, request, &a);
          general.Decide(text, request, &b);
          ASSERT_FALSE(a.ok) << text;
          EXPECT_EQ(a.error.code, "duplicate_key") << text;
          EXPECT_EQ(ToJson(a), ToJson(b)) << text;
          ++refused;
        }
      }
    }
  }
  EXPECT_GT(refused, 2000);
  // An object of more than 64 names no rule reads, with one repeat among
  // them: the quick check cannot tell, the general path names it.
  LoadResult loaded = LoadPack(SourceDir() + "/samples/food_sales");
  ASSERT_TRUE(loaded.ok());
  Decider fast(loaded.pack->impl());
  std::string wide = Base();
  std::string members;
  for (int i = 0; i < 70; ++i) members += "\"m" + std::to_string(i % 69) + "\": " + std::to_string(i) + ", ";
  wide.insert(wide.find('{') + 1, members);
  Record r;
  fast.Decide(wide, request, &r);
  EXPECT_EQ(r.error.code, "duplicate_key");
  EXPECT_NE(r.error.message.find("member m0 appears twice"), std::string::npos) << r.error.message;
}

}  // namespace
}  // namespace miaopi::engine
