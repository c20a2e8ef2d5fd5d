#include "engine/runtime/decision_eval.h"

#include <algorithm>
#include <cmath>

#include "engine/runtime/kernel.h"

namespace miaopi::engine {

using dsl::CellDecl;

bool CellMatches(const CompiledCell& cell, const Value& x) {
  switch (cell.kind) {
    case CellDecl::Kind::kAny: return true;
    case CellDecl::Kind::kNot: return !CellMatches(*cell.inner, x);
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

double CellNumber(const Value& v) { return v.kind == ValueKind::kDate ? v.date : v.AsDouble(); }

namespace {

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
    if (!CellMatches(cell, x)) return Match::kNo;
  }
  if (unknown) {
    *cause = why;
    return Match::kUnknown;
  }
  return Match::kYes;
}

// The candidate rows for these arguments, in row order; null: every row.
const std::vector<uint32_t>* Candidates(const CompiledDecision& d, const Value* args) {
  const Value& x = args[d.index_param];
  if (!x.known()) return nullptr;
  switch (d.index) {
    case CompiledDecision::IndexKind::kHash: {
      const std::vector<uint32_t>* rows = d.by_value.Find(x);
      return rows == nullptr ? &d.other_rows : rows;
    }
    case CompiledDecision::IndexKind::kIntervals: {
      double v = CellNumber(x);
      auto it = std::lower_bound(d.bounds.begin(), d.bounds.end(), v);
      size_t k = static_cast<size_t>(it - d.bounds.begin());
      size_t piece = it != d.bounds.end() && *it == v ? 2 * k + 1 : 2 * k;
      return &d.piece_rows[piece];
    }
    default: return nullptr;
  }
}

// Whether two rows' outputs are the same value: scalars as ScalarEq has
// them, lists element by element (the checker's E503 compares list outputs
// so too). Records are never compared: two of them count as different.
bool SameOutput(const Value& a, const Value& b) {
  if (a.kind == ValueKind::kList && b.kind == ValueKind::kList) {
    if (a.len != b.len) return false;
    for (uint32_t k = 0; k < a.len; ++k) {
      if (!a.list[k].known() || !b.list[k].known() || !SameOutput(a.list[k], b.list[k])) return false;
    }
    return true;
  }
  return ScalarEq()(a, b);
}

}  // namespace

Value EvalDecision(const CompiledDecision& d, const Value* args, const Value* outputs, CauseArena& causes,
                   BumpArena<Value>& lists, bool use_index) {
  const std::vector<uint32_t>* candidates =
      use_index && d.index != CompiledDecision::IndexKind::kNone ? Candidates(d, args) : nullptr;
  size_t count = candidates ? candidates->size() : d.rows();
  auto row_at = [&](size_t k) { return candidates ? (*candidates)[k] : static_cast<uint32_t>(k); };
  uint32_t unknown = 0;
  bool any_unknown = false;
  // The matching rows, seen in order and kept without allocating: the first
  // and how many; for `any` whether a later one's output is unknown or
  // differs (the first such, as the rows come); for `collect` the outputs in
  // the per-evaluation arena (room for every candidate, the rest unused).
  size_t hit_count = 0;
  uint32_t first_hit = 0;
  const Value* any_unknown_output = nullptr;
  bool any_differs = false;
  Value* collected = d.hit == dsl::HitPolicy::kCollect ? lists.Allocate(count) : nullptr;
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
    if (hit_count == 0) first_hit = r;
    if (collected != nullptr) collected[hit_count] = outputs[r];
    if (d.hit == dsl::HitPolicy::kAny && any_unknown_output == nullptr && !any_differs) {
      // The first matching row's output is checked like the rest: unknown,
      // it is the answer (so past it, the first is known).
      if (!outputs[r].known()) {
        any_unknown_output = &outputs[r];
      } else if (hit_count > 0 && !SameOutput(outputs[r], outputs[first_hit])) {
        any_differs = true;
      }
    }
    ++hit_count;
  }
  if (any_unknown) return Value::Unknown(unknown);
  if (hit_count == 0) return Value::Unknown(causes.MakeNote(Note::kNoDecisionRow));
  switch (d.hit) {
    case dsl::HitPolicy::kUnique:
      if (hit_count > 1) return Value::Unknown(causes.MakeNote(Note::kAmbiguousRows));
      return outputs[first_hit];
    case dsl::HitPolicy::kAny:
      if (any_unknown_output != nullptr) return *any_unknown_output;
      if (any_differs) return Value::Unknown(causes.MakeNote(Note::kAmbiguousRows));
      return outputs[first_hit];
    case dsl::HitPolicy::kCollect: return Value::List(collected, static_cast<uint32_t>(hit_count));
    default: return outputs[first_hit];
  }
}

}  // namespace miaopi::engine
