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
      auto it = d.by_value.find(x);
      return it == d.by_value.end() ? &d.other_rows : &it->second;
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

}  // namespace

Value EvalDecision(const CompiledDecision& d, const Value* args, const Value* outputs, CauseArena& causes,
                   BumpArena<Value>& lists, bool use_index) {
  const std::vector<uint32_t>* candidates =
      use_index && d.index != CompiledDecision::IndexKind::kNone ? Candidates(d, args) : nullptr;
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
