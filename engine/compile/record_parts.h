// The constant parts of an item version's records, built once per pack
// from the pieces of engine/runtime/record_format.h. This file's external
// interface is BuildRecordParts.
#pragma once

#include "engine/graph/compiled_pack.h"

namespace miaopi::engine {

RecordParts BuildRecordParts(const CompiledItem& item);

}  // namespace miaopi::engine
