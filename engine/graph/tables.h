// Tables compiled for lookup: every row's cells as values, and a hash map
// from key to row, built once when the pack is compiled.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/graph/graph.h"
#include "engine/graph/value.h"

namespace miaopi::engine {

// Cells point into `strings`, so a table moves but never copies.
struct CompiledTable {
  CompiledTable() = default;
  CompiledTable(const CompiledTable&) = delete;
  CompiledTable& operator=(const CompiledTable&) = delete;
  CompiledTable(CompiledTable&&) = default;
  CompiledTable& operator=(CompiledTable&&) = default;

  std::string name;
  std::vector<std::string> columns;
  uint32_t key_column = 0;
  uint32_t width = 0;
  std::vector<Value> cells;  // row-major; an empty cell is unknown with cause 0
  std::deque<std::string> strings;
  FlatMap<Value, uint32_t, ScalarHash, ScalarEq> index;  // key → row (the first of a repeated key)

  // The row's cells, or nullptr when no row has this key.
  const Value* Find(const Value& key) const {
    const uint32_t* row = index.Find(key);
    return row == nullptr ? nullptr : cells.data() + static_cast<size_t>(*row) * width;
  }
  // The key of a row (for causes): its key cell.
  size_t rows() const { return width == 0 ? 0 : cells.size() / width; }
};

}  // namespace miaopi::engine
