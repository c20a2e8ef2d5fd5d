#include "engine/compile/tables.h"

#include "engine/runtime/kernel.h"

namespace miaopi::engine {

CompiledTable CompileTable(const dsl::TableData& data) {
  CompiledTable t;
  t.name = data.name;
  t.columns = data.columns;
  t.key_column = data.key;
  t.width = static_cast<uint32_t>(data.columns.size());
  t.cells.reserve(data.rows.size() * t.width);
  for (const auto& row : data.rows) {
    for (const dsl::Cell& cell : row) {
      if (!cell.present) {
        t.cells.push_back(Value::Unknown(0));
      } else if (cell.value.kind == dsl::LiteralKind::kString) {
        t.cells.push_back(Value::String(t.strings.emplace_back(cell.value.s)));
      } else {
        t.cells.push_back(LiteralValue(cell.value));
      }
    }
  }
  for (uint32_t r = 0; r < data.rows.size(); ++r) {
    t.index.TryEmplace(t.cells[static_cast<size_t>(r) * t.width + t.key_column], r);
  }
  return t;
}

}  // namespace miaopi::engine
