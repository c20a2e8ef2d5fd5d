// Strings and regular expressions for the Z3 encoding of rules.
//
// Entry points:
//   TranslateRegex     RE2 pattern -> the Z3 regular language of the strings that `s matches "pattern"` accepts
//                      (RE2::PartialMatch with default options), or why it cannot be encoded.
//   StringConstant     UTF-8 text -> Z3 string literal; TryStringConstant says when the text cannot be held exactly.
//   StringFromModel    Z3 string value (from model.eval) -> UTF-8 text.
//   StringLengthUnit   what str.len counts in this context; CodePointLength is the engine's len(s).
//   WellFormedText     the constraint that a Z3 string is text the engine can receive (no surrogates);
//                      WellFormedTextLanguage is the same as a language, to intersect with others.
//
// How Z3 4.8.12 represents strings (found by experiment; z3_strings_test.cc pins each fact):
//   - A string is a sequence of Unicode code points 0..U+2FFFF (the SMT-LIB 2.6 range), not bytes, so str.len
//     counts code points like the engine's len(s). Texts with code points above U+2FFFF (planes 3-16) cannot
//     be represented. With Z3's global parameter unicode=false characters are bytes 0..0xFF instead; this
//     file then refuses everything beyond ASCII rather than guess.
//   - Z3_mk_string (context::string_val(std::string)) does not decode UTF-8: each byte becomes a character,
//     sign-extended ("中" becomes three characters \u{ffffffe4}...). It does decode \u{h} (1-5 hex digits)
//     and \uhhhh escapes, and no others. \u{10ffff} (6 digits) is silently left as ten characters and
//     \u{30000} throws. StringConstant therefore writes everything but printable ASCII, and every backslash,
//     as \u{hex} with at most five digits.
//   - Z3_get_string (expr::get_escaped_string) prints 0x20..0x7F as themselves and everything else as
//     \u{hex}, without escaping the backslash: the text `\u{41}` prints exactly like "A". Z3_get_lstring
//     (expr::get_string) garbles characters above 0xFF. StringFromModel parses the escaped form, checks the
//     reading by rebuilding the literal, and reads character by character when the reading was ambiguous.
//
// The regular-language equivalence holds for every string Z3 can hold: s ∈ TranslateRegex(p) ⇔
// RE2::PartialMatch(utf8(s), RE2(p)). Negated classes and `.` are cut to U+2FFFF; a pattern that names a
// character above U+2FFFF is refused, since the encoding could never produce a witness for it.
//
// Solving: Z3 4.8.12 decides one membership of a string quickly (by derivatives) but does not intersect two:
// in_re(x, A) ∧ in_re(x, B), or in_re(x, A) ∧ str.contains(x, c), runs to the timeout when it is unsat.
// Assert in_re(x, re.inter(A, B, ...)) instead, negations as re.complement inside it, and str.contains as
// the language Σ*·c·Σ*. Length bounds (x.length() <= n) combine fine. After push() the solver runs
// incrementally and slower: x == "literal" ∧ x ∈ L for unanchored \w+@\w+\.com took 250 ms there against
// 4 ms in a fresh solver.
//
// No exception escapes these functions: failures are a nullopt, a why_not, or a null z3::expr (test with
// `static_cast<Z3_ast>(e) == nullptr`; `!e` would be Z3's logical not).
#pragma once

#include <z3++.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace miaopi::verify {

// The largest character of a Z3 4.8.12 string in its default (unicode) mode.
inline constexpr uint32_t kZ3MaxCodePoint = 0x2FFFF;

struct RegexResult {
  std::optional<z3::expr> language;  // sort (RegEx String); set exactly when why_not is empty
  std::string why_not;               // e.g. "\b word boundaries are not encoded"
};

// The language of strings RE2::PartialMatch(s, RE2(re2_pattern)) accepts: an unanchored pattern P becomes
// Σ*·P·Σ*, and ^ / \A at the start or $ / \z at the end of a top-level alternative drop the Σ* on that side.
// Refused (language empty, why_not set): patterns RE2 rejects, flags such as (?i), \b \B, \p classes,
// [[:alpha:]], \C, anchors anywhere else, characters above U+2FFFF, and Z3 running with unicode=false.
RegexResult TranslateRegex(z3::context& ctx, std::string_view re2_pattern);

// A Z3 string literal equal to `utf8`; nullopt when the text is not UTF-8, holds a code point above
// U+2FFFF (or above 0x7F when Z3 runs with unicode=false), or Z3 fails. Use this for text from data.
// Surrogates written as three bytes are accepted so that StringFromModel's output always comes back in.
std::optional<z3::expr> TryStringConstant(z3::context& ctx, std::string_view utf8);

// As TryStringConstant, for text known to be representable (e.g. literals of a checked rule). What cannot
// be held is replaced by U+FFFD ('?' with unicode=false), so check TryStringConstant first when it matters.
// A null expr only if Z3 itself fails.
z3::expr StringConstant(z3::context& ctx, std::string_view utf8);

// The UTF-8 text of a string value such as model.eval(x, true); nullopt if `value` is not a string literal
// (or, with unicode=false, holds a character above 0x7F). Surrogates come out as three bytes (as RE2 reads).
std::optional<std::string> StringFromModel(const z3::expr& value);

// What str.len counts in `ctx`: code points in Z3 4.8.12's default mode; bytes with unicode=false.
enum class Z3StringUnit { kCodePoints, kBytes, kUnknown };
Z3StringUnit StringLengthUnit(z3::context& ctx);

// The engine's len(s) (UTF-8 code points) as a Z3 Int: s.length() when StringLengthUnit is kCodePoints.
// Otherwise not supported: a null expr, as for an `s` that is not a string.
z3::expr CodePointLength(z3::context& ctx, const z3::expr& s);

// The strings without surrogates (U+D800..U+DFFF): Z3 allows them, but valid UTF-8 cannot carry them and
// the engine only receives valid UTF-8, so constrain every string variable to it and models are real inputs.
// (NUL stays allowed.) WellFormedText(ctx, s) is in_re(s, WellFormedTextLanguage(ctx)). A null expr when
// unsupported (unicode=false) or `s` is not a string.
z3::expr WellFormedTextLanguage(z3::context& ctx);
z3::expr WellFormedText(z3::context& ctx, const z3::expr& s);

}  // namespace miaopi::verify
