#include "tests/testing/generate.h"

#include <filesystem>
#include <fstream>
#include <functional>

namespace miaopi::testing {

namespace {

constexpr const char* kSchema = R"(
  input {
    n1: int, n2: int, x1: number, x2: number?
    s1: string, s2: string, d1: date, d2: date, b1: bool
    tags: list<string>, nums: list<int>
    person: { name: string, birth: date, score: number, id: string }
    items: list<{ code: string, qty: int, price: number, when: date, flags: list<string> }>
  }
)";

const std::vector<std::string> kStrings = {"a", "b", "abc", "K1", "K2", "K3", "zz", "", "中文", "440605"};
const std::vector<std::string> kDates = {"2025-12-31", "2026-01-01", "2026-02-28", "2026-03-01",
                                         "2026-06-15", "2024-02-29", "2026-09-10", "2027-01-01"};

class ExprGen {
 public:
  explicit ExprGen(uint64_t seed) : rng_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }
  template <typename T>
  const T& Of(const std::vector<T>& v) {
    return v[Pick(static_cast<int>(v.size()))];
  }

  // Binders in scope: name → element kind ("item", "string", "int").
  std::vector<std::pair<std::string, std::string>> binders;
  std::vector<std::string> remembered;  // boolean expressions to reuse (exercises cse)
  bool allow_flag = false;              // the let `flag` exists (not while defining it)

  std::string Int(int d) {
    std::vector<std::function<std::string()>> options = {
        [&] { return std::to_string(Pick(12) - 2); },
        [&] {
          return Of<std::string>({"n1", "n2"});
        },
        [&] { return "count(" + List(d) + ")"; },
        [&] { return "len(" + Str(d - 1) + ")"; },
        [&] {
          return Of<std::string>({"year", "month", "day"}) + "(" + Date(d - 1) + ")";
        },
        [&] { return "age(person.birth, " + Date(d - 1) + ")"; },
        [&] { return "days_between(" + Date(d - 1) + ", " + Date(d - 1) + ")"; },
        [&] {
          return "(" + Int(d - 1) + " " + Of<std::string>({"+", "-", "*", "%"}) + " " + Int(d - 1) + ")";
        },
        [&] { return "sum(i in items: i.qty)"; },
        [&] { return "count(i in items: " + ItemBool("i", d - 1) + ")"; },
        [&] { return "t[" + Str(d - 1) + "].limit"; },
        [&] { return "abs(" + Int(d - 1) + ")"; },
        [&] {
          return Of<std::string>({"min", "max"}) + "(" + Int(d - 1) + ", " + Int(d - 1) + ")";
        },
        [&] { return "(" + Int(d - 1) + " ?? " + Int(d - 1) + ")"; },
        [&] { return "(if " + Bool(d - 1) + " then " + Int(d - 1) + " else " + Int(d - 1) + ")"; },
        [&] { return "nums[" + std::to_string(Pick(4)) + "]"; },
        [&] { return "items[" + std::to_string(Pick(3)) + "].qty"; },
        [&] { return "max(n in nums: n)"; },
        [&] { return "total"; },
        [&] { return Binder("int").empty() ? std::string("n1") : Binder("int"); },
        [&] { return Binder("item").empty() ? std::string("n2") : Binder("item") + ".qty"; },
    };
    if (d <= 0) return Pick(2) ? std::to_string(Pick(12) - 2) : Of<std::string>({"n1", "n2"});
    return options[Pick(static_cast<int>(options.size()))]();
  }

  std::string Num(int d) {
    std::vector<std::function<std::string()>> options = {
        [&] { return std::to_string(Pick(200)) + ".5"; },
        [&] {
          return Of<std::string>({"x1", "x2", "person.score"});
        },
        [&] {
          return "(" + Num(d - 1) + " " + Of<std::string>({"+", "-", "*", "/"}) + " " + Num(d - 1) + ")";
        },
        [&] { return "(" + Int(d - 1) + " / " + Int(d - 1) + ")"; },
        [&] { return "sum(i in items: i.price)"; },
        [&] { return "(x2 ?? " + Num(d - 1) + ")"; },
        [&] { return Binder("item").empty() ? std::string("x1") : Binder("item") + ".price"; },
        [&] { return "min(i in items: i.price)"; },
    };
    if (d <= 0) return Of<std::string>({"x1", "x2", "1.5", "100.0"});
    return options[Pick(static_cast<int>(options.size()))]();
  }

  std::string Str(int d) {
    std::vector<std::function<std::string()>> options = {
        [&] { return "\"" + Of(kStrings) + "\""; },
        [&] {
          return Of<std::string>({"s1", "s2", "person.name", "person.id"});
        },
        [&] {
          return Of<std::string>({"lower", "upper", "trim"}) + "(" + Str(d - 1) + ")";
        },
        [&] { return "substr(" + Str(d - 1) + ", " + std::to_string(Pick(3)) + ", " + std::to_string(Pick(4)) + ")"; },
        [&] { return "t[" + Str(d - 1) + "].label"; },
        [&] { return "tags[" + std::to_string(Pick(3)) + "]"; },
        [&] { return "(s1 ?? " + Str(d - 1) + ")"; },
        [&] { return Binder("string").empty() ? std::string("s2") : Binder("string"); },
        [&] { return Binder("item").empty() ? std::string("s1") : Binder("item") + ".code"; },
        [&] {
          return Of<std::string>({"subject.id", "subject.kind", "context.town", "subject.name ?? \"-\""});
        },
        [&] { return "band(" + Int(d - 1) + ", " + Str(d - 1) + ")"; },
        [&] { return "(" + Str(d - 1) + " + " + Str(d - 1) + ")"; },
        [&] { return "p.fields.grade"; },
        [&] { return "p.holder.id"; },
    };
    if (d <= 0) return Pick(2) ? "\"" + Of(kStrings) + "\"" : Of<std::string>({"s1", "s2"});
    return options[Pick(static_cast<int>(options.size()))]();
  }

  std::string Date(int d) {
    std::vector<std::function<std::string()>> options = {
        [&] { return "@" + Of(kDates); },
        [&] {
          return Of<std::string>({"d1", "d2", "person.birth", "today"});
        },
        [&] {
          return "(" + Date(d - 1) + " " + Of<std::string>({"+", "-"}) + " " + std::to_string(Pick(30)) + " " +
                 Of<std::string>({"days", "months", "years", "weeks"}) + ")";
        },
        [&] { return "t[" + Str(d - 1) + "].since"; },
        [&] { return "id_number_birth(person.id)"; },
        [&] { return "max(i in items: i.when)"; },
        [&] { return Binder("item").empty() ? std::string("d1") : Binder("item") + ".when"; },
        [&] { return "older(" + Date(d - 1) + ", " + Date(d - 1) + ")"; },
    };
    if (d <= 0) return Of<std::string>({"d1", "d2", "today", "@2026-03-01"});
    std::string s = options[Pick(static_cast<int>(options.size()))]();
    return s;
  }

  std::string List(int) { return Of<std::string>({"tags", "nums", "items", "[1, 2, 3]", "[s1, \"a\"]"}); }

  std::string ItemBool(const std::string& var, int d) {
    binders.push_back({var, "item"});
    std::string s = Bool(d);
    binders.pop_back();
    return s;
  }

  std::string Bool(int d) {
    if (!remembered.empty() && Chance(8)) return Of(remembered);
    std::vector<std::function<std::string()>> options = {
        [&] { return Int(d - 1) + " " + Cmp() + " " + Int(d - 1); },
        [&] { return Num(d - 1) + " " + Cmp() + " " + Num(d - 1); },
        [&] { return Int(d - 1) + " " + Cmp() + " " + Num(d - 1); },
        [&] {
          return Str(d - 1) + " " + Of<std::string>({"==", "!=", "<", ">="}) + " " + Str(d - 1);
        },
        [&] { return Date(d - 1) + " " + Cmp() + " " + Date(d - 1); },
        [&] { return std::string("b1"); },
        [&] { return "not " + Bool(d - 1); },
        [&] { return "(" + Bool(d - 1) + " and " + Bool(d - 1) + ")"; },
        [&] { return "(" + Bool(d - 1) + " or " + Bool(d - 1) + ")"; },
        [&] { return Str(d - 1) + " in [\"a\", \"b\", \"K1\", \"中文\"]"; },
        [&] { return Int(d - 1) + " not in [1, 2, 5]"; },
        [&] { return Int(d - 1) + " in nums"; },
        [&] { return Str(d - 1) + " in tags"; },
        [&] {
          return Str(d - 1) + Of<std::string>({" in t", " not in t"});
        },
        [&] {
          return Str(d - 1) + " matches \"" + Of<std::string>({"^a", "b$", "^[A-Z][0-9]$", "中"}) + "\"";
        },
        [&] {
          return "exists(" + Of<std::string>({"x2", "person", "items", "s1", "person.birth"}) + ")";
        },
        [&] {
          return Of<std::string>({"starts_with", "ends_with", "contains"}) + "(" + Str(d - 1) + ", " + Str(d - 1) + ")";
        },
        [&] {
          return Of<std::string>({"id_number_valid", "uscc_valid"}) + "(" + Str(d - 1) + ")";
        },
        [&] { return Quantifier("items", "item", d); },
        [&] { return Quantifier("tags", "string", d); },
        [&] { return Quantifier("nums", "int", d); },
        [&] { return "(if " + Bool(d - 1) + " then " + Bool(d - 1) + " else " + Bool(d - 1) + ")"; },
        [&] { return "((" + Bool(d - 1) + ") ?? (" + Bool(d - 1) + "))"; },
        [&] { return "big(" + Num(d - 1) + ")"; },
        [&] {
          return std::string(Of<std::string>({"true", "false"}));
        },
        [&] { return allow_flag ? std::string("flag") : std::string("b1"); },
        [&] { return Binder("item").empty() ? std::string("b1") : "\"x\" in " + Binder("item") + ".flags"; },
        [&] { return "subject.kind == \"natural_person\""; },
        [&] { return "subject.auth_level in [\"sms\", \"face\"]"; },
        [&] { return "p.status == \"valid\""; },
        [&] { return "exists(p)"; },
        [&] { return "p.fields.level " + Cmp() + " " + Int(d - 1); },
        [&] { return Str(d - 1) + " in p.fields.tags"; },
        [&] { return "(any r in p.related: r.id == " + Str(d - 1) + ")"; },
        [&] { return "limit(" + Int(d - 1) + ", " + Num(d - 1) + ") " + Cmp() + " " + Int(d - 1); },
    };
    std::string s;
    if (d <= 0) {
      s = Of<std::string>({"b1", "n1 > 2", "s1 == \"a\"", "d1 < today", "x1 >= 10.5", "exists(x2)"});
    } else {
      s = options[Pick(static_cast<int>(options.size()))]();
    }
    if (binders.empty() && allow_flag && Chance(20)) remembered.push_back("(" + s + ")");
    return s;
  }

  std::string Cmp() { return Of<std::string>({"==", "!=", "<", "<=", ">", ">="}); }

  // A condition as approval rules write them.
  std::string Plain(int d) {
    std::vector<std::function<std::string()>> options = {
        [&] {
          return Of<std::string>({"n1", "n2"}) + " " + Cmp() + " " + std::to_string(Pick(12) - 2);
        },
        [&] {
          return Of<std::string>({"x1", "person.score"}) + " " + Cmp() + " " + std::to_string(Pick(200)) + ".5";
        },
        [&] { return "(x2 ?? 0.0) >= " + std::to_string(Pick(50)); },
        [&] {
          return Of<std::string>({"s1", "s2", "person.name"}) + " == \"" + Of(kStrings) + "\"";
        },
        [&] {
          return Of<std::string>({"s1", "s2"}) + " != \"" + Of(kStrings) + "\"";
        },
        [&] {
          return Of<std::string>({"d1", "d2"}) + " " + Cmp() + " @" + Of(kDates);
        },
        [&] {
          return Of<std::string>({"d1", "d2"}) + " + " + std::to_string(1 + Pick(24)) + " months > today";
        },
        [&] { return "age(person.birth, today) >= 18"; },
        [&] { return "days_between(d1, today) <= " + std::to_string(Pick(400)); },
        [&] {
          return Of<std::string>({"s1", "s2"}) + " in [\"a\", \"b\", \"K1\"]";
        },
        [&] {
          return Of<std::string>({"s1", "s2"}) + Of<std::string>({" in t", " not in t"});
        },
        [&] { return "n1 in [1, 2, 5]"; },
        [&] { return std::string(Chance(50) ? "b1" : "not b1"); },
        [&] {
          return "exists(" + Of<std::string>({"x2", "s2", "person.name"}) + ")";
        },
        [&] {
          return "contains(s2, \"" + Of<std::string>({"a", "b", "K"}) + "\")";
        },
        [&] { return "s1 matches \"^[A-Z][0-9]$\""; },
        [&] {
          return "count(items) " + Of<std::string>({">=", "<="}) + " " + std::to_string(1 + Pick(3));
        },
        [&] { return "sum(i in items: i.qty) >= " + std::to_string(Pick(8)); },
        [&] {
          return "(any i in items: i.code == \"" + Of<std::string>({"K1", "K2", "a"}) + "\" and i.qty " + Cmp() + " " +
                 std::to_string(Pick(6)) + " and i.when > today)";
        },
        [&] { return "(all i in items: i.price < " + std::to_string(100 + Pick(200)) + ".5)"; },
        [&] { return "(all i in items: i.when >= @2026-01-01 or i.code in t)"; },
        [&] { return "(any v in tags: v == \"" + Of(kStrings) + "\")"; },
        [&] { return "(all v in nums: v >= 0)"; },
        [&] { return "(" + Plain(d - 1) + " or " + Plain(d - 1) + ")"; },
        [&] { return "(" + Plain(d - 1) + " and " + Plain(d - 1) + ")"; },
        [&] { return "(if b1 then " + Plain(d - 1) + " else " + Plain(d - 1) + ")"; },
        [&] { return "subject.kind == \"natural_person\""; },
        [&] { return "p.fields.level >= " + std::to_string(Pick(5)); },
    };
    if (d <= 0) return Of<std::string>({"n1 > 2", "s1 == \"a\"", "d1 < today", "x1 >= 10.5", "b1"});
    return options[Pick(static_cast<int>(options.size()))]();
  }

  std::string Binder(const std::string& kind) {
    for (auto it = binders.rbegin(); it != binders.rend(); ++it) {
      if (it->second == kind) return it->first;
    }
    return "";
  }

  std::string Quantifier(const std::string& list, const std::string& kind, int d) {
    std::string var = "v" + std::to_string(binders.size());
    binders.push_back({var, kind});
    std::string body = Bool(d - 1);
    binders.pop_back();
    return "(" + Of<std::string>({"all", "any"}) + " " + var + " in " + list + ": " + body + ")";
  }

 private:
  std::mt19937_64 rng_;
};

std::string JsonString(const std::string& s) { return "\"" + s + "\""; }

class AppGen {
 public:
  // A third of the applications are clean: every field present and well typed.
  // One in sixteen of the rest repeats some members (an error record: duplicate_key).
  explicit AppGen(uint64_t seed) : clean_(seed % 3 == 0), duplicates_(!clean_ && seed % 16 == 5), rng_(seed) {}
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }
  template <typename T>
  const T& Of(const std::vector<T>& v) {
    return v[Pick(static_cast<int>(v.size()))];
  }

  // A member "name": value, or nothing, or null, or a wrong type.
  void Field(std::string& out, const std::string& name, const std::function<std::string()>& value) {
    if (!clean_ && Chance(8)) return;  // absent
    if (!out.empty() && out.back() != '{') out += ", ";
    out += JsonString(name) + ": ";
    if (!clean_ && Chance(5)) {
      out += "null";
    } else if (!clean_ && Chance(7)) {
      out += Of<std::string>({"\"oops\"", "17", "true", "[1]", "{\"k\": 1}", "2.5", "\"2026-02-30\""});
    } else {
      out += value();
    }
    if (duplicates_ && Chance(10)) out += ", " + JsonString(name) + ": " + value();  // duplicated key
  }

  std::string Int() { return std::to_string(Pick(14) - 3); }
  std::string Num() { return Chance(30) ? std::to_string(Pick(20)) : std::to_string(Pick(300)) + ".25"; }
  std::string Str() { return JsonString(Of(kStrings)); }
  std::string Date() { return JsonString(Of(kDates)); }
  std::string Ids() {
    return JsonString(Of<std::string>({"440605199909090018", "11010519491231002X", "110105194912310021",
                                       "91440605MA4WXY1297", "440605200802290031", "K1"}));
  }

  std::string List(const std::function<std::string()>& elem) {
    std::string out = "[";
    int n = Pick(5);
    for (int i = 0; i < n; ++i) {
      if (i) out += ", ";
      out += !clean_ && Chance(5) ? (Chance(50) ? "null" : "{}") : elem();
    }
    return out + "]";
  }

  std::string Item() {
    std::string out = "{";
    Field(out, "code", [&] { return Str(); });
    Field(out, "qty", [&] { return Int(); });
    Field(out, "price", [&] { return Num(); });
    Field(out, "when", [&] { return Date(); });
    Field(out, "flags", [&] { return List([&] { return JsonString(Of<std::string>({"x", "y"})); }); });
    return out + "}";
  }

  std::string App() {
    std::string out = "{";
    out += "\"item\": \"GEN\"";
    Field(out, "n1", [&] { return Int(); });
    Field(out, "n2", [&] { return Int(); });
    Field(out, "x1", [&] { return Num(); });
    Field(out, "x2", [&] { return Num(); });
    Field(out, "s1", [&] { return Str(); });
    Field(out, "s2", [&] { return Str(); });
    Field(out, "d1", [&] { return Date(); });
    Field(out, "d2", [&] { return Date(); });
    Field(out, "b1", [&] { return std::string(Chance(50) ? "true" : "false"); });
    Field(out, "tags", [&] { return List([&] { return Str(); }); });
    Field(out, "nums", [&] { return List([&] { return Int(); }); });
    Field(out, "person", [&] {
      std::string p = "{";
      Field(p, "name", [&] { return Str(); });
      Field(p, "birth", [&] { return Date(); });
      Field(p, "score", [&] { return Num(); });
      Field(p, "id", [&] { return Ids(); });
      return p + "}";
    });
    Field(out, "items", [&] { return List([&] { return Item(); }); });
    return out + "}";
  }

 private:
  bool clean_;
  bool duplicates_;
  std::mt19937_64 rng_;
};

}  // namespace

GeneratedPack GeneratePack(uint64_t seed, int rules, RuleStyle style) {
  ExprGen gen(seed);
  std::string text = "pack \"gen\" version \"" + std::to_string(seed) + "\"\n";
  text += "table t from \"t.csv\" key code (limit: int, since: date)\n";
  text += "def older(a: date, b: date) = if a < b then a else b\n";
  text += "def big(x: number) = x > 100\n";
  text += "licence permit \"许可证\" holder natural_person { level: int, grade: string, tags: list<string> }\n";
  // Decision tables with every hit policy and both kinds of index.
  text +=
      "decision band(n: int, s: string) -> string hit first {\n"
      "  | n | s | => |\n  | < 0 | - | \"neg\" |\n  | 0, 1, 2 | \"a\", \"b\" | \"low-ab\" |\n"
      "  | [0..5] | not \"zz\" | \"low\" |\n  | > 5 | - | s + \"!\" |\n}\n";
  text += "decision limit(n: int, x: number) -> int hit " + std::string(gen.Chance(50) ? "unique" : "any") +
          " {\n"
          "  | n | x | => |\n  | < 3 | < 50.5 | 1 |\n  | < 3 | >= 50.5 | 2 |\n  | [3..6] | - | 3 |\n"
          "  | > 6 | (0..100) | 4 |\n  | > 6 | <= 0 | 5 |\n}\n";
  std::string schema = kSchema;
  if (style == RuleStyle::kPlain) schema.replace(schema.find("birth: date"), 11, "birth: date fixed");
  text += "item \"GEN\" \"generated\" {\n  effective @2020-01-01\n" + schema;
  text += "  let total = sum(i in items: i.qty)\n";
  text += gen.Chance(50) ? "  uses licence permit as p\n" : "  uses licence permit as p for person.id\n";
  text += "  output o1 = " + gen.Int(2) + "\n  output o2 = " + gen.Str(2) + "\n";
  text += "  let flag = " + gen.Bool(2) + "\n";
  gen.allow_flag = true;
  for (int r = 0; r < rules; ++r) {
    std::string cond = style == RuleStyle::kPlain ? gen.Plain(gen.Chance(70) ? 1 : 2) : gen.Bool(4);
    text += "  rule R" + std::to_string(r) + " \"rule " + std::to_string(r) + "\" require " + cond + " else " +
            (gen.Chance(50) ? "reject" : "review");
    if (gen.Chance(25)) text += std::string(" on missing ") + (gen.Chance(50) ? "reject" : "review");
    text += "\n";
  }
  text += "}\n";
  GeneratedPack pack;
  pack.files["gen.rules"] = text;
  pack.files["t.csv"] =
      "code,limit,label,since\nK1,3,first,2026-01-01\nK2,,second,\nK3,7,,2025-06-30\na,0,letter a,2026-09-10\n";
  return pack;
}

std::string GenerateApplication(uint64_t seed) { return AppGen(seed).App(); }

std::string GenerateContext(uint64_t seed) {
  AppGen gen(seed);
  if (gen.Chance(10)) return "";
  std::string subject = "{";
  gen.Field(subject, "kind", [&] { return JsonString(gen.Chance(70) ? "natural_person" : "legal_person"); });
  gen.Field(subject, "id", [&] { return JsonString(gen.Of<std::string>({"P1", "P2", "P3", "440605199909090018"})); });
  gen.Field(subject, "auth_level", [&] { return JsonString(gen.Of<std::string>({"password", "sms", "face"})); });
  gen.Field(subject, "name", [&] { return JsonString("某"); });
  subject += "}";
  std::string out = "{";
  gen.Field(out, "subject", [&] { return subject; });
  gen.Field(out, "town", [&] { return JsonString(gen.Of<std::string>({"440605124", "440605011"})); });
  return out + "}";
}

std::vector<std::string> GenerateLicences(uint64_t seed) {
  AppGen gen(seed);
  std::vector<std::string> out;
  int n = 3 + gen.Pick(6);
  for (int i = 0; i < n; ++i) {
    std::string holder = gen.Of<std::string>({"P1", "P2", "P3", "440605199909090018", "K1"});
    std::string kind = gen.Chance(80) ? "natural_person" : "legal_person";
    std::string related =
        gen.Chance(40) ? "[{\"id\": \"" + gen.Of<std::string>({"P1", "P2", "P3"}) + "\", \"relation\": \"agent\"}]"
                       : "[]";
    std::string status = gen.Of<std::string>({"valid", "valid", "valid", "revoked"});
    std::string expires = gen.Of<std::string>({"null", "\"2025-01-01\"", "\"2030-01-01\""});
    std::string fields = "{\"level\": " + std::to_string(gen.Pick(6)) + ", \"grade\": \"" + gen.Of(kStrings) +
                         "\", \"tags\": [\"" + gen.Of(kStrings) + "\"]}";
    if (gen.Chance(10)) fields = "{\"level\": \"oops\"}";
    out.push_back("{\"type\": \"permit\", \"number\": \"N" + std::to_string(i) + "\", \"holder\": {\"id\": \"" +
                  holder + "\", \"kind\": \"" + kind + "\"}, \"related\": " + related + ", \"status\": \"" + status +
                  "\", \"issued\": \"202" + std::to_string(gen.Pick(6)) + "-01-01\", \"expires\": " + expires +
                  ", \"fields\": " + fields + "}");
  }
  return out;
}

void WritePack(const GeneratedPack& pack, const std::string& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const auto& [path, text] : pack.files) {
    std::ofstream out(std::filesystem::path(dir) / path, std::ios::binary);
    out << text;
  }
}

}  // namespace miaopi::testing
