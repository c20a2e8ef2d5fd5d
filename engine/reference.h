// The reference evaluator: decides an application by walking the checked
// AST directly and reading the JSON document by path — no graph, no slots,
// no optimization. It shares only the value kernel (engine/kernel.h) with
// the real evaluator, so a differential test of the two checks lowering,
// the passes, scheduling, ingest and the sweep. Slow by design; for tests.
#pragma once

#include <rapidjson/document.h>

#include "engine/decider.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/pack.h"

namespace miaopi::engine {

class ReferenceEvaluator {
 public:
  explicit ReferenceEvaluator(const CompiledPack& pack, LicenceStore* licences = nullptr)
      : pack_(pack), licences_(licences) {}
  Record Decide(const rapidjson::Value& application, const Request& request);

 private:
  const CompiledPack& pack_;
  LicenceStore* licences_;
};

}  // namespace miaopi::engine
