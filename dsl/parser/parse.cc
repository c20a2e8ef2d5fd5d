// The parse driver: runs the X3 rules one declaration (or item member) at a
// time, turns X3's expectation failures into diagnostics, and recovers at the
// next rule, item or top-level declaration so one run reports many errors.
#include "dsl/parse.h"

#include <algorithm>

#include "dsl/parser/grammar.h"

namespace miaopi::dsl {

namespace {

using parser::iterator_type;
using parser::ParseAbort;
using parser::ParseState;
using parser::Skipper;
using parser::state_tag;
namespace x3 = boost::spirit::x3;

constexpr std::string_view kTopKeywords[] = {"pack", "table", "def", "schema", "item", "rules", "decision", "licence", "property"};
constexpr std::string_view kMemberKeywords[] = {"basis", "effective", "until", "mode",    "input",
                                                "let",   "rule",      "include", "uses", "output", "private"};

template <size_t N>
bool OneOf(std::string_view w, const std::string_view (&words)[N]) {
  for (std::string_view k : words) {
    if (w == k) return true;
  }
  return false;
}

class Driver {
 public:
  Driver(const SourceFile& source, uint32_t file, Module& module, Diagnostics& diags,
         const ParseOptions& options)
      : begin_(source.text().data()), end_(begin_ + source.text().size()), diags_(diags) {
    state_.module = &module;
    state_.file = file;
    state_.base = begin_;
    state_.diags = &diags;
    state_.max_nesting = options.max_nesting;
    state_.max_height = options.max_expression_height;
  }

  void ParseFile() {
    const char* it = begin_;
    if (end_ - it >= 3 && std::string_view(it, 3) == "\xEF\xBB\xBF") it += 3;  // BOM
    for (;;) {
      it = parser::SkipBlank(it, end_);
      if (it == end_) return;
      std::string_view word = WordAt(it);
      if (word == "item" || word == "rules") {
        it = ParseItem(it, word == "rules");
        continue;
      }
      if (word == "decision") {
        it = ParseDecision(it);
        continue;
      }
      const char* start = it;
      if (!Run(parser::TopDeclRule(), it, "a declaration (pack, table, def, schema, licence, property or item)")) {
        it = RecoverTop(start);
      }
    }
  }

  Expr* ParseOneExpression() {
    const char* it = begin_;
    Expr* result = nullptr;
    try {
      auto p = x3::with<state_tag>(state_)[parser::ExpressionRule()];
      if (!x3::phrase_parse(it, end_, p, Skipper{}, result)) {
        ReportExpected(it, "an expression");
        return nullptr;
      }
    } catch (const x3::expectation_failure<iterator_type>& e) {
      ReportExpected(e.where(), e.which());
      return nullptr;
    } catch (const ParseAbort&) {
      return nullptr;
    }
    it = parser::SkipBlank(it, end_);
    if (it != end_) {
      ReportExpected(it, "the end of the expression");
      return nullptr;
    }
    return result;
  }

 private:
  // Runs one rule at `it`; on success advances `it`. On failure reports and
  // returns false (the caller recovers).
  template <typename Rule>
  bool Run(const Rule& rule, const char*& it, const char* what) {
    const char* start = it;
    try {
      auto p = x3::with<state_tag>(state_)[rule];
      if (x3::phrase_parse(it, end_, p, Skipper{})) return true;
      ReportExpected(start, what);
    } catch (const x3::expectation_failure<iterator_type>& e) {
      ReportExpected(e.where(), e.which());
    } catch (const ParseAbort&) {
    }
    return false;
  }

  const char* ParseItem(const char* it, bool rule_set) {
    const char* start = it;
    state_.item = nullptr;
    bool ok = rule_set ? Run(parser::RuleSetHeaderRule(), it, "a rule set header `rules NAME {`")
                       : Run(parser::ItemHeaderRule(), it, "an item header");
    if (!ok) return RecoverTop(start);
    ItemDecl* item = state_.item;
    for (;;) {
      it = parser::SkipBlank(it, end_);
      if (it == end_) {
        diags_.Error(ErrorCode::kSyntax, item->span,
                     std::string(rule_set ? "rule set '" : "item '") + item->code + "' is not closed: expected '}'");
        return it;
      }
      if (*it == '}') {
        item->span.end = static_cast<uint32_t>(it + 1 - begin_);
        return it + 1;
      }
      if (AtColumnOne(it) && OneOf(WordAt(it), kTopKeywords)) {
        diags_.Error(ErrorCode::kSyntax, SpanAt(it),
                     std::string("expected '}' to close ") + (rule_set ? "rule set '" : "item '") + item->code +
                         "' before this declaration");
        return it;
      }
      state_.item = item;
      const char* member_start = it;
      if (!Run(parser::ItemMemberRule(), it, "an item member (basis, effective, until, mode, input, let or rule)")) {
        item->members_dropped = true;
        it = RecoverMember(member_start);
      }
    }
  }

  // A decision table: the header by X3, then the pipe-table body line by
  // line (line breaks matter here), each cell parsed by X3 within its bounds.
  const char* ParseDecision(const char* it) {
    const char* start = it;
    state_.decision = nullptr;
    if (!Run(parser::DecisionHeaderRule(), it, "a decision header `decision NAME(params) -> TYPE hit POLICY {`")) {
      return RecoverTop(start);
    }
    DecisionDecl* d = state_.decision;
    bool have_header = false;
    for (;;) {
      it = parser::SkipBlank(it, end_);
      if (it == end_) {
        diags_.Error(ErrorCode::kSyntax, d->span, "decision '" + d->name + "' is not closed: expected '}'");
        return it;
      }
      if (*it == '}') {
        d->span.end = static_cast<uint32_t>(it + 1 - begin_);
        if (!have_header) diags_.Error(ErrorCode::kSyntax, d->name_span, "decision '" + d->name + "' has no header row");
        return it + 1;
      }
      if (AtColumnOne(it) && OneOf(WordAt(it), kTopKeywords)) {
        diags_.Error(ErrorCode::kSyntax, SpanAt(it), "expected '}' to close decision '" + d->name + "'");
        return it;
      }
      const char* line_end = it;
      while (line_end < end_ && *line_end != '\n') ++line_end;
      if (*it != '|') {
        ReportExpected(it, "a table row starting with '|', or '}'");
        it = line_end;
        continue;
      }
      std::vector<std::pair<const char*, const char*>> cells;
      if (!SplitRow(it, line_end, &cells)) {
        it = line_end;
        continue;
      }
      if (!have_header) {
        have_header = true;
        ParseDecisionHeader(*d, cells);
      } else {
        ParseDecisionRow(*d, cells);
      }
      it = line_end;
    }
  }

  // Splits `| a | b | c |` into its cells (pipes inside strings do not count).
  bool SplitRow(const char* p, const char* line_end, std::vector<std::pair<const char*, const char*>>* cells) {
    const char* cell_start = p + 1;
    const char* last_pipe = p;
    for (const char* q = p + 1; q < line_end; ++q) {
      if (*q == '"') {
        q = SkipString(q) - 1;
        continue;
      }
      if (*q == '#') break;
      if (*q == '|') {
        cells->emplace_back(cell_start, q);
        cell_start = q + 1;
        last_pipe = q;
      }
    }
    const char* rest = parser::SkipBlank(last_pipe + 1, line_end);
    if (cells->empty() || (rest < line_end && *rest != '#')) {
      diags_.Error(ErrorCode::kSyntax, state_.SpanOf(p, line_end), "a table row is `| cell | cell | … |` on one line");
      return false;
    }
    return true;
  }

  static std::pair<const char*, const char*> Trim(std::pair<const char*, const char*> c) {
    while (c.first < c.second && (*c.first == ' ' || *c.first == '\t')) ++c.first;
    while (c.second > c.first && (c.second[-1] == ' ' || c.second[-1] == '\t' || c.second[-1] == '\r')) --c.second;
    return c;
  }

  void ParseDecisionHeader(DecisionDecl& d, const std::vector<std::pair<const char*, const char*>>& cells) {
    d.header_span = state_.SpanOf(cells.front().first - 1, cells.back().second + 1);
    for (size_t i = 0; i < cells.size(); ++i) {
      auto [b, e] = Trim(cells[i]);
      std::string_view text(b, e - b);
      if (text == "=>") {
        if (i + 1 != cells.size()) {
          diags_.Error(ErrorCode::kSyntax, state_.SpanOf(b, e), "the output column `=>` is the last column");
        }
        continue;
      }
      if (text.empty() || !parser::IsIdentStart(text[0]) ||
          !std::all_of(text.begin(), text.end(), [](char c) { return parser::IsIdentChar(c); })) {
        diags_.Error(ErrorCode::kSyntax, state_.SpanOf(b, std::max(e, b + 1)),
                     "a header cell names a parameter, or is `=>` for the output");
        continue;
      }
      d.columns.emplace_back(text);
      d.column_spans.push_back(state_.SpanOf(b, e));
    }
    auto [b, e] = Trim(cells.back());
    if (std::string_view(b, e - b) != "=>") {
      diags_.Error(ErrorCode::kSyntax, state_.SpanOf(b, std::max(e, b + 1)), "the last header cell is `=>` (the output)");
    }
  }

  void ParseDecisionRow(DecisionDecl& d, const std::vector<std::pair<const char*, const char*>>& cells) {
    size_t inputs = d.columns.size();
    Span row_span = state_.SpanOf(cells.front().first - 1, cells.back().second + 1);
    if (cells.size() != inputs + 1) {
      diags_.Error(ErrorCode::kSyntax, row_span,
                   "this row has " + std::to_string(cells.size()) + " cells; the header has " +
                       std::to_string(inputs + 1));
      return;
    }
    DecisionDecl::Row row;
    row.span = row_span;
    for (size_t i = 0; i <= inputs; ++i) {
      auto [b, e] = Trim(cells[i]);
      if (b == e) {
        diags_.Error(ErrorCode::kSyntax, state_.SpanOf(cells[i].first, cells[i].second),
                     i < inputs ? "an empty cell; write - for any value" : "the output cell is empty");
        return;
      }
      const char* it = b;
      try {
        bool ok;
        if (i < inputs) {
          CellDecl* cell = nullptr;
          ok = x3::phrase_parse(it, e, x3::with<state_tag>(state_)[parser::CellRule()], Skipper{}, cell);
          if (ok) row.cells.push_back(cell);
        } else {
          ok = x3::phrase_parse(it, e, x3::with<state_tag>(state_)[parser::ExpressionRule()], Skipper{}, row.output);
        }
        if (!ok) {
          ReportExpected(b, i < inputs ? "a cell: -, a literal, a list, a comparison, a range or not …" : "an expression");
          return;
        }
        if (parser::SkipBlank(it, e) != e) {
          ReportExpected(it, "the end of the cell");
          return;
        }
      } catch (const x3::expectation_failure<iterator_type>& ex) {
        ReportExpected(ex.where(), ex.which());
        return;
      } catch (const ParseAbort&) {
        return;
      }
    }
    d.rows.push_back(std::move(row));
  }

  // Skips to the next item member keyword that starts a line (or `rule` /
  // `let` anywhere outside braces), to the `}` that closes the item, or to a
  // top-level keyword in column one. Only braces are counted: an unclosed
  // parenthesis must not hide the rules after it.
  const char* RecoverMember(const char* p) {
    p = SkipToken(p);
    int braces = 0;
    while (p < end_) {
      char c = *p;
      if (c == '"') {
        p = SkipString(p);
        continue;
      }
      if (c == '#') {
        while (p < end_ && *p != '\n') ++p;
        continue;
      }
      if (c == '{') ++braces;
      if (c == '}') {
        if (braces == 0) return p;
        --braces;
      }
      if (parser::IsIdentStart(c) && (p == begin_ || !parser::IsIdentChar(p[-1]))) {
        std::string_view w = WordAt(p);
        if (AtColumnOne(p) && OneOf(w, kTopKeywords)) return p;
        if (FirstOnLine(p) && OneOf(w, kMemberKeywords)) return p;
        if (braces == 0 && (w == "rule" || w == "let")) return p;
        p += w.size();
        continue;
      }
      ++p;
    }
    return end_;
  }

  // Skips to the next line that starts with a top-level keyword.
  const char* RecoverTop(const char* p) {
    while (p < end_ && *p != '\n') ++p;
    while (p < end_) {
      ++p;  // past '\n'
      if (p < end_ && OneOf(WordAt(p), kTopKeywords)) return p;
      while (p < end_ && *p != '\n') ++p;
    }
    return end_;
  }

  const char* SkipToken(const char* p) {
    if (p < end_ && parser::IsIdentStart(*p)) {
      while (p < end_ && parser::IsIdentChar(*p)) ++p;
      return p;
    }
    return p < end_ ? p + 1 : p;
  }

  const char* SkipString(const char* p) {
    ++p;
    while (p < end_ && *p != '"' && *p != '\n') p += (*p == '\\' && p + 1 < end_ && p[1] != '\n') ? 2 : 1;
    return p < end_ && *p == '"' ? p + 1 : p;
  }

  std::string_view WordAt(const char* p) const {
    const char* q = p;
    while (q < end_ && parser::IsIdentChar(*q)) ++q;
    if (q == p || !parser::IsIdentStart(*p)) return {};
    return std::string_view(p, q - p);
  }

  bool AtColumnOne(const char* p) const { return p == begin_ || p[-1] == '\n'; }

  bool FirstOnLine(const char* p) const {
    while (p > begin_ && (p[-1] == ' ' || p[-1] == '\t')) --p;
    return p == begin_ || p[-1] == '\n';
  }

  Span SpanAt(const char* p) const {
    std::string_view w = WordAt(p);
    size_t len = !w.empty() ? w.size() : p < end_ ? CharLength(p) : 0;
    return state_.SpanOf(p, p + len);
  }

  size_t CharLength(const char* p) const {
    unsigned char c = *p;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    return std::min<size_t>(len, end_ - p);
  }

  std::string Describe(const char* p) const {
    if (p >= end_) return "the end of the file";
    if (*p == '"') return "a string";
    std::string_view w = WordAt(p);
    if (!w.empty()) return "'" + std::string(w) + "'";
    if (*p >= '0' && *p <= '9') return "a number";
    return "'" + std::string(p, CharLength(p)) + "'";
  }

  void ReportExpected(const char* where, const std::string& what) {
    const char* p = parser::SkipBlank(where, end_);
    diags_.Error(ErrorCode::kSyntax, SpanAt(p), "expected " + what + ", found " + Describe(p));
  }

  const char* begin_;
  const char* end_;
  Diagnostics& diags_;
  ParseState state_;
};

bool Admit(const SourceFile& source, uint32_t file, const ParseOptions& options, Diagnostics& diags) {
  if (source.text().size() > options.max_source_bytes) {
    diags.Error(ErrorCode::kFileTooLarge, {file, 0, 0},
                "file has " + std::to_string(source.text().size()) + " bytes; the limit is " +
                    std::to_string(options.max_source_bytes));
    return false;
  }
  size_t bad = 0;
  if (!ValidUtf8(source.text(), &bad)) {
    diags.Error(ErrorCode::kBadUtf8, {file, static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)},
                "the file is not valid UTF-8 here");
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<Module> ParseModule(const SourceSet& sources, uint32_t file, const ParseOptions& options,
                                    Diagnostics& diags) {
  auto module = std::make_unique<Module>();
  module->file = file;
  const SourceFile& source = sources.file(file);
  if (!Admit(source, file, options, diags)) return module;
  Driver(source, file, *module, diags, options).ParseFile();
  return module;
}

Expr* ParseExpression(const SourceSet& sources, uint32_t file, Module& module, const ParseOptions& options,
                      Diagnostics& diags) {
  const SourceFile& source = sources.file(file);
  if (!Admit(source, file, options, diags)) return nullptr;
  size_t errors = diags.error_count();
  Expr* e = Driver(source, file, module, diags, options).ParseOneExpression();
  // Some errors (a date that is no real day, a bad escape) are reported
  // while parsing goes on: such an expression is not one.
  return diags.error_count() == errors ? e : nullptr;
}

}  // namespace miaopi::dsl
