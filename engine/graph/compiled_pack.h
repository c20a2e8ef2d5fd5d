// A compiled pack: the checked program, its tables ready for lookup, and
// one scheduled decision graph per item version, each with the constant
// parts of its records. What compiling (engine/compile) produces and
// everything at run time (engine/runtime) reads; immutable once built and
// shared by every thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dsl/program.h"
#include "engine/graph/decision_table.h"
#include "engine/graph/graph.h"
#include "engine/graph/record_parts.h"
#include "engine/graph/tables.h"
#include "engine/include/miaopi/miaopi.h"

namespace miaopi::engine {

struct CompiledItem {
  const dsl::ItemVersion* version = nullptr;
  Graph graph;
  RecordParts record;        // the constant parts of its records
  size_t nodes_lowered = 0;  // reachable nodes before optimization
  std::vector<std::string> pass_log;
};

// The answer to "which item version decides this application".
struct ItemLookup {
  enum class Result : uint8_t {
    kFound,             // `index` is the item version in force
    kUnknownItem,       // the pack has no item with that code
    kNoVersionInForce,  // the item exists, but no version is in force on the date
  };
  Result result = Result::kUnknownItem;
  size_t index = 0;  // into CompiledPack::items, when found
};

struct CompiledPack {
  std::unique_ptr<dsl::Program> program;
  PackIdentity identity;
  Limits limits;
  // How every record ends: ,"pack":{…}} — one copy for all items (engine/runtime/record_writer.cc).
  std::string record_end;
  std::vector<CompiledTable> tables;
  std::vector<CompiledDecision> decisions;  // by program decision index
  std::vector<std::string> table_names;
  std::vector<std::vector<std::string>> table_columns;
  std::vector<CompiledItem> items;  // by ItemVersion index
  std::map<std::string, std::vector<size_t>, std::less<>> by_code;
  // What the lookup every decision makes reads, apart from the items (with
  // hundreds of items, each separate allocation it reaches is a cache miss):
  // per code, by hash (keys view by_code's), its versions' windows, which
  // are contiguous in `windows`.
  struct VersionWindow {
    int32_t effective = 0, until = 0;  // in force on [effective, until]
    uint32_t index = 0;                // into items
  };
  std::vector<VersionWindow> windows;
  struct CodeHash {
    uint64_t operator()(std::string_view s) const { return HashBytes(s); }
  };
  FlatMap<std::string_view, std::pair<uint32_t, uint32_t>, CodeHash, std::equal_to<>> code_index;  // [first, end)

  // The item version of `code` in force on `date`.
  ItemLookup Find(std::string_view code, int32_t date) const;
};

}  // namespace miaopi::engine
