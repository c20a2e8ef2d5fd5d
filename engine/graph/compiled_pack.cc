#include "engine/graph/compiled_pack.h"

namespace miaopi::engine {

ItemLookup CompiledPack::Find(std::string_view code, int32_t date) const {
  const std::pair<uint32_t, uint32_t>* range = code_index.Find(code);
  if (range == nullptr) return {ItemLookup::Result::kUnknownItem};
  for (uint32_t w = range->first; w < range->second; ++w) {
    const VersionWindow& v = windows[w];
    if (v.effective <= date && date <= v.until) return {ItemLookup::Result::kFound, v.index};
  }
  return {ItemLookup::Result::kNoVersionInForce};
}

}  // namespace miaopi::engine
