// cse: common subexpressions. Equal nodes (and loops equal up to their
// binder's name) become one, so a field read, age(…) or a licence search
// shared by several rules is computed once per application.
#include <map>
#include <string>
#include <unordered_map>

#include "engine/compile/passes/rewrite.h"

namespace miaopi::engine {

namespace {

// Structural key of a node, its operands given by value number.
std::string NodeKey(const Graph& g, const Node& n, const std::vector<uint32_t>& vn) {
  std::string key;
  key += static_cast<char>(n.kind);
  key += static_cast<char>(n.op);
  key += static_cast<char>(n.cls);
  auto put = [&](uint32_t x) { key.append(reinterpret_cast<const char*>(&x), sizeof x); };
  ForEachOperand(g, n, [&](uint32_t op) { put(vn[op]); });
  ForEachData(n, put);
  return key;
}

class AlphaSignature {
 public:
  AlphaSignature(const Graph& g, const std::vector<uint32_t>& vn, const std::vector<std::vector<uint32_t>>& free)
      : g_(g), vn_(vn), free_(free) {}

  // A text that is equal for two loops exactly when they are the same loop
  // up to the name of their binder.
  std::string Of(uint32_t loop) {
    memo_.clear();
    names_.clear();
    return Sig(loop, true);
  }

 private:
  bool DependsOnNamed(uint32_t id) const {
    for (uint32_t b : free_[id]) {
      if (names_.count(b)) return true;
    }
    return false;
  }

  std::string Sig(uint32_t id, bool top = false) {
    const Node& n = g_.nodes[id];
    if (!top && !DependsOnNamed(id)) return "#" + std::to_string(vn_[id]);
    auto named = names_.find(id);
    if (named != names_.end()) return named->second;
    auto memo = memo_.find(id);
    if (memo != memo_.end()) return memo->second;
    std::string s = "(" + std::string(NodeKindName(n.kind)) + "/" + std::to_string(n.op) + "/" + std::to_string(n.cls);
    if (IsLoop(n.kind)) {
      uint32_t binder = n.a;
      s += " " + Sig(g_.nodes[binder].a);  // the list
      names_[binder] = "b" + std::to_string(names_.size());
      s += " " + Sig(n.b);
      names_.erase(binder);
    } else if (n.kind == NodeKind::kBinder) {
      s += " " + Sig(n.a);  // a binder of an outer loop not named here: identity
      s += "#" + std::to_string(id);
    } else {
      ForEachData(n, [&](uint32_t x) { s += " d" + std::to_string(x); });
      ForEachOperand(g_, n, [&](uint32_t op) { s += " " + Sig(op); });
    }
    s += ")";
    memo_[id] = s;
    return s;
  }

  const Graph& g_;
  const std::vector<uint32_t>& vn_;
  const std::vector<std::vector<uint32_t>>& free_;
  std::unordered_map<uint32_t, std::string> memo_;
  std::map<uint32_t, std::string> names_;
};

}  // namespace

bool Cse(Graph& g, const PassInputs&) {
  size_t n = g.nodes.size();
  std::vector<uint32_t> vn(n), forward = Identity(n);
  std::vector<std::vector<uint32_t>> free = FreeBinders(g);
  std::unordered_map<std::string, uint32_t> seen;  // key → representative
  AlphaSignature alpha(g, vn, free);
  bool changed = false;
  for (uint32_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    std::string key;
    if (node.kind == NodeKind::kBinder) {
      key = "binder#" + std::to_string(i);  // distinct until its loop proves equal
    } else if (IsLoop(node.kind)) {
      key = "loop" + alpha.Of(i);
    } else {
      key = NodeKey(g, node, vn);
    }
    auto [it, inserted] = seen.emplace(std::move(key), i);
    vn[i] = it->second;
    if (!inserted) {
      forward[i] = it->second;
      changed = true;
    }
  }
  return changed && Redirect(g, forward);
}

}  // namespace miaopi::engine
