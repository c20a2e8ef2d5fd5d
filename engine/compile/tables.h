// A table's CSV data (dsl/table_data.h) compiled for lookup: every row's
// cells as values and a hash map from key to row. This file's external
// interface is CompileTable.
#pragma once

#include "dsl/table_data.h"
#include "engine/graph/tables.h"

namespace miaopi::engine {

CompiledTable CompileTable(const dsl::TableData& data);

}  // namespace miaopi::engine
