#include "engine/graph/decision_table.h"

#include <algorithm>
#include <cmath>

#include "engine/runtime/kernel.h"

namespace miaopi::engine {

namespace {

using dsl::CellDecl;

Value ToValue(const dsl::Literal& lit, const dsl::Type* column, std::deque<std::string>& strings) {
  if (lit.kind == dsl::LiteralKind::kString) return Value::String(strings.emplace_back(lit.s));
  Value v = LiteralValue(lit);
  if (column->kind == dsl::TypeKind::kNumber && v.kind == ValueKind::kInt) v = Value::Number(static_cast<double>(v.i));
  return v;
}

CompiledCell Compile(const CellDecl& c, const dsl::Type* column, std::deque<std::string>& strings) {
  CompiledCell cell;
  cell.kind = c.kind;
  cell.op = c.op;
  for (const dsl::Literal& v : c.values) cell.values.push_back(ToValue(v, column, strings));
  if (c.kind == CellDecl::Kind::kRange) {
    cell.lo = ToValue(c.lo, column, strings);
    cell.hi = ToValue(c.hi, column, strings);
    cell.lo_open = c.lo_open;
    cell.hi_open = c.hi_open;
  }
  if (c.inner) cell.inner = std::make_unique<CompiledCell>(Compile(*c.inner, column, strings));
  return cell;
}

// Does a known value satisfy the cell?
bool Matches(const CompiledCell& cell, const Value& x) {
  switch (cell.kind) {
    case CellDecl::Kind::kAny: return true;
    case CellDecl::Kind::kNot: return !Matches(*cell.inner, x);
    case CellDecl::Kind::kEquals: {
      ScalarEq eq;
      return std::any_of(cell.values.begin(), cell.values.end(), [&](const Value& v) { return eq(x, v); });
    }
    case CellDecl::Kind::kCompare: {
      std::optional<int> o = ops::Order(x, cell.values[0]);
      if (!o) return false;
      switch (cell.op) {
        case dsl::Op::kLt: return *o < 0;
        case dsl::Op::kLe: return *o <= 0;
        case dsl::Op::kGt: return *o > 0;
        case dsl::Op::kGe: return *o >= 0;
        case dsl::Op::kNe: return *o != 0;
        default: return *o == 0;
      }
    }
    case CellDecl::Kind::kRange: {
      std::optional<int> lo = ops::Order(x, cell.lo), hi = ops::Order(x, cell.hi);
      if (!lo || !hi) return false;
      return (cell.lo_open ? *lo > 0 : *lo >= 0) && (cell.hi_open ? *hi < 0 : *hi <= 0);
    }
  }
  return false;
}

double Number(const Value& v) { return v.kind == ValueKind::kDate ? v.date : v.AsDouble(); }

bool NumericColumn(const dsl::Type* t) {
  return t->kind == dsl::TypeKind::kInt || t->kind == dsl::TypeKind::kNumber || t->kind == dsl::TypeKind::kDate;
}

// A row's match: true, false, or unknown (then *cause names the unknown inputs).
enum class Match { kNo, kYes, kUnknown };

Match RowMatches(const CompiledDecision& d, uint32_t row, const Value* args, CauseArena& causes, uint32_t* cause) {
  bool unknown = false;
  uint32_t why = 0;
  for (size_t c = 0; c < d.column_param.size(); ++c) {
    const CompiledCell& cell = d.cells[row][c];
    if (cell.kind == CellDecl::Kind::kAny) continue;
    const Value& x = args[d.column_param[c]];
    if (!x.known()) {
      unknown = true;
      why = causes.Join(why, x.cause);
      continue;
    }
    if (!Matches(cell, x)) return Match::kNo;
  }
  if (unknown) {
    *cause = why;
    return Match::kUnknown;
  }
  return Match::kYes;
}

void BuildIndex(CompiledDecision& d, const std::vector<const dsl::Type*>& params) {
  if (d.rows() < 4) return;  // a scan is as fast
  for (size_t c = 0; c < d.column_param.size(); ++c) {
    bool literals = true, ordered = NumericColumn(params[d.column_param[c]]);
    for (const auto& row : d.cells) {
      const CompiledCell& cell = row[c];
      literals &= cell.kind == CellDecl::Kind::kAny || cell.kind == CellDecl::Kind::kEquals;
      ordered &= cell.kind != CellDecl::Kind::kNot &&
                 !(cell.kind == CellDecl::Kind::kCompare && cell.op == dsl::Op::kNe);
    }
    bool selective = std::any_of(d.cells.begin(), d.cells.end(),
                                 [&](const auto& row) { return row[c].kind != CellDecl::Kind::kAny; });
    if (!selective) continue;
    if (literals) {
      d.index = CompiledDecision::IndexKind::kHash;
      d.index_param = d.column_param[c];
      for (uint32_t r = 0; r < d.rows(); ++r) {
        const CompiledCell& cell = d.cells[r][c];
        if (cell.kind == CellDecl::Kind::kAny) {
          d.other_rows.push_back(r);
          for (auto& [value, rows] : d.by_value) rows.push_back(r);
        } else {
          for (const Value& v : cell.values) {
            auto [it, inserted] = d.by_value.try_emplace(v, d.other_rows);
            if (it->second.empty() || it->second.back() != r) it->second.push_back(r);
          }
        }
      }
      return;
    }
    if (ordered) {
      d.index = CompiledDecision::IndexKind::kIntervals;
      d.index_param = d.column_param[c];
      std::vector<double> b;
      for (const auto& row : d.cells) {
        const CompiledCell& cell = row[c];
        for (const Value& v : cell.values) b.push_back(Number(v));
        if (cell.kind == CellDecl::Kind::kRange) {
          b.push_back(Number(cell.lo));
          b.push_back(Number(cell.hi));
        }
      }
      std::sort(b.begin(), b.end());
      b.erase(std::unique(b.begin(), b.end()), b.end());
      d.bounds = b;
      d.piece_rows.resize(2 * b.size() + 1);
      // Piece 2k+1 is bounds[k] itself, piece 2k the open stretch below it.
      for (size_t p = 0; p < d.piece_rows.size(); ++p) {
        double x = p % 2 == 1  ? b[p / 2]
                   : p == 0    ? (b.empty() ? 0 : b.front() - 1)
                   : p / 2 == b.size() ? b.back() + 1
                                       : (b[p / 2 - 1] + b[p / 2]) / 2;
        bool is_date = params[d.column_param[c]]->kind == dsl::TypeKind::kDate;
        bool is_int = params[d.column_param[c]]->kind == dsl::TypeKind::kInt;
        Value probe = is_date  ? Value::Date(static_cast<int32_t>(std::floor(x)))
                      : is_int ? Value::Number(x)
                               : Value::Number(x);
        for (uint32_t r = 0; r < d.rows(); ++r) {
          if (Matches(d.cells[r][c], probe)) d.piece_rows[p].push_back(r);
        }
      }
      return;
    }
  }
}

// The candidate rows for these arguments, in row order; null: every row.
const std::vector<uint32_t>* Candidates(const CompiledDecision& d, const Value* args) {
  const Value& x = args[d.index_param];
  if (!x.known()) return nullptr;
  switch (d.index) {
    case CompiledDecision::IndexKind::kHash: {
      auto it = d.by_value.find(x);
      return it == d.by_value.end() ? &d.other_rows : &it->second;
    }
    case CompiledDecision::IndexKind::kIntervals: {
      double v = Number(x);
      auto it = std::lower_bound(d.bounds.begin(), d.bounds.end(), v);
      size_t k = static_cast<size_t>(it - d.bounds.begin());
      size_t piece = it != d.bounds.end() && *it == v ? 2 * k + 1 : 2 * k;
      return &d.piece_rows[piece];
    }
    default: return nullptr;
  }
}

}  // namespace

CompiledDecision CompileDecision(const dsl::DecisionDecl& decl, const std::vector<const dsl::Type*>& params) {
  CompiledDecision d;
  d.name = decl.name;
  d.hit = decl.hit;
  d.inputs = static_cast<uint32_t>(decl.params.size());
  for (const std::string& column : decl.columns) {
    for (uint32_t p = 0; p < decl.params.size(); ++p) {
      if (decl.params[p].name == column) d.column_param.push_back(p);
    }
  }
  for (const dsl::DecisionDecl::Row& row : decl.rows) {
    std::vector<CompiledCell> cells;
    for (size_t c = 0; c < row.cells.size(); ++c) {
      cells.push_back(Compile(*row.cells[c], params[d.column_param[c]], d.strings));
    }
    d.cells.push_back(std::move(cells));
  }
  BuildIndex(d, params);
  return d;
}

Value EvalDecision(const CompiledDecision& d, const Value* args, const Value* outputs, CauseArena& causes,
                   BumpArena<Value>& lists, bool use_index) {
  const std::vector<uint32_t>* candidates = use_index && d.index != CompiledDecision::IndexKind::kNone
                                                ? Candidates(d, args)
                                                : nullptr;
  size_t count = candidates ? candidates->size() : d.rows();
  auto row_at = [&](size_t k) { return candidates ? (*candidates)[k] : static_cast<uint32_t>(k); };
  uint32_t unknown = 0;
  bool any_unknown = false;
  std::vector<uint32_t> hits;
  for (size_t k = 0; k < count; ++k) {
    uint32_t r = row_at(k);
    uint32_t cause = 0;
    Match m = RowMatches(d, r, args, causes, &cause);
    if (m == Match::kNo) continue;
    if (m == Match::kUnknown) {
      if (d.hit == dsl::HitPolicy::kFirst) return Value::Unknown(cause);
      unknown = causes.Join(unknown, cause);
      any_unknown = true;
      continue;
    }
    if (d.hit == dsl::HitPolicy::kFirst) return outputs[r];
    hits.push_back(r);
  }
  if (any_unknown) return Value::Unknown(unknown);
  if (hits.empty()) return Value::Unknown(causes.MakeNote(Note::kNoDecisionRow));
  switch (d.hit) {
    case dsl::HitPolicy::kUnique:
      if (hits.size() > 1) return Value::Unknown(causes.MakeNote(Note::kAmbiguousRows));
      return outputs[hits[0]];
    case dsl::HitPolicy::kAny: {
      ScalarEq eq;
      const Value& first = outputs[hits[0]];
      for (uint32_t r : hits) {
        if (!outputs[r].known()) return outputs[r];
        if (!eq(outputs[r], first)) return Value::Unknown(causes.MakeNote(Note::kAmbiguousRows));
      }
      return first;
    }
    case dsl::HitPolicy::kCollect: {
      Value* elems = lists.Allocate(hits.size());
      for (size_t k = 0; k < hits.size(); ++k) elems[k] = outputs[hits[k]];
      return Value::List(elems, static_cast<uint32_t>(hits.size()));
    }
    default: return outputs[hits[0]];
  }
}

}  // namespace miaopi::engine
