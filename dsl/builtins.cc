#include "dsl/builtins.h"

namespace miaopi::dsl {

namespace {

struct BuiltinInfo {
  Builtin id;
  std::string_view name, doc;
};

constexpr BuiltinInfo kBuiltins[] = {
#define MIAOPI_BUILTIN_INFO(id, name, doc) {Builtin::id, name, doc},
    MIAOPI_BUILTINS(MIAOPI_BUILTIN_INFO)
#undef MIAOPI_BUILTIN_INFO
};

}  // namespace

std::optional<Builtin> FindBuiltin(std::string_view name) {
  for (const BuiltinInfo& b : kBuiltins) {
    if (b.name == name) return b.id;
  }
  return std::nullopt;
}

std::string_view BuiltinName(Builtin b) { return kBuiltins[static_cast<int>(b)].name; }
std::string_view BuiltinDoc(Builtin b) { return kBuiltins[static_cast<int>(b)].doc; }

}  // namespace miaopi::dsl
