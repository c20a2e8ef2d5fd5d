// Tests for verify/z3_strings: the facts about Z3 4.8.12's strings the encoding relies on, string literals
// both ways, and a differential test of TranslateRegex against RE2::PartialMatch (Z3's witnesses for and
// against each language, and random strings, must be judged the same way by RE2).
#include "verify/z3_strings.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <ostream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace miaopi::verify {
namespace {

// A guard against a query that never ends, not a speed test: these queries
// take a second or less alone, and one took past 5 s (answering "unknown")
// on two cores shared with a build and the rest of the suite.
constexpr unsigned kTimeoutMs = 60000;

// A failed z3::expr is null. (`!e` would be Z3's logical not and assert on a non-Bool.)
bool IsNull(const z3::expr& e) { return static_cast<Z3_ast>(e) == nullptr; }

z3::solver MakeSolver(z3::context& ctx) {
  z3::solver solver(ctx);
  z3::params params(ctx);
  params.set("timeout", kTimeoutMs);
  solver.set(params);
  return solver;
}

std::string Printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x80) {
      out.push_back(static_cast<char>(c));  // keep UTF-8 readable
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", c);
      out += escape;
    }
  }
  return "\"" + out + "\"";
}

z3::expr AnyString(z3::context& ctx) {
  z3::sort string_sort = ctx.string_sort();
  return z3::re_full(ctx.re_sort(string_sort));
}

// The strings containing `text`, as a language (Σ*·text·Σ*), to intersect with others.
z3::expr Containing(z3::context& ctx, const std::string& text) {
  return z3::concat(AnyString(ctx), z3::concat(z3::to_re(StringConstant(ctx, text)), AnyString(ctx)));
}

// Splits UTF-8 into characters (each a std::string) so mutations keep the text valid.
std::vector<std::string> Characters(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// ---- What Z3 4.8.12 does (the experiment the encoding is built on) --------------------------------------

TEST(Z3StringFacts, CharactersAreCodePointsUpToU2FFFF) {
  z3::context ctx;
  EXPECT_EQ(StringLengthUnit(ctx), Z3StringUnit::kCodePoints);
  EXPECT_EQ(ctx.string_val("\\u{4e2d}").length().simplify().get_numeral_int(), 1);
  EXPECT_EQ(ctx.string_val("\\u{2ffff}").length().simplify().get_numeral_int(), 1);
  EXPECT_THROW(ctx.string_val("\\u{30000}"), z3::exception);
  // Six hex digits are not an escape: ten plain characters.
  EXPECT_EQ(ctx.string_val("\\u{10ffff}").length().simplify().get_numeral_int(), 10);
  // No character above U+2FFFF exists.
  z3::solver solver = MakeSolver(ctx);
  const z3::expr x = ctx.string_const("x");
  solver.add(x.length() == 1);
  solver.add(!z3::in_re(x, z3::range(ctx.string_val("\\u{0}"), ctx.string_val("\\u{2ffff}"))));
  EXPECT_EQ(solver.check(), z3::unsat);
}

TEST(Z3StringFacts, MkStringDoesNotDecodeUtf8ButDecodesUEscapes) {
  z3::context ctx;
  // Raw UTF-8 bytes become one (sign-extended) character each: "中" is three characters.
  EXPECT_EQ(ctx.string_val("中").length().simplify().get_numeral_int(), 3);
  EXPECT_EQ(ctx.string_val("\\u{41}").get_escaped_string(), "A");
  EXPECT_EQ(ctx.string_val("\\u4e2d").length().simplify().get_numeral_int(), 1);
  // Other backslash sequences are plain text.
  EXPECT_EQ(ctx.string_val("\\x41").length().simplify().get_numeral_int(), 4);
  EXPECT_EQ(ctx.string_val("\\n").length().simplify().get_numeral_int(), 2);
  // The escaped printing does not escape a backslash: two different strings print alike.
  const z3::expr six_chars = ctx.string_val("\\u{5c}u{41}").simplify();
  EXPECT_EQ(six_chars.length().simplify().get_numeral_int(), 6);
  EXPECT_EQ(six_chars.get_escaped_string(), "\\u{41}");
}

TEST(Z3StringFacts, IntersectedMembershipsAreDecided) {
  // Separately, in_re(x, ^a+$) and in_re(x, Σ*bΣ*) run to the timeout in 4.8.12; as one membership of
  // the intersection they are refuted at once.
  z3::context ctx;
  const RegexResult only_a = TranslateRegex(ctx, "^a+$");
  const RegexResult has_b = TranslateRegex(ctx, "b");
  ASSERT_TRUE(only_a.language && has_b.language);
  z3::expr_vector both(ctx);
  both.push_back(*only_a.language);
  both.push_back(*has_b.language);
  z3::solver solver = MakeSolver(ctx);
  solver.add(z3::in_re(ctx.string_const("x"), z3::re_intersect(both)));
  EXPECT_EQ(solver.check(), z3::unsat);
}

// ---- String literals both ways ---------------------------------------------------------------------------

std::vector<std::string> RoundTripTexts() {
  return {"",
          "hello, world",
          "食品经营许可证",
          "混合 mixed 文本 123",
          "\\",
          "a\\b",
          "\\\\",
          "\\u{41}",
          "\\u4e2d",
          "\\u{4e2d}",
          "\\x41",
          "\\n",
          "\"",
          "\"\"",
          "'quoted'",
          std::string("nul\0inside", 10),
          std::string("\0", 1),
          "\x01\x02\x1f",
          "tab\tnewline\ncr\r",
          "\x7f",
          "é ü ß",
          "\xC2\x80\xC2\xFF",  // U+0080, and a broken sequence (not UTF-8)
          "😀 emoji",
          "\xF0\xAF\xBF\xBF",  // U+2FFFF, the last character Z3 holds
          "{}[]()|*+?.^$"};
}

TEST(StringConstant, RoundTripsThroughSimplify) {
  z3::context ctx;
  for (const std::string& text : RoundTripTexts()) {
    std::optional<z3::expr> literal = TryStringConstant(ctx, text);
    if (text == "\xC2\x80\xC2\xFF") {
      EXPECT_FALSE(literal) << "not UTF-8";
      continue;
    }
    ASSERT_TRUE(literal) << Printable(text);
    EXPECT_EQ(StringFromModel(literal->simplify()), text) << Printable(text);
    EXPECT_EQ(StringFromModel(StringConstant(ctx, text).simplify()), text) << Printable(text);
  }
}

TEST(StringConstant, RoundTripsThroughModels) {
  z3::context ctx;
  const z3::expr x = ctx.string_const("x");
  for (const std::string& text : RoundTripTexts()) {
    std::optional<z3::expr> literal = TryStringConstant(ctx, text);
    if (!literal) continue;
    z3::solver solver = MakeSolver(ctx);
    solver.add(x == *literal);
    ASSERT_EQ(solver.check(), z3::sat) << Printable(text);
    EXPECT_EQ(StringFromModel(solver.get_model().eval(x, true)), text) << Printable(text);
  }
}

TEST(StringConstant, ModelTextContainingEscapeLookalikeComesBack) {
  // A model Z3 invents (not one we built) whose printing is ambiguous.
  z3::context ctx;
  const z3::expr x = ctx.string_const("x");
  z3::solver solver = MakeSolver(ctx);
  solver.add(x.contains(StringConstant(ctx, "\\u{4e2d}")));
  solver.add(x.contains(StringConstant(ctx, "中")));
  solver.add(x.length() == 9);
  ASSERT_EQ(solver.check(), z3::sat);
  std::optional<std::string> text = StringFromModel(solver.get_model().eval(x, true));
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("\\u{4e2d}"), std::string::npos) << Printable(*text);
  EXPECT_NE(text->find("中"), std::string::npos) << Printable(*text);
}

TEST(StringConstant, CodePointsLiteralsAndLength) {
  z3::context ctx;
  EXPECT_TRUE(z3::eq(StringConstant(ctx, "食品a"), ctx.string_val("\\u{98df}\\u{54c1}a")));
  EXPECT_EQ(CodePointLength(ctx, StringConstant(ctx, "食品a")).simplify().get_numeral_int(), 3);
  EXPECT_EQ(CodePointLength(ctx, StringConstant(ctx, "😀")).simplify().get_numeral_int(), 1);
  EXPECT_EQ(CodePointLength(ctx, StringConstant(ctx, "\\u{41}")).simplify().get_numeral_int(), 6);
  EXPECT_EQ(CodePointLength(ctx, StringConstant(ctx, std::string("\0", 1))).simplify().get_numeral_int(), 1);
}

TEST(StringConstant, TextZ3CannotHoldIsRefusedOrReplaced) {
  z3::context ctx;
  const std::string plane14 = "a\xF3\xA0\x80\x81z";    // U+E0001
  const std::string max_unicode = "\xF4\x8F\xBF\xBF";  // U+10FFFF
  const std::string overlong = "\xC0\xAF";
  const std::string truncated = "\xE4\xB8";
  for (const std::string& text : {plane14, max_unicode, overlong, truncated, std::string("\xFF")}) {
    EXPECT_FALSE(TryStringConstant(ctx, text)) << Printable(text);
    const z3::expr replaced = StringConstant(ctx, text);
    ASSERT_FALSE(IsNull(replaced));
    std::optional<std::string> back = StringFromModel(replaced.simplify());
    ASSERT_TRUE(back);
    EXPECT_NE(back->find("\xEF\xBF\xBD"), std::string::npos) << Printable(*back);  // U+FFFD
  }
  EXPECT_EQ(StringFromModel(StringConstant(ctx, plane14).simplify()), "a\xEF\xBF\xBDz");
}

TEST(StringConstant, FailuresAreValuesNotExceptions) {
  z3::context ctx;
  const z3::expr n = ctx.int_const("n");
  EXPECT_FALSE(StringFromModel(n));
  EXPECT_FALSE(StringFromModel(ctx.int_val(3)));
  EXPECT_FALSE(StringFromModel(ctx.string_const("x")));  // not a value
  EXPECT_FALSE(StringFromModel(z3::expr(ctx)));
  EXPECT_TRUE(IsNull(CodePointLength(ctx, n)));
  EXPECT_TRUE(IsNull(WellFormedText(ctx, n)));
}

TEST(StringConstant, WellFormedTextExcludesSurrogates) {
  z3::context ctx;
  const z3::expr x = ctx.string_const("x");
  z3::solver solver = MakeSolver(ctx);
  solver.add(WellFormedText(ctx, x));
  solver.add(x == ctx.string_val("a\\u{d800}"));
  EXPECT_EQ(solver.check(), z3::unsat);
  z3::solver other = MakeSolver(ctx);
  other.add(WellFormedText(ctx, x));
  other.add(x == StringConstant(ctx, "食品\xF0\xAF\xBF\xBF"));
  EXPECT_EQ(other.check(), z3::sat);
  // A surrogate in a model comes out as its three bytes, and goes back in.
  const std::string surrogate = "\xED\xA0\x80";
  ASSERT_TRUE(TryStringConstant(ctx, surrogate));
  EXPECT_EQ(StringFromModel(ctx.string_val("\\u{d800}").simplify()), surrogate);
}

// With unicode=false Z3's characters are bytes; everything beyond ASCII is refused rather than guessed.
TEST(StringConstant, ByteModeIsRefusedBeyondAscii) {
  struct RestoreUnicode {
    ~RestoreUnicode() { z3::set_param("unicode", true); }
  } restore;
  z3::set_param("unicode", false);
  z3::context ctx;
  EXPECT_EQ(StringLengthUnit(ctx), Z3StringUnit::kBytes);
  EXPECT_FALSE(TryStringConstant(ctx, "食品"));
  EXPECT_FALSE(TryStringConstant(ctx, "é"));
  EXPECT_EQ(StringFromModel(StringConstant(ctx, "ok \\u{41}").simplify()), "ok \\u{41}");
  EXPECT_EQ(StringFromModel(StringConstant(ctx, "食").simplify()), "?");
  EXPECT_TRUE(IsNull(CodePointLength(ctx, ctx.string_const("x"))));
  EXPECT_TRUE(IsNull(WellFormedText(ctx, ctx.string_const("x"))));
  RegexResult result = TranslateRegex(ctx, "abc");
  EXPECT_FALSE(result.language);
  EXPECT_NE(result.why_not.find("unicode=false"), std::string::npos) << result.why_not;
}

// ---- Regular expressions ---------------------------------------------------------------------------------

struct PatternCase {
  std::string pattern;
  // Strings RE2 matches, chosen by hand to reach every alternative: Z3 proposes the other witnesses, and a
  // translation that lost part of the language would rarely be caught by those alone.
  std::vector<std::string> examples;
  bool matches_everything = false;  // no string is outside the language
};

std::ostream& operator<<(std::ostream& out, const PatternCase& c) { return out << c.pattern; }

const std::vector<PatternCase>& Patterns() {
  static const std::vector<PatternCase> patterns = {
      {"abc", {"xxabcxx"}},
      {"^abc", {"abcdef"}},
      {"abc$", {"xyzabc"}},
      {"^abc$", {"abc"}},
      {"食品", {"有机食品店"}},
      {"^食品", {"食品安全"}},
      {"^[^食品]+$", {"药物a\n"}},
      {R"(^\d{6}$)", {"100086"}},
      {"^[0-9A-HJ-NPQRTUWXY]{18}$", {"91350100M000100Y43"}},
      {R"(^1[3-9]\d{9}$)", {"13912345678", "19900000000"}},
      {"^(a|bc)*$", {"abca", "bcbca", ""}},
      {"a|b", {"xbx", "a"}},
      {"^a|b$", {"ax", "xb"}},
      {"^(?:foo|bar)+$", {"foobarfoo", "bar"}},
      {"colou?r", {"color", "the colour"}},
      {"^a{2,4}$", {"aa", "aaaa"}},
      {"^a{3,}$", {"aaaaaaa"}},
      {"^(ab){0}c$", {"c"}},
      {"^x{0,2}y$", {"y", "xxy"}},
      {"^a{,3}$", {"a{,3}"}},  // not a count: literal "{,3}"
      {"^a{01}$", {"a{01}"}},  // no leading zeros in a count: literal
      {"^a{2}?$", {"aa"}},     // non-greedy count
      {".", {"\t"}},
      {"^.$", {"食"}},
      {"^.*$", {"any text 😀"}},
      {R"(\n)", {"a\nb"}},
      {"^[^a]$", {"\n", "b"}},
      {R"(^\D\S\W$)", {"\n食 "}},
      {R"(^[\d\s]+$)", {"1 2\t3\n"}},
      {R"(^\w+@\w+\.com$)", {"first_Last9@example.com"}},
      {"^[a-z]+-[0-9]+$", {"abc-123"}},
      {"^[a-]$", {"-", "a"}},
      {"^[]a]$", {"]", "a"}},
      {R"(^[^]a]$)", {"b"}},
      {R"(^[\]\\\-]+$)", {R"(]\-)"}},
      {R"(^[a-c-e]$)", {"-", "e", "b"}},
      {R"(^[\d-z]$)", {"-", "z", "5"}},
      {R"(\.\*\+\?\(\)\[\]\{\}\|\^\$)", {R"(.*+?()[]{}|^$)"}},
      {R"(^\x41\x{4e2d}\101\0$)", {std::string("A中A\0", 6)}},
      {"^\\t\\r\\f\\v\\a$", {"\t\r\f\v\a"}},
      {"^$", {""}},
      {"", {"", "anything"}, true},
      {"a*", {"bbb"}, true},
      {"^(|a)b$", {"b", "ab"}},
      {"a+?b*?c??", {"xaaz"}},
      {"^[A-Z]{2}\\d{2}[A-Z ]*$", {"GB82 WEST", "AB12"}},
      {"^(食品|药品)(经营|生产)许可证$", {"药品生产许可证", "食品经营许可证"}},
      {R"(^[\x{4e00}-\x{9fa5}]{2,4}$)", {"一龥"}},
      {R"(^[^\x00-\x7f]*$)", {"é食😀"}},
      {R"(\Aab\z)", {"ab"}},
      {"^a]b}$", {"a]b}"}},
      {R"(^(?P<year>\d{4})-(?P<month>\d{2})$)", {"2024-06"}},
      {"😀", {"hi 😀"}},
      {R"(^[^\d]$)", {"x"}},
      {R"(^\Qa.b*\E+$)", {"a.b***"}},
      {R"(^[\x{10000}-\x{10FFFF}]$)", {"\xF0\x90\x80\x80", "😀"}},
      {R"(x[^\x{30000}-\x{10FFFF}]y)", {"x\ny"}},
  };
  return patterns;
}

// Characters the random strings are made of: all of ASCII (every class boundary there), the characters the
// patterns name, and code points at the UTF-8 length boundaries and the ends of what Z3 holds.
std::vector<std::string> Alphabet() {
  std::vector<std::string> alphabet;
  for (int c = 0; c < 0x80; ++c) alphabet.emplace_back(1, static_cast<char>(c));
  const std::string others =
      "\xC2\x80"  // U+0080, U+07FF, U+0800: where UTF-8 lengths change
      "\xDF\xBF"
      "\xE0\xA0\x80"
      "é食品药经营生产许可证中一"
      "\xE9\xBE\xA5"  // U+9FA5, U+9FA6: the end of the usual Han range and just past it
      "\xE9\xBE\xA6"
      "\xED\x9F\xBF"  // U+D7FF, U+E000: either side of the surrogates
      "\xEE\x80\x80"
      "\xEF\xBF\xBF"  // U+FFFF
      "😀"
      "\xF0\x90\x80\x80"   // U+10000
      "\xF0\xAF\xBF\xBF";  // U+2FFFF, the last character Z3 holds
  for (const std::string& c : Characters(others)) alphabet.push_back(c);
  return alphabet;
}

class RegexDifferential : public testing::TestWithParam<PatternCase> {};

TEST_P(RegexDifferential, AgreesWithRe2) {
  const std::string& pattern = GetParam().pattern;
  SCOPED_TRACE("pattern " + Printable(pattern));
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 re(pattern, options);
  ASSERT_TRUE(re.ok()) << re.error();

  z3::context ctx;
  const RegexResult result = TranslateRegex(ctx, pattern);
  ASSERT_TRUE(result.language) << result.why_not;
  EXPECT_TRUE(result.why_not.empty());
  const z3::expr language = *result.language;
  const z3::expr x = ctx.string_const("x");

  // Witnesses: Z3's strings in and out of the language, under a few side constraints, several each. The
  // languages are intersected into one membership, as the verifier must (see the header: Z3 4.8.12 does not
  // refute two separate memberships of one string).
  std::vector<std::string> witnesses;
  const z3::expr no_side_language = AnyString(ctx);
  const std::vector<std::tuple<std::string, z3::expr, z3::expr>> side_constraints = {
      {"none", ctx.bool_val(true), no_side_language},
      {"len <= 2", x.length() <= 2, no_side_language},
      {"len >= 7", x.length() >= 7, no_side_language},
      {"contains 食", ctx.bool_val(true), Containing(ctx, "食")},
      {"contains \\n", ctx.bool_val(true), Containing(ctx, "\n")},
      {"contains a U+10000 char", ctx.bool_val(true), Containing(ctx, "\xF0\x90\x80\x80")},
  };
  for (const bool inside : {true, false}) {
    for (const auto& [name, side, side_language] : side_constraints) {
      z3::solver solver = MakeSolver(ctx);
      z3::expr_vector languages(ctx);
      languages.push_back(WellFormedTextLanguage(ctx));
      languages.push_back(inside ? language : z3::re_complement(language));
      languages.push_back(side_language);
      solver.add(z3::in_re(x, z3::re_intersect(languages)));
      solver.add(side);
      for (int round = 0; round < 2; ++round) {
        const z3::check_result answer = solver.check();
        ASSERT_NE(answer, z3::unknown) << (inside ? "in" : "not in") << ", " << name << ": " << solver.reason_unknown();
        if (answer == z3::unsat) {
          if (name == "none" && round == 0) {
            EXPECT_TRUE(!inside && GetParam().matches_everything) << (inside ? "empty language" : "no string outside");
          }
          break;
        }
        const z3::expr value = solver.get_model().eval(x, true);
        std::optional<std::string> text = StringFromModel(value);
        ASSERT_TRUE(text) << value;
        EXPECT_EQ(RE2::PartialMatch(*text, re), inside)
            << (inside ? "Z3 says in the language: " : "Z3 says not in the language: ") << Printable(*text) << " ("
            << name << ")";
        witnesses.push_back(*text);
        solver.add(x != StringConstant(ctx, *text));
      }
    }
  }

  for (const std::string& example : GetParam().examples) {
    ASSERT_TRUE(RE2::PartialMatch(example, re)) << "bad example " << Printable(example);
    witnesses.push_back(example);
  }

  // Random strings and the witnesses, asked the way the verifier asks (a fresh solver, x == s ∧ x ∈ L; fresh
  // because after push() Z3 4.8.12 is far slower at this), must get RE2's answer. So must Z3's rewriter on
  // the ground membership, which then decides the many near-misses below.
  const auto solver_says = [&](const std::string& s) -> std::optional<bool> {
    std::optional<z3::expr> literal = TryStringConstant(ctx, s);
    if (!literal) return std::nullopt;
    z3::solver solver = MakeSolver(ctx);
    solver.add(x == *literal);
    solver.add(z3::in_re(x, language));
    const z3::check_result answer = solver.check();
    if (answer == z3::unknown) return std::nullopt;
    return answer == z3::sat;
  };
  const auto rewriter_says = [&](const std::string& s) -> std::optional<bool> {
    const z3::expr member = z3::in_re(StringConstant(ctx, s), language).simplify();
    if (member.is_true() || member.is_false()) return member.is_true();
    return solver_says(s);  // the rewriter did not decide it
  };
  const std::vector<std::string> alphabet = Alphabet();
  std::mt19937 random(20240611u + static_cast<unsigned>(pattern.size()));
  const auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  const auto join = [](const std::vector<std::string>& chars) {
    std::string out;
    for (const std::string& c : chars) out += c;
    return out;
  };
  std::vector<std::string> asked = witnesses;
  for (int i = 0; i < 20; ++i) {
    std::string s;
    for (size_t length = pick(12); length > 0; --length) s += alphabet[pick(alphabet.size())];
    asked.push_back(s);
  }
  int matched = 0;
  for (const std::string& s : asked) {
    const std::optional<bool> z3_says = solver_says(s);
    ASSERT_TRUE(z3_says) << "solver gave no answer for " << Printable(s);
    const bool re2_says = RE2::PartialMatch(s, re);
    EXPECT_EQ(*z3_says, re2_says) << "string " << Printable(s);
    EXPECT_EQ(rewriter_says(s), re2_says) << "rewriter, string " << Printable(s);
    matched += re2_says;
  }
  EXPECT_GT(matched, 0) << "no string asked is in the language";
  if (!GetParam().matches_everything) {
    EXPECT_LT(matched, static_cast<int>(asked.size())) << "every string asked is in the language";
  }

  // Near-misses of the witnesses: each character repeated once more and dropped (counts show there), random
  // edits, and every single-character substitution at a few positions (class boundaries show there).
  std::vector<std::string> near_misses;
  for (const std::string& witness : witnesses) {
    const std::vector<std::string> chars = Characters(witness);
    for (size_t at = 0; at < chars.size(); ++at) {
      std::vector<std::string> longer = chars, shorter = chars;
      longer.insert(longer.begin() + at, chars[at]);
      shorter.erase(shorter.begin() + at);
      near_misses.push_back(join(longer));
      near_misses.push_back(join(shorter));
    }
    for (int i = 0; i < 4; ++i) {
      std::vector<std::string> edited = chars;
      const size_t at = pick(edited.size() + 1);
      const bool inside = at < edited.size();
      switch (pick(4)) {
        case 0: edited.insert(edited.begin() + at, alphabet[pick(alphabet.size())]); break;
        case 1:
          if (inside) edited.erase(edited.begin() + at);
          break;
        case 2:
          if (inside) edited.insert(edited.begin() + at, edited[at]);
          break;
        default:
          if (inside) edited[at] = alphabet[pick(alphabet.size())];
      }
      near_misses.push_back(join(edited));
    }
  }
  for (size_t w = 0; w < 4 && !witnesses.empty(); ++w) {
    const std::vector<std::string> chars = Characters(witnesses[w * witnesses.size() / 4]);
    for (int round = 0; round < 3 && !chars.empty(); ++round) {
      const size_t at = pick(chars.size());
      for (const std::string& replacement : alphabet) {
        std::vector<std::string> changed = chars;
        changed[at] = replacement;
        near_misses.push_back(join(changed));
      }
    }
  }
  for (const std::string& s : near_misses) {
    const std::optional<bool> z3_says = rewriter_says(s);
    ASSERT_TRUE(z3_says) << "no answer for " << Printable(s);
    EXPECT_EQ(*z3_says, RE2::PartialMatch(s, re)) << "near-miss " << Printable(s);
  }
}

INSTANTIATE_TEST_SUITE_P(Patterns, RegexDifferential, testing::ValuesIn(Patterns()),
                         [](const testing::TestParamInfo<PatternCase>& info) { return std::to_string(info.index); });

TEST(TranslateRegex, UnsupportedPatternsSayWhy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"(?i)abc", "flags"},
      {"(?s).", "flags"},
      {"(?i:a)b", "flags"},
      {R"(\bfoo\b)", "\\b word boundaries are not encoded"},
      {R"(a\B)", "\\b word boundaries"},
      {R"(\pN)", "\\p Unicode"},
      {R"(\p{Han}+)", "\\p Unicode"},
      {R"([\p{Han}a])", "\\p Unicode"},
      {"a^b", "^ and \\A"},
      {"a$b", "$ and \\z"},
      {"(^a)", "^ and \\A"},
      {"(a$)", "$ and \\z"},
      {"^^a", "^ and \\A"},
      {"a{1001}", "RE2 rejects"},
      {"(a{100}){100}", "RE2 rejects"},
      {"[[:alpha:]]", "POSIX"},
      {R"(\C)", "\\C"},
      {R"(\x{E0001})", "above U+2FFFF"},
      {"[\xF3\xA0\x80\x81]", "above U+2FFFF"},
      {"(a", "RE2 rejects"},
      {R"(\1)", "RE2 rejects"},
      {"a**", "RE2 rejects"},
      {R"(\Z)", "RE2 rejects"},
  };
  z3::context ctx;
  for (const auto& [pattern, reason] : cases) {
    const RegexResult result = TranslateRegex(ctx, pattern);
    EXPECT_FALSE(result.language) << pattern;
    EXPECT_NE(result.why_not.find(reason), std::string::npos) << pattern << " -> " << result.why_not;
  }
}

TEST(TranslateRegex, AnchorsAtTopLevelAlternatives) {
  z3::context ctx;
  const RegexResult result = TranslateRegex(ctx, "^ab|cd$|^ef$|gh");
  ASSERT_TRUE(result.language) << result.why_not;
  const RE2 re("^ab|cd$|^ef$|gh");
  z3::solver solver = MakeSolver(ctx);
  const z3::expr x = ctx.string_const("x");
  solver.add(z3::in_re(x, *result.language));
  for (const char* s : {"abx", "xab", "xcd", "cdx", "ef", "xef", "efx", "xghx", "", "a"}) {
    solver.push();
    solver.add(x == StringConstant(ctx, s));
    EXPECT_EQ(solver.check() == z3::sat, RE2::PartialMatch(s, re)) << s;
    solver.pop();
  }
}

}  // namespace
}  // namespace miaopi::verify
