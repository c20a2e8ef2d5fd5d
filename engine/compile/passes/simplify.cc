// simplify: three-valued identities that hold whatever the other operand
// is: false and x = false, true and x = x, true or x = true, false or x = x,
// not not x = x, if true/false, known ?? x = known, x and x = x.
#include "engine/compile/passes/rewrite.h"

namespace miaopi::engine {

bool Simplify(Graph& g, const PassInputs&) {
  std::vector<uint32_t> forward = Identity(g.nodes.size());
  bool changed = false;
  auto bool_const = [&](uint32_t id, bool value) {
    return IsConst(g, id) && ConstOf(g, id).kind == ValueKind::kBool && ConstOf(g, id).b == value;
  };
  auto resolve = [&](uint32_t x) {
    while (forward[x] != x) x = forward[x];
    return x;
  };
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    bool logical = n.kind == NodeKind::kAnd || n.kind == NodeKind::kOr || n.kind == NodeKind::kNot ||
                   n.kind == NodeKind::kIf || n.kind == NodeKind::kCoalesce;
    if (!logical) continue;
    uint32_t a = resolve(n.a);
    uint32_t b = n.kind == NodeKind::kNot ? a : resolve(n.b);
    uint32_t to = i;
    switch (n.kind) {
      case NodeKind::kAnd:
        if (bool_const(a, false) || bool_const(b, true) || a == b)
          to = a;
        else if (bool_const(b, false) || bool_const(a, true))
          to = b;
        break;
      case NodeKind::kOr:
        if (bool_const(a, true) || bool_const(b, false) || a == b)
          to = a;
        else if (bool_const(b, true) || bool_const(a, false))
          to = b;
        break;
      case NodeKind::kNot:
        if (g.nodes[a].kind == NodeKind::kNot) to = resolve(g.nodes[a].a);
        break;
      case NodeKind::kIf:
        if (bool_const(a, true))
          to = b;
        else if (bool_const(a, false))
          to = resolve(n.c);
        break;
      case NodeKind::kCoalesce:
        if (IsConst(g, a) || a == b) to = a;
        break;
      default: break;
    }
    if (to != i) {
      forward[i] = to;
      changed = true;
    }
  }
  return changed && Redirect(g, forward);
}

}  // namespace miaopi::engine
