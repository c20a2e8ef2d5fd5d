// Private to dsl/parser/: the parse state every semantic action reaches
// through the context, the context type the grammar is instantiated for,
// the skipper, and hand-written X3 primitive parsers for the lexemes
// (identifiers, keywords, strings, numbers, dates).
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"

namespace miaopi::dsl::parser {

namespace x3 = boost::spirit::x3;

// Thrown after a diagnostic was already recorded (too deep, unterminated
// string); the driver recovers without adding another message.
struct ParseAbort {};

struct ParseState {
  Module* module = nullptr;
  uint32_t file = 0;
  const char* base = nullptr;  // start of the file's text
  Diagnostics* diags = nullptr;
  uint32_t nesting = 0;
  uint32_t max_nesting = 64;
  uint32_t chain = 0;  // right-associative operators open around here
  uint32_t max_height = 512;
  ItemDecl* item = nullptr;  // the item whose members are being parsed
  DecisionDecl* decision = nullptr;  // the decision table whose header was parsed
  std::vector<const char*> marks;  // starts of the enclosing at[] constructs

  Span SpanOf(const char* begin, const char* end) const {
    return {file, static_cast<uint32_t>(begin - base), static_cast<uint32_t>(end - base)};
  }
};

struct state_tag;

// Skips one run of white space or one `#` comment.
struct Skipper : x3::parser<Skipper> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr&) const {
    if (first == last) return false;
    char c = *first;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      while (first != last && (*first == ' ' || *first == '\t' || *first == '\r' || *first == '\n')) ++first;
      return true;
    }
    if (c == '#') {
      while (first != last && *first != '\n') ++first;
      return true;
    }
    return false;
  }
};

using iterator_type = const char*;
using skipper_type = Skipper;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type = x3::context<state_tag, ParseState, phrase_context_type>;

// Skips white space and comments by hand (spans of semantic actions start
// before the skipper ran).
inline const char* SkipBlank(const char* p, const char* end) {
  for (;;) {
    while (p != end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
    if (p != end && *p == '#') {
      while (p != end && *p != '\n') ++p;
      continue;
    }
    return p;
  }
}

inline bool IsIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
inline bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// Words an identifier may not be: they can appear inside expressions.
inline bool IsReserved(std::string_view w) {
  static constexpr std::string_view kWords[] = {"and",  "or",   "not",   "in",      "if",   "then",
                                                "else", "true", "false", "matches", "today"};
  for (std::string_view k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// A lexeme with its span.
struct Token {
  std::string text;
  Span span;
};

template <typename Ctx>
ParseState& State(Ctx const& ctx) {
  return x3::get<state_tag>(ctx);
}

// Reads [A-Za-z_][A-Za-z0-9_]*; with `reserved_ok` false it refuses the
// reserved words. Attribute: Token.
struct WordParser : x3::parser<WordParser> {
  using attribute_type = Token;
  static bool const has_attribute = true;
  bool reserved_ok = false;
  // false: refuse a declaration keyword (pack, table, …) that starts a new
  // line, so a missing name is reported where it is missing.
  bool declaration_ok = true;

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    It before = first;
    x3::skip_over(first, last, ctx);
    It p = first;
    if (p == last || !IsIdentStart(*p)) return false;
    while (p != last && IsIdentChar(*p)) ++p;
    std::string_view w(first, p - first);
    if (!reserved_ok && IsReserved(w)) return false;
    if (!declaration_ok && std::find(before, first, '\n') != first &&
        (w == "pack" || w == "table" || w == "def" || w == "schema" || w == "item" || w == "rules" ||
         w == "decision" || w == "licence" || w == "property")) {
      return false;
    }
    Token t{std::string(w), State(ctx).SpanOf(first, p)};
    first = p;
    x3::traits::move_to(t, attr);
    return true;
  }
};

// A keyword as a whole word. No attribute.
struct KeywordParser : x3::parser<KeywordParser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  std::string_view word;

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr&) const {
    x3::skip_over(first, last, ctx);
    if (static_cast<size_t>(last - first) < word.size()) return false;
    if (std::string_view(first, word.size()) != word) return false;
    It p = first + word.size();
    if (p != last && IsIdentChar(*p)) return false;
    first = p;
    return true;
  }
};

// One of a fixed set of words, yielding the value mapped to it.
template <typename T, size_t N>
struct WordChoiceParser : x3::parser<WordChoiceParser<T, N>> {
  using attribute_type = T;
  static bool const has_attribute = true;
  std::pair<std::string_view, T> choices[N];
  std::string_view name;

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    x3::skip_over(first, last, ctx);
    It p = first;
    while (p != last && IsIdentChar(*p)) ++p;
    std::string_view w(first, p - first);
    for (const auto& [word, value] : choices) {
      if (w == word) {
        first = p;
        T v = value;
        x3::traits::move_to(v, attr);
        return true;
      }
    }
    return false;
  }
};

// "…" with \" \\ \n \t \uXXXX. Attribute: Token holding the decoded text.
struct StringParser : x3::parser<StringParser> {
  using attribute_type = Token;
  static bool const has_attribute = true;

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    x3::skip_over(first, last, ctx);
    if (first == last || *first != '"') return false;
    ParseState& st = State(ctx);
    Token t;
    It p = first + 1;
    for (;;) {
      if (p == last || *p == '\n') {
        st.diags->Error(ErrorCode::kUnterminatedString, st.SpanOf(first, p),
                        "string literal is not closed on this line");
        throw ParseAbort{};
      }
      char c = *p;
      if (c == '"') break;
      if (c != '\\') {
        t.text += c;
        ++p;
        continue;
      }
      It esc = p++;
      if (p == last || *p == '\n') continue;  // reported as unterminated next round
      char e = *p++;
      switch (e) {
        case '"': t.text += '"'; break;
        case '\\': t.text += '\\'; break;
        case 'n': t.text += '\n'; break;
        case 't': t.text += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          int digits = 0;
          while (digits < 4 && p != last && std::isxdigit(static_cast<unsigned char>(*p))) {
            char h = *p++;
            cp = cp * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            ++digits;
          }
          if (digits != 4 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            st.diags->Error(ErrorCode::kBadEscape, st.SpanOf(esc, p),
                            "\\u needs four hex digits naming a character (no surrogates)");
            break;
          }
          AppendUtf8(t.text, cp);
          break;
        }
        default:
          st.diags->Error(ErrorCode::kBadEscape, st.SpanOf(esc, p),
                          std::string("unknown escape '\\") + e + "'; use \\\" \\\\ \\n \\t or \\uXXXX");
      }
    }
    t.span = st.SpanOf(first, p + 1);
    first = p + 1;
    x3::traits::move_to(t, attr);
    return true;
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
};

// 42 or 35.5. Attribute: Literal (kInt or kNumber) — range errors recorded.
struct NumberParser : x3::parser<NumberParser> {
  using attribute_type = Literal;
  static bool const has_attribute = true;

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    x3::skip_over(first, last, ctx);
    It p = first;
    while (p != last && *p >= '0' && *p <= '9') ++p;
    if (p == first) return false;
    Literal lit;
    bool decimal = false;
    if (p != last && *p == '.' && p + 1 != last && p[1] >= '0' && p[1] <= '9') {
      decimal = true;
      ++p;
      while (p != last && *p >= '0' && *p <= '9') ++p;
    }
    std::string text(first, p);
    ParseState& st = State(ctx);
    if (decimal) {
      lit.kind = LiteralKind::kNumber;
      lit.d = std::strtod(text.c_str(), nullptr);
    } else {
      lit.kind = LiteralKind::kInt;
      errno = 0;
      unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) {
        st.diags->Error(ErrorCode::kBadNumber, st.SpanOf(first, p),
                        "integer literal " + text + " does not fit in 64 bits");
        v = 0;
      }
      lit.i = static_cast<int64_t>(v);
    }
    lit.s = std::move(text);  // the spelling, for spans and dumps
    first = p;
    x3::traits::move_to(lit, attr);
    return true;
  }
};

// @YYYY-MM-DD naming a real day. Attribute: Literal (kDate).
struct DateParser : x3::parser<DateParser> {
  using attribute_type = Literal;
  static bool const has_attribute = true;

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx&, Attr& attr) const {
    x3::skip_over(first, last, ctx);
    if (first == last || *first != '@') return false;
    It p = first + 1;
    while (p != last && ((*p >= '0' && *p <= '9') || *p == '-')) ++p;
    std::string_view text(first + 1, p - first - 1);
    Literal lit;
    lit.kind = LiteralKind::kDate;
    if (std::optional<int32_t> d = ParseIsoDate(text)) {
      lit.date = *d;
    } else {
      ParseState& st = State(ctx);
      st.diags->Error(ErrorCode::kBadDate, st.SpanOf(first, p),
                      "'@" + std::string(text) + "' is not a real calendar day (write @YYYY-MM-DD)");
    }
    first = p;
    x3::traits::move_to(lit, attr);
    return true;
  }
};

// What a DepthParser counts.
enum class Depth {
  kNesting,  // nest[]: parentheses, not, unary minus, if and quantifier bodies
  kChain,    // chain[]: the right operand of a right-associative operator (`??`)
};

// Counts depth around a recursive grammar entry and stops, with E005,
// before deep input can exhaust the stack. Left-associative chains are
// parsed in a loop and bounded by Seal; a right-associative one recurses
// once per operator, so its descent is counted here, against the same
// height limit.
template <typename Subject, Depth kKind>
struct DepthParser : x3::unary_parser<Subject, DepthParser<Subject, kKind>> {
  using base_type = x3::unary_parser<Subject, DepthParser<Subject, kKind>>;
  static bool const is_pass_through_unary = true;
  constexpr DepthParser(Subject const& subject) : base_type(subject) {}

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
    ParseState& st = State(ctx);
    uint32_t& depth = kKind == Depth::kNesting ? st.nesting : st.chain;
    uint32_t limit = kKind == Depth::kNesting ? st.max_nesting : st.max_height;
    if (depth >= limit) {
      It at = SkipBlank(first, last);
      st.diags->Error(ErrorCode::kTooDeep, st.SpanOf(at, at == last ? at : at + 1),
                      kKind == Depth::kNesting
                          ? "expression nested more than " + std::to_string(limit) + " levels deep"
                          : "expression is more than " + std::to_string(limit) + " operators tall; split it with let");
      throw ParseAbort{};
    }
    ++depth;
    struct Restore {
      uint32_t& depth;
      ~Restore() { --depth; }
    } restore{depth};
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};

// at[p]: remembers where p starts, so p's actions can span what p matched
// (X3 1.81's _where holds the end of the match, not its start).
template <typename Subject>
struct AtParser : x3::unary_parser<Subject, AtParser<Subject>> {
  using base_type = x3::unary_parser<Subject, AtParser<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr AtParser(Subject const& subject) : base_type(subject) {}

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
    ParseState& st = State(ctx);
    st.marks.push_back(SkipBlank(first, last));
    struct Pop {
      ParseState& st;
      ~Pop() { st.marks.pop_back(); }
    } pop{st};
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};

struct AtGen {
  template <typename Subject>
  constexpr AtParser<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& subject) const {
    return {x3::as_parser(subject)};
  }
};

inline constexpr AtGen at{};

template <Depth kKind>
struct DepthGen {
  template <typename Subject>
  constexpr DepthParser<typename x3::extension::as_parser<Subject>::value_type, kKind> operator[](
      Subject const& subject) const {
    return {x3::as_parser(subject)};
  }
};

inline constexpr DepthGen<Depth::kNesting> nest{};
inline constexpr DepthGen<Depth::kChain> chain{};
inline const WordParser identifier{{}, false, true};
inline const WordParser any_word{{}, true, true};  // field names may be reserved words
// A table's key column: not a declaration keyword, so a missing key is
// reported where it is missing instead of eating the next declaration.
inline const WordParser column_word{{}, true, false};
inline const StringParser string_lit{};
inline const NumberParser number_lit{};
inline const DateParser date_lit{};

inline KeywordParser kw(std::string_view word) {
  KeywordParser k;
  k.word = word;
  return k;
}

}  // namespace miaopi::dsl::parser

namespace boost::spirit::x3 {

// Readable names for "expected …" messages.
template <>
struct get_info<miaopi::dsl::parser::WordParser> {
  using result_type = std::string;
  std::string operator()(miaopi::dsl::parser::WordParser const&) const { return "a name"; }
};
template <>
struct get_info<miaopi::dsl::parser::KeywordParser> {
  using result_type = std::string;
  std::string operator()(miaopi::dsl::parser::KeywordParser const& p) const {
    return "'" + std::string(p.word) + "'";
  }
};
template <typename T, size_t N>
struct get_info<miaopi::dsl::parser::WordChoiceParser<T, N>> {
  using result_type = std::string;
  std::string operator()(miaopi::dsl::parser::WordChoiceParser<T, N> const& p) const {
    return std::string(p.name);
  }
};
template <>
struct get_info<miaopi::dsl::parser::StringParser> {
  using result_type = std::string;
  std::string operator()(miaopi::dsl::parser::StringParser const&) const { return "a string \"…\""; }
};
template <>
struct get_info<miaopi::dsl::parser::NumberParser> {
  using result_type = std::string;
  std::string operator()(miaopi::dsl::parser::NumberParser const&) const { return "a number"; }
};
template <>
struct get_info<miaopi::dsl::parser::DateParser> {
  using result_type = std::string;
  std::string operator()(miaopi::dsl::parser::DateParser const&) const { return "a date @YYYY-MM-DD"; }
};

}  // namespace boost::spirit::x3
