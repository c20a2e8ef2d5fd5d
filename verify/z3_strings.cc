// Strings and regular expressions for the Z3 encoding; see z3_strings.h for Z3 4.8.12's string model.
//
// The regex translator is a recursive-descent parser for the RE2 syntax subset it encodes. RE2 compiles
// the pattern first, so the parser only meets patterns RE2 accepts, and it follows RE2's own parser
// (re2/parse.cc) where the syntax is subtle: `{` that is not a valid count is a literal, counts have no
// leading zeros, `-` is a literal where it cannot make a range, `]` first in a class is a literal.
#include "verify/z3_strings.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace miaopi::verify {
namespace {

constexpr uint32_t kLastUnicode = 0x10FFFF;  // the largest rune RE2 reads
constexpr uint32_t kReplacementChar = 0xFFFD;
constexpr int kMaxRepeat = 1000;   // RE2 refuses larger counts; checked again for a clear message
constexpr int kMaxNesting = 1000;  // bounds the parser's recursion (RE2 accepts deeper nesting)

bool IsHex(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
uint32_t HexValue(char32_t c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

// ---- UTF-8 -------------------------------------------------------------------------------------------

// Reads the character at `at` into *cp and returns its byte length, or 0 when the bytes are not UTF-8
// (truncated, overlong, past U+10FFFF). Surrogates are accepted: Z3 holds them and RE2 reads them.
size_t DecodeOne(std::string_view text, size_t at, uint32_t* cp) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(at);
  if (lead < 0x80) {
    *cp = lead;
    return 1;
  }
  size_t length;
  uint32_t value, smallest;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, smallest = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    const uint8_t next = byte(at + i);
    if ((next & 0xC0) != 0x80) return 0;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < smallest || value > kLastUnicode) return 0;
  *cp = value;
  return length;
}

std::optional<std::u32string> DecodeUtf8(std::string_view text) {
  std::u32string out;
  for (size_t at = 0; at < text.size();) {
    uint32_t cp;
    const size_t length = DecodeOne(text, at, &cp);
    if (length == 0) return std::nullopt;
    out.push_back(cp);
    at += length;
  }
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  for (char32_t cp : text) AppendUtf8(cp, &out);
  return out;
}

// ---- Z3 literals -------------------------------------------------------------------------------------

// Z3_mk_string reads raw bytes as (sign-extended) characters and decodes only \u escapes, so all but
// printable ASCII, and every backslash (else `\u41` in the text would be decoded), becomes \u{hex}.
// Every code point must be at most kZ3MaxCodePoint: a sixth hex digit is not read as part of the escape.
std::string Z3LiteralSource(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (cp >= 0x20 && cp < 0x7F && cp != '\\') {
      out.push_back(static_cast<char>(cp));
    } else {
      char escape[16];
      std::snprintf(escape, sizeof escape, "\\u{%x}", static_cast<unsigned>(cp));
      out += escape;
    }
  }
  return out;
}

z3::expr MakeLiteral(z3::context& ctx, std::u32string_view text) { return ctx.string_val(Z3LiteralSource(text)); }

z3::expr CharLiteral(z3::context& ctx, uint32_t cp) { return MakeLiteral(ctx, std::u32string(1, cp)); }

// Whether `e` holds no AST. (Not `!e`: z3::operator! is the logical negation of a Bool term.)
bool IsNull(const z3::expr& e) { return static_cast<Z3_ast>(e) == nullptr; }

// re.union of one or more languages. Spelled out because in z3++ 4.8.12 `a + b` is the union of two languages
// while `a | b` is a bit-vector or, which on languages fails silently with a null expr.
z3::expr ReUnion(z3::context& ctx, const std::vector<z3::expr>& parts) {
  if (parts.size() == 1) return parts[0];
  std::vector<Z3_ast> args(parts.begin(), parts.end());
  Z3_ast result = Z3_mk_re_union(ctx, static_cast<unsigned>(args.size()), args.data());
  ctx.check_error();
  return z3::expr(ctx, result);
}

bool IsStringSort(const z3::expr& e) { return !IsNull(e) && Z3_is_string_sort(e.ctx(), e.get_sort()); }

// The largest character a string in `ctx` may hold, given what StringLengthUnit found.
uint32_t MaxChar(Z3StringUnit unit) { return unit == Z3StringUnit::kCodePoints ? kZ3MaxCodePoint : 0x7F; }

// Reads Z3's escaped printing of a string: printable ASCII as itself, anything else as \u{hex}. The
// reading may be wrong for texts that themselves contain `\u{`; the caller checks it.
std::optional<std::u32string> ParseEscaped(std::string_view escaped) {
  std::u32string out;
  for (size_t i = 0; i < escaped.size();) {
    if (escaped.substr(i, 3) == "\\u{") {
      size_t end = i + 3;
      uint32_t cp = 0;
      while (end < escaped.size() && end - (i + 3) < 6 && IsHex(static_cast<unsigned char>(escaped[end]))) {
        cp = cp * 16 + HexValue(static_cast<unsigned char>(escaped[end++]));
      }
      if (end > i + 3 && end < escaped.size() && escaped[end] == '}' && cp <= kZ3MaxCodePoint) {
        out.push_back(cp);
        i = end + 1;
        continue;
      }
    }
    const auto byte = static_cast<unsigned char>(escaped[i]);
    if (byte < 0x20 || byte > 0x7F) return std::nullopt;  // not a form Z3 prints
    out.push_back(byte);
    ++i;
  }
  return out;
}

// Reads a string value one character at a time: a one-character string prints unambiguously.
std::optional<std::u32string> ReadCharByChar(const z3::expr& value) {
  z3::context& ctx = value.ctx();
  const z3::expr length = value.length().simplify();
  if (!length.is_numeral()) return std::nullopt;
  const int n = length.get_numeral_int();
  std::u32string out;
  for (int i = 0; i < n; ++i) {
    const z3::expr one = value.at(ctx.int_val(i)).simplify();
    if (!one.is_string_value()) return std::nullopt;
    const std::string printed = one.get_escaped_string();
    if (printed.size() == 1) {
      out.push_back(static_cast<unsigned char>(printed[0]));
      continue;
    }
    std::optional<std::u32string> parsed = ParseEscaped(printed);
    if (!parsed || parsed->size() != 1) return std::nullopt;
    out += *parsed;
  }
  return out;
}

// Whether `text` is exactly the string literal `value` (Z3 shares equal literals, so this is identity).
bool IsLiteralOf(const std::u32string& text, const z3::expr& value) {
  if (std::any_of(text.begin(), text.end(), [](char32_t cp) { return cp > kZ3MaxCodePoint; })) return false;
  return z3::eq(MakeLiteral(value.ctx(), text), value);
}

// ---- Regular expressions -----------------------------------------------------------------------------

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;  // inclusive code point ranges

Ranges Normalized(Ranges ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges out;
  for (const auto& [lo, hi] : ranges) {
    if (!out.empty() && lo <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, hi);
    } else {
      out.emplace_back(lo, hi);
    }
  }
  return out;
}

// Negation as RE2 does it: over all of Unicode, \n included.
Ranges Complement(const Ranges& ranges) {
  Ranges out;
  uint32_t next = 0;
  for (const auto& [lo, hi] : Normalized(ranges)) {
    if (lo > next) out.emplace_back(next, lo - 1);
    next = hi + 1;
  }
  if (next <= kLastUnicode) out.emplace_back(next, kLastUnicode);
  return out;
}

// RE2's Perl classes are ASCII-only.
Ranges PerlClass(char32_t name) {
  Ranges ranges;
  switch (name) {
    case 'd':
    case 'D': ranges = {{'0', '9'}}; break;
    case 's':
    case 'S': ranges = {{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}}; break;  // no \v, as in RE2
    case 'w':
    case 'W': ranges = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; break;
  }
  return (name == 'D' || name == 'S' || name == 'W') ? Complement(ranges) : ranges;
}

bool IsOctal(char32_t c) { return c >= '0' && c <= '7'; }
bool IsAsciiAlnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string Hex(uint32_t cp) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(cp));
  return text;
}

class RegexTranslator {
 public:
  RegexTranslator(z3::context& ctx, std::u32string pattern)
      : ctx_(ctx), pattern_(std::move(pattern)), string_sort_(ctx.string_sort()), re_sort_(ctx.re_sort(string_sort_)) {}

  const std::string& why_not() const { return why_not_; }

  // The union over top-level alternatives of [Σ*]·body·[Σ*], the Σ* dropped on an anchored side.
  std::optional<z3::expr> Translate() {
    std::vector<z3::expr> alternatives;
    while (true) {
      const size_t start_anchor = StartAnchorLength();
      const bool anchored_start = start_anchor > 0;
      pos_ += start_anchor;
      bool anchored_end = false;
      std::optional<z3::expr> body = ParseConcat(/*top_level=*/true, &anchored_end);
      if (!body) return std::nullopt;
      std::vector<z3::expr> parts;
      if (!anchored_start) parts.push_back(AnyString());
      parts.push_back(*body);
      if (!anchored_end) parts.push_back(AnyString());
      alternatives.push_back(Concat(parts));
      if (AtEnd()) break;
      if (Peek() != '|') return Unsupported("unbalanced )");
      ++pos_;
    }
    return Union(alternatives);
  }

 private:
  struct Count {
    int min = 0;
    int max = -1;  // -1: unbounded
    size_t end = 0;
  };

  // What an escape stands for: one character, or a Perl class such as \\d.
  struct Escape {
    char32_t ch = 0;
    std::optional<Ranges> perl_class;
  };

  // An atom is a single literal character (kept apart so runs of them become one to_re) or a language.
  struct Atom {
    std::optional<z3::expr> language;
    char32_t literal = 0;
  };

  bool AtEnd() const { return pos_ >= pattern_.size(); }
  char32_t Peek(size_t ahead = 0) const { return pos_ + ahead < pattern_.size() ? pattern_[pos_ + ahead] : 0; }

  std::nullopt_t Unsupported(std::string why) {
    if (why_not_.empty()) why_not_ = std::move(why);
    return std::nullopt;
  }

  size_t StartAnchorLength() const {
    if (Peek() == '^') return 1;
    return Peek() == '\\' && Peek(1) == 'A' ? 2 : 0;
  }
  size_t EndAnchorLength() const {
    if (Peek() == '$') return 1;
    return Peek() == '\\' && Peek(1) == 'z' ? 2 : 0;
  }

  z3::expr AnyString() { return z3::re_full(re_sort_); }
  z3::expr Epsilon() { return z3::to_re(ctx_.string_val("")); }

  z3::expr Concat(const std::vector<z3::expr>& parts) {
    if (parts.empty()) return Epsilon();
    if (parts.size() == 1) return parts[0];
    z3::expr_vector vector(ctx_);
    for (const z3::expr& part : parts) vector.push_back(part);
    return z3::concat(vector);
  }

  z3::expr Union(const std::vector<z3::expr>& parts) {
    if (parts.empty()) return z3::re_empty(re_sort_);
    return ReUnion(ctx_, parts);
  }

  // A character set, cut to what Z3 holds (see the header: the cut loses only strings Z3 cannot hold).
  z3::expr CharSet(const Ranges& ranges) {
    std::vector<z3::expr> parts;
    for (auto [lo, hi] : Normalized(ranges)) {
      if (lo > kZ3MaxCodePoint) break;
      hi = std::min(hi, kZ3MaxCodePoint);
      parts.push_back(lo == hi ? z3::to_re(CharLiteral(ctx_, lo))
                               : z3::range(CharLiteral(ctx_, lo), CharLiteral(ctx_, hi)));
    }
    return Union(parts);
  }

  // A character the pattern names explicitly: one above U+2FFFF would silently become "no match".
  bool CheckNamed(uint32_t cp) {
    if (cp <= kZ3MaxCodePoint) return true;
    Unsupported("the pattern names " + Hex(cp) + ", above U+2FFFF, the largest character Z3 4.8.12 holds");
    return false;
  }

  std::optional<z3::expr> ParseAlternation() {
    std::vector<z3::expr> alternatives;
    while (true) {
      bool unused_end_anchor = false;
      std::optional<z3::expr> body = ParseConcat(/*top_level=*/false, &unused_end_anchor);
      if (!body) return std::nullopt;
      alternatives.push_back(*body);
      if (AtEnd() || Peek() != '|') break;
      ++pos_;
    }
    return Union(alternatives);
  }

  std::optional<z3::expr> ParseConcat(bool top_level, bool* anchored_end) {
    std::vector<z3::expr> pieces;
    std::u32string run;  // adjacent literal characters, emitted as one to_re(literal)
    const auto flush = [&] {
      if (!run.empty()) pieces.push_back(z3::to_re(MakeLiteral(ctx_, run)));
      run.clear();
    };
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      if (const size_t length = EndAnchorLength()) {
        pos_ += length;
        if (!top_level || (!AtEnd() && Peek() != '|')) {
          return Unsupported("$ and \\z are only encoded at the end of the pattern or of a top-level alternative");
        }
        *anchored_end = true;
        break;
      }
      if (StartAnchorLength()) {
        return Unsupported("^ and \\A are only encoded at the start of the pattern or of a top-level alternative");
      }
      std::optional<Atom> atom;
      if (Peek() == '\\' && Peek(1) == 'Q') {
        // \Q...\E: literal text up to \E; a repetition after it applies to its last character, as in RE2.
        pos_ += 2;
        std::u32string quoted;
        while (!AtEnd() && !(Peek() == '\\' && Peek(1) == 'E')) quoted.push_back(pattern_[pos_++]);
        if (!AtEnd()) pos_ += 2;
        if (quoted.empty()) {
          if (AtRepetition()) return Unsupported("a repetition after an empty \\Q\\E is not encoded");
          continue;
        }
        for (char32_t cp : quoted) {
          if (!CheckNamed(cp)) return std::nullopt;
        }
        run.append(quoted, 0, quoted.size() - 1);
        atom = Atom{std::nullopt, quoted.back()};
      } else {
        atom = ParseAtom();
        if (!atom) return std::nullopt;
      }
      if (AtRepetition()) {
        flush();
        const z3::expr operand = atom->language ? *atom->language : z3::to_re(CharLiteral(ctx_, atom->literal));
        std::optional<z3::expr> repeated = ParseRepetition(operand);
        if (!repeated) return std::nullopt;
        pieces.push_back(*repeated);
      } else if (atom->language) {
        flush();
        pieces.push_back(*atom->language);
      } else {
        run.push_back(atom->literal);
      }
    }
    flush();
    return Concat(pieces);
  }

  // RE2's MaybeParseRepetition: {n}, {n,}, {n,m} with decimal numbers without leading zeros; anything
  // else starting with `{` is a literal `{`.
  std::optional<Count> ParseCount(size_t at) const {
    if (at >= pattern_.size() || pattern_[at] != '{') return std::nullopt;
    size_t p = at + 1;
    const auto number = [&](int* out) {
      const size_t start = p;
      if (p >= pattern_.size() || pattern_[p] < '0' || pattern_[p] > '9') return false;
      if (pattern_[p] == '0' && p + 1 < pattern_.size() && pattern_[p + 1] >= '0' && pattern_[p + 1] <= '9') {
        return false;
      }
      int value = 0;
      while (p < pattern_.size() && pattern_[p] >= '0' && pattern_[p] <= '9') {
        if (value >= 100000000) return false;  // RE2 gives up here too, making `{` a literal
        value = value * 10 + static_cast<int>(pattern_[p++] - '0');
      }
      *out = value;
      return p > start;
    };
    Count count;
    if (!number(&count.min)) return std::nullopt;
    if (p < pattern_.size() && pattern_[p] == ',') {
      ++p;
      if (p < pattern_.size() && pattern_[p] == '}') {
        count.max = -1;
      } else if (!number(&count.max)) {
        return std::nullopt;
      }
    } else {
      count.max = count.min;
    }
    if (p >= pattern_.size() || pattern_[p] != '}') return std::nullopt;
    count.end = p + 1;
    return count;
  }

  bool AtRepetition() const {
    const char32_t c = Peek();
    return c == '*' || c == '+' || c == '?' || (c == '{' && ParseCount(pos_));
  }

  // One repetition operator and its optional non-greedy `?` (same language). RE2 refuses stacked operators.
  std::optional<z3::expr> ParseRepetition(const z3::expr& operand) {
    z3::expr result = operand;
    const char32_t op = Peek();
    if (op == '*') {
      result = z3::star(operand);
      ++pos_;
    } else if (op == '+') {
      result = z3::plus(operand);
      ++pos_;
    } else if (op == '?') {
      result = z3::option(operand);
      ++pos_;
    } else {
      const Count count = *ParseCount(pos_);
      if (count.min > kMaxRepeat || count.max > kMaxRepeat) {
        return Unsupported("counted repetition over " + std::to_string(kMaxRepeat) + " is not encoded");
      }
      result = Repeat(operand, count.min, count.max);
      pos_ = count.end;
    }
    if (Peek() == '?') ++pos_;
    if (AtRepetition()) return Unsupported("stacked repetition operators are not encoded");
    return result;
  }

  // Z3's loop(lo, 0) means "lo or more", so the bounds are spelled out case by case.
  z3::expr Repeat(const z3::expr& operand, int min, int max) {
    if (max < 0) {
      if (min == 0) return z3::star(operand);
      z3::expr at_least = operand;
      return z3::concat(at_least.loop(min, min), z3::star(operand));
    }
    if (max == 0) return Epsilon();
    z3::expr bounded = operand;
    return bounded.loop(min, max);
  }

  std::optional<Atom> ParseAtom() {
    const char32_t c = pattern_[pos_++];
    switch (c) {
      case '(': {
        std::optional<z3::expr> group = ParseGroup();
        if (!group) return std::nullopt;
        return Atom{*group};
      }
      case '[': {
        std::optional<z3::expr> set = ParseClass();
        if (!set) return std::nullopt;
        return Atom{*set};
      }
      case '.': return Atom{CharSet({{0, '\n' - 1}, {'\n' + 1, kLastUnicode}})};
      case '*':
      case '+':
      case '?': return Unsupported("a repetition operator without an operand is not encoded");
      case '{':
        if (ParseCount(pos_ - 1)) return Unsupported("a repetition operator without an operand is not encoded");
        return Atom{std::nullopt, c};
      case '\\': {
        std::optional<Escape> escape = ParseEscape(/*in_class=*/false);
        if (!escape) return std::nullopt;
        if (escape->perl_class) return Atom{CharSet(*escape->perl_class)};
        if (!CheckNamed(escape->ch)) return std::nullopt;
        return Atom{std::nullopt, escape->ch};
      }
      default:
        if (!CheckNamed(c)) return std::nullopt;
        return Atom{std::nullopt, c};
    }
  }

  // After `(`: (re), (?:re), (?P<name>re) and (?<name>re); other (? forms set flags.
  std::optional<z3::expr> ParseGroup() {
    if (Peek() == '?') {
      if (Peek(1) == ':') {
        pos_ += 2;
      } else if ((Peek(1) == 'P' && Peek(2) == '<') || Peek(1) == '<') {
        pos_ += Peek(1) == 'P' ? 3 : 2;
        const size_t name_start = pos_;
        while (!AtEnd() && (IsAsciiAlnum(Peek()) || Peek() == '_')) ++pos_;
        if (pos_ == name_start || Peek() != '>') return Unsupported("this (?< group form is not encoded");
        ++pos_;
      } else {
        return Unsupported("flags such as (?i) and other (? group options are not encoded");
      }
    }
    if (++depth_ > kMaxNesting) return Unsupported("groups nested deeper than 1000 are not encoded");
    std::optional<z3::expr> inner = ParseAlternation();
    --depth_;
    if (!inner) return std::nullopt;
    if (AtEnd() || Peek() != ')') return Unsupported("missing )");
    ++pos_;
    return inner;
  }

  // After `\`; nullopt when the escape is not encoded.
  std::optional<Escape> ParseEscape(bool in_class) {
    if (AtEnd()) return Unsupported("trailing \\");
    const char32_t c = pattern_[pos_++];
    switch (c) {
      case 'd':
      case 'D':
      case 's':
      case 'S':
      case 'w':
      case 'W': return Escape{0, PerlClass(c)};
      case 'b':
      case 'B': return Unsupported("\\b word boundaries are not encoded");
      case 'p':
      case 'P': return Unsupported("\\p Unicode character classes are not encoded");
      case 'C': return Unsupported("\\C (any byte) is not encoded");
      case 'A':
      case 'z': return Unsupported("^ and $ anchors (\\A, \\z) are only encoded at the start and end of the pattern");
      case 'Q':
      case 'E': return Unsupported(in_class ? "\\Q in a class is not encoded" : "\\E without \\Q is not encoded");
      case 'n': return Escape{U'\n'};
      case 'r': return Escape{U'\r'};
      case 't': return Escape{U'\t'};
      case 'a': return Escape{U'\a'};
      case 'f': return Escape{U'\f'};
      case 'v': return Escape{U'\v'};
      case 'x': {
        uint32_t code = 0;
        if (Peek() == '{') {
          ++pos_;
          size_t digits = 0;
          while (!AtEnd() && IsHex(Peek())) {
            code = code * 16 + HexValue(pattern_[pos_++]);
            if (code > kLastUnicode) return Unsupported("\\x{...} above U+10FFFF");
            ++digits;
          }
          if (digits == 0 || Peek() != '}') return Unsupported("malformed \\x{...}");
          ++pos_;
          return Escape{code};
        }
        if (!IsHex(Peek()) || !IsHex(Peek(1))) return Unsupported("malformed \\x escape");
        code = HexValue(Peek()) * 16 + HexValue(Peek(1));
        pos_ += 2;
        return Escape{code};
      }
      default:
        if (IsOctal(c)) {
          // RE2: \0 and \1-\7 followed by an octal digit start an octal escape of up to three digits;
          // a lone \1-\7 would be a backreference, which RE2 refuses.
          if (c != '0' && !IsOctal(Peek())) return Unsupported("backreferences are not encoded");
          uint32_t code = c - '0';
          for (int more = 0; more < 2 && !AtEnd() && IsOctal(Peek()); ++more)
            code = code * 8 + (pattern_[pos_++] - '0');
          return Escape{code};
        }
        if (c < 0x80 && !IsAsciiAlnum(c)) return Escape{c};  // escaped punctuation is itself
        return Unsupported(std::string("the escape \\") + (c < 0x80 ? std::string(1, static_cast<char>(c)) : "") +
                           " is not encoded");
    }
  }

  // After `[`.
  std::optional<z3::expr> ParseClass() {
    const bool negated = Peek() == '^';
    if (negated) ++pos_;
    Ranges ranges;
    for (bool first = true;; first = false) {
      if (AtEnd()) return Unsupported("missing ]");
      if (Peek() == ']' && !first) {
        ++pos_;
        break;
      }
      if (Peek() == '[' && Peek(1) == ':') return Unsupported("POSIX classes such as [[:alpha:]] are not encoded");
      uint32_t lo;
      if (Peek() == '\\') {
        ++pos_;
        std::optional<Escape> escape = ParseEscape(/*in_class=*/true);
        if (!escape) return std::nullopt;
        if (escape->perl_class) {
          ranges.insert(ranges.end(), escape->perl_class->begin(), escape->perl_class->end());
          continue;
        }
        lo = escape->ch;
      } else {
        lo = pattern_[pos_++];
      }
      uint32_t hi = lo;
      if (Peek() == '-' && pos_ + 1 < pattern_.size() && Peek(1) != ']') {  // [a-] is a and -
        ++pos_;
        if (Peek() == '\\') {
          ++pos_;
          std::optional<Escape> escape = ParseEscape(/*in_class=*/true);
          if (!escape) return std::nullopt;
          if (escape->perl_class) return Unsupported("a range ending in a Perl class");
          hi = escape->ch;
        } else {
          hi = pattern_[pos_++];
        }
        if (hi < lo) return Unsupported("bad character class range");
      }
      // A negated class names what it leaves out, which is harmless to cut; a positive one must be held.
      if (!negated && !CheckNamed(lo)) return std::nullopt;
      ranges.emplace_back(lo, hi);
    }
    return CharSet(negated ? Complement(ranges) : ranges);
  }

  z3::context& ctx_;
  const std::u32string pattern_;
  z3::sort string_sort_;
  z3::sort re_sort_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string why_not_;
};

}  // namespace

// ---- Public entry points -----------------------------------------------------------------------------

Z3StringUnit StringLengthUnit(z3::context& ctx) {
  try {
    const z3::expr length = ctx.string_val("\\u{4e2d}").length().simplify();
    if (length.is_numeral() && length.get_numeral_int() == 1) return Z3StringUnit::kCodePoints;
    return Z3StringUnit::kUnknown;
  } catch (...) {
  }
  // With unicode=false Z3 refuses characters above 0xFF ("outside of byte range").
  try {
    const z3::expr length = ctx.string_val("\\u{ff}").length().simplify();
    if (length.is_numeral() && length.get_numeral_int() == 1) return Z3StringUnit::kBytes;
  } catch (...) {
  }
  return Z3StringUnit::kUnknown;
}

RegexResult TranslateRegex(z3::context& ctx, std::string_view re2_pattern) {
  RegexResult result;
  try {
    RE2::Options options;  // the engine's options: RE2 defaults, quiet
    options.set_log_errors(false);
    const RE2 re(re2::StringPiece(re2_pattern.data(), re2_pattern.size()), options);
    if (!re.ok()) {
      result.why_not = "RE2 rejects the pattern: " + re.error();
      return result;
    }
    if (StringLengthUnit(ctx) != Z3StringUnit::kCodePoints) {
      result.why_not = "Z3 does not hold Unicode characters here (unicode=false); patterns are not encoded";
      return result;
    }
    std::optional<std::u32string> pattern = DecodeUtf8(re2_pattern);
    if (!pattern) {
      result.why_not = "the pattern is not UTF-8";
      return result;
    }
    RegexTranslator translator(ctx, std::move(*pattern));
    result.language = translator.Translate();
    if (!result.language) result.why_not = translator.why_not().empty() ? "not encoded" : translator.why_not();
  } catch (const z3::exception& e) {
    result.language.reset();
    result.why_not = std::string("Z3 failed: ") + e.msg();
  } catch (const std::exception& e) {
    result.language.reset();
    result.why_not = std::string("failed: ") + e.what();
  } catch (...) {
    result.language.reset();
    result.why_not = "failed";
  }
  return result;
}

std::optional<z3::expr> TryStringConstant(z3::context& ctx, std::string_view utf8) {
  try {
    std::optional<std::u32string> text = DecodeUtf8(utf8);
    if (!text) return std::nullopt;
    const bool ascii = std::all_of(text->begin(), text->end(), [](char32_t cp) { return cp < 0x80; });
    const uint32_t max_char = ascii ? 0x7F : MaxChar(StringLengthUnit(ctx));
    if (std::any_of(text->begin(), text->end(), [&](char32_t cp) { return cp > max_char; })) return std::nullopt;
    return MakeLiteral(ctx, *text);
  } catch (...) {
    return std::nullopt;
  }
}

z3::expr StringConstant(z3::context& ctx, std::string_view utf8) {
  if (std::optional<z3::expr> exact = TryStringConstant(ctx, utf8)) return *exact;
  try {
    const uint32_t max_char = MaxChar(StringLengthUnit(ctx));
    const uint32_t replacement = kReplacementChar <= max_char ? kReplacementChar : '?';
    std::u32string text;
    for (size_t at = 0; at < utf8.size();) {
      uint32_t cp;
      const size_t length = DecodeOne(utf8, at, &cp);
      text.push_back(length == 0 || cp > max_char ? replacement : cp);
      at += length == 0 ? 1 : length;
    }
    return MakeLiteral(ctx, text);
  } catch (...) {
    return z3::expr(ctx);
  }
}

std::optional<std::string> StringFromModel(const z3::expr& value) {
  try {
    if (IsNull(value) || !value.is_string_value()) return std::nullopt;
    std::optional<std::u32string> text = ParseEscaped(value.get_escaped_string());
    if (!text || !IsLiteralOf(*text, value)) {
      text = ReadCharByChar(value);  // the printing was ambiguous (the text holds `\u{`)
      if (!text || !IsLiteralOf(*text, value)) return std::nullopt;
    }
    const bool ascii = std::all_of(text->begin(), text->end(), [](char32_t cp) { return cp < 0x80; });
    if (!ascii && StringLengthUnit(value.ctx()) != Z3StringUnit::kCodePoints) return std::nullopt;
    return EncodeUtf8(*text);
  } catch (...) {
    return std::nullopt;
  }
}

z3::expr CodePointLength(z3::context& ctx, const z3::expr& s) {
  try {
    if (!IsStringSort(s) || StringLengthUnit(ctx) != Z3StringUnit::kCodePoints) return z3::expr(ctx);
    return s.length();
  } catch (...) {
    return z3::expr(ctx);
  }
}

z3::expr WellFormedTextLanguage(z3::context& ctx) {
  try {
    if (StringLengthUnit(ctx) != Z3StringUnit::kCodePoints) return z3::expr(ctx);
    const z3::expr scalar = ReUnion(ctx, {z3::range(CharLiteral(ctx, 0), CharLiteral(ctx, 0xD7FF)),
                                          z3::range(CharLiteral(ctx, 0xE000), CharLiteral(ctx, kZ3MaxCodePoint))});
    return z3::star(scalar);
  } catch (...) {
    return z3::expr(ctx);
  }
}

z3::expr WellFormedText(z3::context& ctx, const z3::expr& s) {
  try {
    if (!IsStringSort(s)) return z3::expr(ctx);
    const z3::expr language = WellFormedTextLanguage(ctx);
    if (IsNull(language)) return z3::expr(ctx);
    return z3::in_re(s, language);
  } catch (...) {
    return z3::expr(ctx);
  }
}

}  // namespace miaopi::verify
