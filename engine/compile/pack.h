// A compiled pack: the checked program, its tables ready for lookup, and
// one scheduled decision graph per item version. Immutable once built and
// shared by every thread. This file's external interface is CompilePack.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dsl/diagnostics.h"
#include "dsl/program.h"
#include "engine/graph/decision_table.h"
#include "engine/graph/graph.h"
#include "engine/runtime/record_writer.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/compile/passes/passes.h"
#include "engine/graph/tables.h"

namespace miaopi::engine {

struct CompiledItem {
  const dsl::ItemVersion* version = nullptr;
  Graph graph;
  RecordParts record;                  // the constant parts of its records
  size_t nodes_lowered = 0;            // reachable nodes before optimization
  std::vector<std::string> pass_log;
};

struct CompiledPack {
  std::unique_ptr<dsl::Program> program;
  PackIdentity identity;
  Limits limits;
  std::vector<CompiledTable> tables;
  std::vector<CompiledDecision> decisions;  // by program decision index
  std::vector<std::string> table_names;
  std::vector<std::vector<std::string>> table_columns;
  std::vector<CompiledItem> items;     // by ItemVersion index
  std::map<std::string, std::vector<size_t>, std::less<>> by_code;
  // by_code hashed, for the lookup every decision makes (keys view by_code's).
  std::unordered_map<std::string_view, const std::vector<size_t>*> code_index;

  // The item version of `code` in force on `date`; -1 when the code is
  // unknown, -2 when no version is in force.
  int Find(std::string_view code, int32_t date) const;
};

// Compiles a checked program (which must have no errors). Problems found
// while compiling (an expression too deep once defs are inlined) go to
// `diags`; the pack is unusable when they hold errors.
std::unique_ptr<CompiledPack> CompileProgram(std::unique_ptr<dsl::Program> program, const Limits& limits,
                                             const OptimizeOptions& passes, dsl::Diagnostics& diags);

// SHA-256 over the pack's inputs: for each file, sorted by path, the path,
// a NUL, the size and the bytes. "sha256:" + hex.
std::string PackHash(const dsl::Program& program);

}  // namespace miaopi::engine
