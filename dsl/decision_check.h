// Static checks of a decision table's rows: every cell fits its column's
// type (E502); under `unique` (and `any`, unless the outputs agree) no two
// rows may both match some input (E503); and inputs that no row matches are
// reported (W103) when the cells let it be proven. Each cell is a set of
// values — a union of intervals for int, number and date columns, a finite or
// co-finite set for string and bool columns — and the sets decide overlaps
// and gaps exactly. This file's external interface is AnalyzeDecision.
#pragma once

#include <vector>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"

namespace miaopi::dsl {

// `column_types[i]` is the type of header column i. False when a cell is of
// the wrong type (then the overlap and gap checks are skipped).
bool AnalyzeDecision(const DecisionDecl& d, const std::vector<const Type*>& column_types, const SourceSet& sources,
                     Diagnostics& diags);

}  // namespace miaopi::dsl
