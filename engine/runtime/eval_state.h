// Per-evaluation scratch: node values, arenas for the application's slots,
// strings and causes. One per thread; reused from one application to the
// next, so steady-state evaluation does not allocate.
#pragma once

#include <rapidjson/document.h>

#include <deque>
#include <vector>

#include "engine/graph/value.h"
#include "engine/runtime/arena.h"
#include "engine/runtime/causes.h"
#include "engine/runtime/licence_lookup.h"

namespace miaopi::engine {

struct EvalState {
  std::vector<Value> values;      // one per graph node
  std::vector<uint32_t> decided;  // per loop node: the element that decided it, or UINT32_MAX
  BumpArena<Value> slots{4096};   // application records, lists, list literals
  StringArena strings;
  CauseArena causes;
  std::vector<uint32_t> indices;              // list indices of the position being read
  std::deque<rapidjson::Document> documents;  // licences read during this evaluation (reference paths)
  LicenceCache licences;                      // licence answers, parsed, kept across evaluations
  // Remedies re-run the graph on changed inputs; the evaluation's own values
  // are kept here meanwhile and put back after (engine/runtime/remedy.cc).
  std::vector<Value> kept_values;
  std::vector<uint32_t> kept_decided;
  std::vector<uint8_t> changed;  // RunGraphChanged: per node, did its value change
  uint64_t loop_work = 0;        // loop body nodes run (elements × body size): remedies' work budget

  void Reset() {
    slots.Reset();
    strings.Reset();
    causes.Reset();
    indices.clear();
    documents.clear();
    licences.EndEvaluation();
  }
};

}  // namespace miaopi::engine
