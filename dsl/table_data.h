// Tables of a pack: CSV files with a header row, parsed into typed cells.
// This file's external interface is LoadTable. CSV text is added to the
// SourceSet so its diagnostics point at file:line:col like rules do.
#pragma once

#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/types.h"

namespace miaopi::dsl {

// One cell; an empty CSV cell is absent (a lookup of it is unknown).
struct Cell {
  bool present = false;
  Literal value;
};

struct TableData {
  std::string name;
  std::string path;                  // as written in the pack
  std::vector<std::string> columns;  // header names
  std::vector<const Type*> types;    // per column; string unless declared
  uint32_t key = 0;                  // column index of the key
  std::vector<std::vector<Cell>> rows;
  uint32_t file = 0;  // SourceSet id of the CSV text

  int ColumnIndex(std::string_view column) const;
};

// Parses `text` (already in `sources` as `file`) as the table `decl`.
// Reports E402-E406 to `diags`; returns false when the table is unusable.
bool LoadTable(const TableDecl& decl, const SourceSet& sources, uint32_t file, TypeArena& types, size_t max_rows,
               Diagnostics& diags, TableData* out);

// Parses a cell of a declared type ("" → absent). False when it does not parse.
bool ParseCell(std::string_view text, const Type* type, Cell* out);

}  // namespace miaopi::dsl
