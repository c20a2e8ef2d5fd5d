// Optimization passes over an unscheduled graph, each small and named, each
// reporting whether it changed anything, each switchable off by name
// (`--disable-pass fold`), each in its own file. Schedule then lays the
// graph out for the evaluator; it is not optional. This file's external
// interface is Optimize, AllPasses and Schedule.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/graph/decision_table.h"
#include "engine/graph/graph.h"
#include "engine/graph/tables.h"

namespace miaopi::engine {

// What a pass may read besides the graph.
struct PassInputs {
  const std::vector<CompiledTable>& tables;
  const std::vector<CompiledDecision>& decisions;
};

struct PassInfo {
  std::string_view name;                        // what --disable-pass takes
  std::string_view summary;                     // one line, for `miaopi graph --passes` and the docs
  bool (*run)(Graph& g, const PassInputs& in);  // true when it changed the graph
};

// Every pass, in the order they run: cse, fold, simplify, const-sets.
const std::vector<PassInfo>& AllPasses();
bool IsPassName(std::string_view name);

struct OptimizeOptions {
  std::vector<std::string> disabled;  // pass names
  bool Enabled(std::string_view pass) const;
};

// Runs the enabled passes until none changes the graph (a few rounds at
// most). `log` gets a line per pass that changed something.
void Optimize(Graph& g, const std::vector<CompiledTable>& tables, const std::vector<CompiledDecision>& decisions,
              const OptimizeOptions& options, std::vector<std::string>* log = nullptr);

// Lays out the nodes the rules need (dropping the rest) in topological
// order with loop bodies as contiguous blocks after their kBinder, hoisting
// loop-invariant nodes out of loops. (schedule.cc)
void Schedule(Graph& g);

// The binders (kBinder node ids) each node depends on, sorted.
std::vector<std::vector<uint32_t>> FreeBinders(const Graph& g);

}  // namespace miaopi::engine
