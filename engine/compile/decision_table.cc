#include "engine/compile/decision_table.h"

#include <algorithm>
#include <cmath>

#include "engine/runtime/decision_eval.h"
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
bool NumericColumn(const dsl::Type* t) {
  return t->kind == dsl::TypeKind::kInt || t->kind == dsl::TypeKind::kNumber || t->kind == dsl::TypeKind::kDate;
}

void BuildIndex(CompiledDecision& d, const std::vector<const dsl::Type*>& params) {
  if (d.rows() < 4) return;  // a scan is as fast
  for (size_t c = 0; c < d.column_param.size(); ++c) {
    bool literals = true, ordered = NumericColumn(params[d.column_param[c]]);
    for (const auto& row : d.cells) {
      const CompiledCell& cell = row[c];
      literals &= cell.kind == CellDecl::Kind::kAny || cell.kind == CellDecl::Kind::kEquals;
      ordered &=
          cell.kind != CellDecl::Kind::kNot && !(cell.kind == CellDecl::Kind::kCompare && cell.op == dsl::Op::kNe);
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
          d.by_value.ForEach([&](const Value&, std::vector<uint32_t>& rows) { rows.push_back(r); });
        } else {
          for (const Value& v : cell.values) {
            std::vector<uint32_t>& rows = *d.by_value.TryEmplace(v, d.other_rows).first;
            if (rows.empty() || rows.back() != r) rows.push_back(r);
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
        for (const Value& v : cell.values) b.push_back(CellNumber(v));
        if (cell.kind == CellDecl::Kind::kRange) {
          b.push_back(CellNumber(cell.lo));
          b.push_back(CellNumber(cell.hi));
        }
      }
      std::sort(b.begin(), b.end());
      b.erase(std::unique(b.begin(), b.end()), b.end());
      d.bounds = b;
      d.piece_rows.resize(2 * b.size() + 1);
      // Piece 2k+1 is bounds[k] itself, piece 2k the open stretch below it.
      for (size_t p = 0; p < d.piece_rows.size(); ++p) {
        double x = p % 2 == 1          ? b[p / 2]
                   : p == 0            ? (b.empty() ? 0 : b.front() - 1)
                   : p / 2 == b.size() ? b.back() + 1
                                       : (b[p / 2 - 1] + b[p / 2]) / 2;
        bool is_date = params[d.column_param[c]]->kind == dsl::TypeKind::kDate;
        bool is_int = params[d.column_param[c]]->kind == dsl::TypeKind::kInt;
        Value probe = is_date  ? Value::Date(static_cast<int32_t>(std::floor(x)))
                      : is_int ? Value::Number(x)
                               : Value::Number(x);
        for (uint32_t r = 0; r < d.rows(); ++r) {
          if (CellMatches(d.cells[r][c], probe)) d.piece_rows[p].push_back(r);
        }
      }
      return;
    }
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

}  // namespace miaopi::engine
