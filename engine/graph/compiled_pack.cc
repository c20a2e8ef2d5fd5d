#include "engine/graph/compiled_pack.h"

namespace miaopi::engine {

ItemLookup CompiledPack::Find(std::string_view code, int32_t date) const {
  auto it = code_index.find(code);
  if (it == code_index.end()) return {ItemLookup::Result::kUnknownItem};
  for (size_t index : *it->second) {
    const dsl::ItemVersion& v = *items[index].version;
    if (v.effective <= date && (!v.until || date <= *v.until)) return {ItemLookup::Result::kFound, index};
  }
  return {ItemLookup::Result::kNoVersionInForce};
}

}  // namespace miaopi::engine
