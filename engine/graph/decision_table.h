// A decision table compiled for evaluation: cells as values, and an index
// on one input column where the cells allow (engine/compile/decision_table
// builds it), so a call looks at a few candidate rows instead of scanning
// (engine/runtime/decision_eval). The reference evaluator runs the same
// matching over every row; the differential test checks the index.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/ast.h"
#include "engine/graph/graph.h"

namespace miaopi::engine {

struct CompiledCell {
  dsl::CellDecl::Kind kind = dsl::CellDecl::Kind::kAny;
  std::vector<Value> values;  // kEquals; kCompare uses values[0]
  dsl::Op op = dsl::Op::kEq;
  Value lo, hi;
  bool lo_open = false, hi_open = false;
  std::unique_ptr<CompiledCell> inner;
};

// Cells point into `strings`: moves, never copies.
struct CompiledDecision {
  CompiledDecision() = default;
  CompiledDecision(const CompiledDecision&) = delete;
  CompiledDecision& operator=(const CompiledDecision&) = delete;
  CompiledDecision(CompiledDecision&&) = default;
  CompiledDecision& operator=(CompiledDecision&&) = default;

  std::string name;
  dsl::HitPolicy hit = dsl::HitPolicy::kFirst;
  uint32_t inputs = 0;                           // parameters
  std::vector<uint32_t> column_param;            // header column → parameter
  std::vector<std::vector<CompiledCell>> cells;  // [row][column]
  std::deque<std::string> strings;               // backing for string cells

  enum class IndexKind : uint8_t { kNone, kHash, kIntervals } index = IndexKind::kNone;
  uint32_t index_param = 0;
  FlatMap<Value, std::vector<uint32_t>, ScalarHash, ScalarEq> by_value;  // kHash
  std::vector<uint32_t> other_rows;                                      // kHash: rows for values not in by_value
  std::vector<double> bounds;                                            // kIntervals: sorted cell boundaries
  std::vector<std::vector<uint32_t>> piece_rows;                         // kIntervals: 2 * bounds + 1 pieces

  size_t rows() const { return cells.size(); }
};

}  // namespace miaopi::engine
