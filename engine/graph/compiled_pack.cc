#include "engine/graph/compiled_pack.h"

namespace miaopi::engine {

ItemLookup CompiledPack::Find(std::string_view code, int32_t date) const {
  auto it = code_index.find(code);
  if (it == code_index.end()) return {ItemLookup::Result::kUnknownItem};
  for (uint32_t w = it->second.first; w < it->second.second; ++w) {
    const VersionWindow& v = windows[w];
    if (v.effective <= date && date <= v.until) return {ItemLookup::Result::kFound, v.index};
  }
  return {ItemLookup::Result::kNoVersionInForce};
}

}  // namespace miaopi::engine
