#include "dsl/decision_check.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "dsl/ast_dump.h"

namespace miaopi::dsl {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Gap search enumerates one input per combination of column pieces; larger
// tables are left to the tests.
constexpr size_t kMaxCombinations = 200000;
constexpr size_t kMaxReports = 10;

struct Interval {
  double lo, hi;
  bool lo_closed, hi_closed;
};
using Intervals = std::vector<Interval>;  // sorted, disjoint

bool Empty(const Interval& i) { return i.lo > i.hi || (i.lo == i.hi && !(i.lo_closed && i.hi_closed)); }

// Integer columns: open ends become closed ones (x > 5 is x >= 6).
Interval Discrete(Interval i) {
  if (std::isfinite(i.lo)) {
    double lo = i.lo_closed ? std::ceil(i.lo) : std::floor(i.lo) + 1;
    i.lo = lo;
    i.lo_closed = true;
  }
  if (std::isfinite(i.hi)) {
    double hi = i.hi_closed ? std::floor(i.hi) : std::ceil(i.hi) - 1;
    i.hi = hi;
    i.hi_closed = true;
  }
  return i;
}

Intervals Normalize(Intervals v, bool integer) {
  Intervals out;
  for (Interval i : v) {
    if (integer) i = Discrete(i);
    if (!Empty(i)) out.push_back(i);
  }
  std::sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) {
    return a.lo < b.lo || (a.lo == b.lo && a.lo_closed && !b.lo_closed);
  });
  Intervals merged;
  for (const Interval& i : out) {
    if (!merged.empty()) {
      Interval& last = merged.back();
      bool touching =
          i.lo < last.hi || (i.lo == last.hi && (i.lo_closed || last.hi_closed)) || (integer && i.lo == last.hi + 1);
      if (touching) {
        if (i.hi > last.hi || (i.hi == last.hi && i.hi_closed)) {
          last.hi = i.hi;
          last.hi_closed = i.hi_closed;
        }
        continue;
      }
    }
    merged.push_back(i);
  }
  return merged;
}

Intervals Intersect(const Intervals& a, const Intervals& b, bool integer) {
  Intervals out;
  for (const Interval& x : a) {
    for (const Interval& y : b) {
      Interval i;
      if (x.lo > y.lo || (x.lo == y.lo && !x.lo_closed)) {
        i.lo = x.lo;
        i.lo_closed = x.lo_closed;
      } else {
        i.lo = y.lo;
        i.lo_closed = y.lo_closed;
      }
      if (x.hi < y.hi || (x.hi == y.hi && !x.hi_closed)) {
        i.hi = x.hi;
        i.hi_closed = x.hi_closed;
      } else {
        i.hi = y.hi;
        i.hi_closed = y.hi_closed;
      }
      if (!Empty(i)) out.push_back(i);
    }
  }
  return Normalize(out, integer);
}

Intervals Complement(const Intervals& a, bool integer) {
  Intervals out;
  double lo = -kInf;
  bool lo_closed = false;
  for (const Interval& i : a) {
    out.push_back({lo, i.lo, lo_closed, !i.lo_closed});
    lo = i.hi;
    lo_closed = !i.hi_closed;
  }
  out.push_back({lo, kInf, lo_closed, false});
  return Normalize(out, integer);
}

bool Contains(const Intervals& set, double x) {
  for (const Interval& i : set) {
    bool above = x > i.lo || (x == i.lo && i.lo_closed);
    bool below = x < i.hi || (x == i.hi && i.hi_closed);
    if (above && below) return true;
  }
  return false;
}

double Pick(const Interval& i, bool integer) {
  if (i.lo_closed) return i.lo;
  if (!std::isfinite(i.lo)) return std::isfinite(i.hi) ? i.hi - 1 : 0;
  if (!std::isfinite(i.hi)) return i.lo + 1;
  return integer ? i.lo + 1 : (i.lo + i.hi) / 2;
}

// A finite set of values, or (complement) every value but those.
struct Finite {
  bool complement = false;
  std::set<std::string> values;
};

enum class ColumnKind { kInteger, kReal, kDate, kString, kBool, kOpaque };

struct CellSet {
  Intervals intervals;
  Finite finite;
};

class Analyzer {
 public:
  Analyzer(const DecisionDecl& d, const std::vector<const Type*>& types, const SourceSet& sources, Diagnostics& diags)
      : d_(d), types_(types), sources_(sources), diags_(diags) {}

  bool Run() {
    size_t columns = d_.columns.size();
    kinds_.resize(columns);
    for (size_t c = 0; c < columns; ++c) kinds_[c] = KindOf(types_[c]);
    bool ok = true;
    sets_.assign(d_.rows.size(), std::vector<CellSet>(columns));
    for (size_t r = 0; r < d_.rows.size(); ++r) {
      for (size_t c = 0; c < columns && c < d_.rows[r].cells.size(); ++c) {
        const CellDecl& cell = *d_.rows[r].cells[c];
        if (!CheckCell(cell, c)) {
          ok = false;
          continue;
        }
        std::optional<CellSet> set = SetOf(cell, c);
        if (!set) {
          kinds_[c] = ColumnKind::kOpaque;  // not analyzable (string ranges)
        } else {
          sets_[r][c] = *set;
          if (IsNumeric(kinds_[c]) && sets_[r][c].intervals.empty() && cell.kind != CellDecl::Kind::kNot) {
            diags_.Error(ErrorCode::kDecisionCell, cell.span, "this cell matches no value at all");
            ok = false;
          }
        }
      }
    }
    if (!ok) return false;
    if (d_.hit == HitPolicy::kUnique || d_.hit == HitPolicy::kAny) Overlaps();
    Gaps();
    return true;
  }

 private:
  static bool IsNumeric(ColumnKind k) {
    return k == ColumnKind::kInteger || k == ColumnKind::kReal || k == ColumnKind::kDate;
  }

  static ColumnKind KindOf(const Type* t) {
    switch (t->kind) {
      case TypeKind::kInt: return ColumnKind::kInteger;
      case TypeKind::kNumber: return ColumnKind::kReal;
      case TypeKind::kDate: return ColumnKind::kDate;
      case TypeKind::kString: return ColumnKind::kString;
      case TypeKind::kBool: return ColumnKind::kBool;
      default: return ColumnKind::kOpaque;
    }
  }

  bool LiteralFits(const Literal& lit, size_t c) const {
    switch (types_[c]->kind) {
      case TypeKind::kInt: return lit.kind == LiteralKind::kInt;
      case TypeKind::kNumber: return lit.kind == LiteralKind::kInt || lit.kind == LiteralKind::kNumber;
      case TypeKind::kDate: return lit.kind == LiteralKind::kDate;
      case TypeKind::kString: return lit.kind == LiteralKind::kString;
      case TypeKind::kBool: return lit.kind == LiteralKind::kBool;
      default: return false;
    }
  }

  bool CheckCell(const CellDecl& cell, size_t c) {
    auto bad = [&](const std::string& what) {
      diags_.Error(ErrorCode::kDecisionCell, cell.span,
                   what + " in column '" + d_.columns[c] + "' (" + TypeName(types_[c]) + ")");
      return false;
    };
    switch (cell.kind) {
      case CellDecl::Kind::kAny: return true;
      case CellDecl::Kind::kNot: return CheckCell(*cell.inner, c);
      case CellDecl::Kind::kEquals:
        for (const Literal& v : cell.values) {
          if (!LiteralFits(v, c)) return bad(LiteralText(v) + " is not a value");
        }
        return true;
      case CellDecl::Kind::kCompare:
        if (!LiteralFits(cell.values[0], c)) return bad(LiteralText(cell.values[0]) + " is not a value");
        if (types_[c]->kind == TypeKind::kBool && cell.op != Op::kEq && cell.op != Op::kNe)
          return bad("bools do not order");
        return true;
      case CellDecl::Kind::kRange:
        if (!LiteralFits(cell.lo, c) || !LiteralFits(cell.hi, c)) return bad("a range bound is not a value");
        if (types_[c]->kind == TypeKind::kBool) return bad("bools do not order");
        return true;
    }
    return true;
  }

  static double Number(const Literal& lit) {
    switch (lit.kind) {
      case LiteralKind::kInt: return static_cast<double>(lit.i);
      case LiteralKind::kNumber: return lit.d;
      case LiteralKind::kDate: return lit.date;
      default: return 0;
    }
  }

  static std::string Text(const Literal& lit) {
    return lit.kind == LiteralKind::kBool ? (lit.b ? "true" : "false") : lit.s;
  }

  std::optional<CellSet> SetOf(const CellDecl& cell, size_t c) {
    CellSet set;
    bool integer = kinds_[c] == ColumnKind::kInteger || kinds_[c] == ColumnKind::kDate;
    if (IsNumeric(kinds_[c])) {
      switch (cell.kind) {
        case CellDecl::Kind::kAny: set.intervals = {{-kInf, kInf, false, false}}; break;
        case CellDecl::Kind::kEquals:
          for (const Literal& v : cell.values) set.intervals.push_back({Number(v), Number(v), true, true});
          break;
        case CellDecl::Kind::kCompare: {
          double v = Number(cell.values[0]);
          switch (cell.op) {
            case Op::kLt: set.intervals = {{-kInf, v, false, false}}; break;
            case Op::kLe: set.intervals = {{-kInf, v, false, true}}; break;
            case Op::kGt: set.intervals = {{v, kInf, false, false}}; break;
            case Op::kGe: set.intervals = {{v, kInf, true, false}}; break;
            case Op::kEq: set.intervals = {{v, v, true, true}}; break;
            default: set.intervals = {{-kInf, v, false, false}, {v, kInf, false, false}}; break;
          }
          break;
        }
        case CellDecl::Kind::kRange:
          set.intervals = {{Number(cell.lo), Number(cell.hi), !cell.lo_open, !cell.hi_open}};
          break;
        case CellDecl::Kind::kNot: {
          std::optional<CellSet> inner = SetOf(*cell.inner, c);
          if (!inner) return std::nullopt;
          set.intervals = Complement(inner->intervals, integer);
          return set;
        }
      }
      set.intervals = Normalize(set.intervals, integer);
      return set;
    }
    if (kinds_[c] == ColumnKind::kOpaque) return std::nullopt;
    switch (cell.kind) {
      case CellDecl::Kind::kAny: set.finite.complement = true; break;
      case CellDecl::Kind::kEquals:
        for (const Literal& v : cell.values) set.finite.values.insert(Text(v));
        break;
      case CellDecl::Kind::kCompare:
        if (cell.op != Op::kEq && cell.op != Op::kNe) return std::nullopt;
        set.finite.values.insert(Text(cell.values[0]));
        set.finite.complement = cell.op == Op::kNe;
        break;
      case CellDecl::Kind::kRange: return std::nullopt;
      case CellDecl::Kind::kNot: {
        std::optional<CellSet> inner = SetOf(*cell.inner, c);
        if (!inner) return std::nullopt;
        set.finite = inner->finite;
        set.finite.complement = !set.finite.complement;
        break;
      }
    }
    if (kinds_[c] == ColumnKind::kBool && set.finite.complement) {
      Finite positive;
      for (const char* b : {"true", "false"}) {
        if (!set.finite.values.count(b)) positive.values.insert(b);
      }
      set.finite = positive;
    }
    return set;
  }

  Finite IntersectFinite(const Finite& a, const Finite& b) {
    Finite out;
    if (!a.complement && !b.complement) {
      std::set_intersection(a.values.begin(), a.values.end(), b.values.begin(), b.values.end(),
                            std::inserter(out.values, out.values.begin()));
    } else if (!a.complement || !b.complement) {
      const Finite& pos = a.complement ? b : a;
      const Finite& co = a.complement ? a : b;
      for (const std::string& v : pos.values) {
        if (!co.values.count(v)) out.values.insert(v);
      }
    } else {
      out.complement = true;
      out.values = a.values;
      out.values.insert(b.values.begin(), b.values.end());
    }
    return out;
  }

  static bool EmptyFinite(const Finite& f) { return !f.complement && f.values.empty(); }

  std::string PickFinite(const Finite& f) {
    if (!f.complement) return *f.values.begin();
    for (int n = 0;; ++n) {
      std::string candidate = n == 0 ? "other" : "other" + std::to_string(n);
      if (!f.values.count(candidate)) return candidate;
    }
  }

  std::string Show(size_t c, double v) const {
    switch (kinds_[c]) {
      case ColumnKind::kDate: return "@" + FormatIsoDate(static_cast<int32_t>(v));
      case ColumnKind::kInteger: return std::to_string(static_cast<int64_t>(v));
      default: {
        Literal lit;
        lit.kind = LiteralKind::kNumber;
        lit.d = v;
        return LiteralText(lit);
      }
    }
  }

  std::string ShowFinite(size_t c, const std::string& v) const { return kinds_[c] == ColumnKind::kBool ? v : Quote(v); }

  std::string OutputText(const DecisionDecl::Row& row) const {
    return row.output ? OneLine(sources_.file(row.output->span.file).Slice(row.output->span)) : "";
  }

  void Overlaps() {
    size_t reports = 0;
    for (size_t s = 1; s < d_.rows.size(); ++s) {
      for (size_t r = 0; r < s; ++r) {
        if (d_.hit == HitPolicy::kAny && OutputText(d_.rows[r]) == OutputText(d_.rows[s])) continue;
        std::string example;
        bool overlap = true;
        for (size_t c = 0; c < kinds_.size() && overlap; ++c) {
          if (kinds_[c] == ColumnKind::kOpaque) {
            overlap = false;  // cannot prove it
            break;
          }
          std::string value;
          if (IsNumeric(kinds_[c])) {
            bool integer = kinds_[c] != ColumnKind::kReal;
            Intervals both = Intersect(sets_[r][c].intervals, sets_[s][c].intervals, integer);
            overlap = !both.empty();
            if (overlap) value = Show(c, Pick(both[0], integer));
          } else {
            Finite both = IntersectFinite(sets_[r][c].finite, sets_[s][c].finite);
            overlap = !EmptyFinite(both);
            if (overlap) value = ShowFinite(c, PickFinite(both));
          }
          example += (example.empty() ? "" : ", ") + d_.columns[c] + " = " + value;
        }
        if (!overlap) continue;
        if (++reports > kMaxReports) return;
        diags_.Error(ErrorCode::kOverlappingRows, d_.rows[s].span,
                     "under `hit " + std::string(HitPolicyText(d_.hit)) + "` rows " + std::to_string(r + 1) + " and " +
                         std::to_string(s + 1) + " both match " + example +
                         (d_.hit == HitPolicy::kAny ? " with different outputs" : ""));
        diags_.Note(d_.rows[r].span, "row " + std::to_string(r + 1));
      }
    }
  }

  // One representative input per piece of each column, over every
  // combination: an input no row matches is a proven gap.
  void Gaps() {
    size_t columns = kinds_.size();
    std::vector<std::vector<double>> numeric(columns);
    std::vector<std::vector<std::string>> finite(columns);
    size_t combinations = 1;
    for (size_t c = 0; c < columns; ++c) {
      if (kinds_[c] == ColumnKind::kOpaque) return;
      if (IsNumeric(kinds_[c])) {
        bool integer = kinds_[c] != ColumnKind::kReal;
        std::set<double> bounds;
        for (const auto& row : sets_) {
          for (const Interval& i : row[c].intervals) {
            if (std::isfinite(i.lo)) bounds.insert(i.lo);
            if (std::isfinite(i.hi)) bounds.insert(i.hi);
          }
        }
        std::vector<double> b(bounds.begin(), bounds.end());
        std::vector<double>& pieces = numeric[c];
        if (b.empty()) {
          pieces.push_back(0);
        } else {
          pieces.push_back(b.front() - 1);
          for (size_t k = 0; k < b.size(); ++k) {
            pieces.push_back(b[k]);
            if (k + 1 < b.size()) {
              double mid = integer ? b[k] + 1 : (b[k] + b[k + 1]) / 2;
              if (mid < b[k + 1]) pieces.push_back(mid);
            }
          }
          pieces.push_back(b.back() + 1);
        }
        combinations *= pieces.size();
      } else {
        std::set<std::string> values;
        for (const auto& row : sets_) values.insert(row[c].finite.values.begin(), row[c].finite.values.end());
        if (kinds_[c] == ColumnKind::kBool) values = {"false", "true"};
        finite[c].assign(values.begin(), values.end());
        if (kinds_[c] == ColumnKind::kString) {
          Finite all{true, values};
          finite[c].push_back(PickFinite(all));
        }
        combinations *= finite[c].size();
      }
      if (combinations > kMaxCombinations) return;
    }
    std::vector<size_t> at(columns, 0);
    std::vector<std::string> examples;
    for (size_t n = 0; n < combinations && examples.size() < 3; ++n) {
      size_t rest = n;
      for (size_t c = 0; c < columns; ++c) {
        size_t count = IsNumeric(kinds_[c]) ? numeric[c].size() : finite[c].size();
        at[c] = rest % count;
        rest /= count;
      }
      bool matched = false;
      for (const auto& row : sets_) {
        bool all = true;
        for (size_t c = 0; c < columns && all; ++c) {
          all = IsNumeric(kinds_[c]) ? Contains(row[c].intervals, numeric[c][at[c]])
                                     : (row[c].finite.complement != (row[c].finite.values.count(finite[c][at[c]]) > 0));
        }
        if (all) {
          matched = true;
          break;
        }
      }
      if (matched) continue;
      std::string example;
      for (size_t c = 0; c < columns; ++c) {
        example += (c ? ", " : "") + d_.columns[c] + " = " +
                   (IsNumeric(kinds_[c]) ? Show(c, numeric[c][at[c]]) : ShowFinite(c, finite[c][at[c]]));
      }
      examples.push_back(example);
    }
    if (examples.empty()) return;
    std::string list;
    for (const std::string& e : examples) list += (list.empty() ? "" : "; ") + e;
    diags_.Warning(ErrorCode::kDecisionGap, d_.header_span,
                   "decision '" + d_.name + "' has no row for some inputs, e.g. " + list +
                       " (there it is unknown, so rules using it go to review)");
  }

  const DecisionDecl& d_;
  const std::vector<const Type*>& types_;
  const SourceSet& sources_;
  Diagnostics& diags_;
  std::vector<ColumnKind> kinds_;
  std::vector<std::vector<CellSet>> sets_;
};

}  // namespace

bool AnalyzeDecision(const DecisionDecl& d, const std::vector<const Type*>& column_types, const SourceSet& sources,
                     Diagnostics& diags) {
  return Analyzer(d, column_types, sources, diags).Run();
}

}  // namespace miaopi::dsl
