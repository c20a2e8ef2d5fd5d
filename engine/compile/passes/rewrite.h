// What the optimization passes share. Each pass takes the unscheduled graph
// (nodes in creation order: operands first; a loop's binder, then its body,
// then the loop node) and either rewrites nodes in place or redirects their
// users to an equivalent node; Schedule later drops whatever nothing reads.
// Each pass lives in its own file and is listed once, in passes.cc.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/compile/passes/passes.h"

namespace miaopi::engine {

// Points every operand (and rule condition and output) x at forward[x];
// true when some reference moved. Nodes left without readers stay until
// Schedule.
bool Redirect(Graph& g, std::vector<uint32_t>& forward);

// forward[i] = i: nothing moved yet.
std::vector<uint32_t> Identity(size_t n);

inline bool IsConst(const Graph& g, uint32_t id) { return g.nodes[id].kind == NodeKind::kConst; }
inline const Value& ConstOf(const Graph& g, uint32_t id) { return g.consts[g.nodes[id].a]; }

// The passes, each true when it changed the graph.
bool Cse(Graph& g, const PassInputs& in);        // cse.cc
bool Fold(Graph& g, const PassInputs& in);       // fold.cc
bool Simplify(Graph& g, const PassInputs& in);   // simplify.cc
bool ConstSets(Graph& g, const PassInputs& in);  // const_sets.cc

}  // namespace miaopi::engine
