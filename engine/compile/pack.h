// Compiling a checked program into a pack (engine/graph/compiled_pack.h):
// its tables and decision tables, then each item version lowered,
// optimized, scheduled, checked and given its record parts. This file's
// external interface is CompileProgram (and PackHash).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dsl/diagnostics.h"
#include "dsl/program.h"
#include "engine/compile/passes/passes.h"
#include "engine/graph/compiled_pack.h"

namespace miaopi::engine {

// Compiles a checked program (which must have no errors). Problems found
// while compiling (an expression too deep once defs are inlined) go to
// `diags`; the pack is unusable when they hold errors.
std::unique_ptr<CompiledPack> CompileProgram(std::unique_ptr<dsl::Program> program, const Limits& limits,
                                             const OptimizeOptions& passes, dsl::Diagnostics& diags);

// The parse and check options the pack limits ask for.
dsl::LoadOptions DslLoadOptions(const Limits& limits);

// SHA-256 over the pack's inputs: for each file, sorted by path, the path,
// a NUL, the size and the bytes. "sha256:" + hex.
std::string PackHash(const dsl::Program& program);

}  // namespace miaopi::engine
