// The decision graph of one item version: a flat array of nodes in
// topological order, children as indices. Loops are blocks: a kBinder node
// opens the block (the sweep jumps from it to the loop's end node), the
// body follows, and the loop node (kAll … kMax) closes it and runs the body
// once per element. Everything a node needs — constants, sets, regexes,
// table ids, record slots — is resolved when the graph is built.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dsl/builtins.h"
#include "dsl/outcome.h"
#include "dsl/types.h"
#include "engine/graph/flat_map.h"
#include "engine/graph/value.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace miaopi::engine {

using re2::RE2;

constexpr uint32_t kNoNode = UINT32_MAX;

// Which of a node's fields a, b, c name the nodes it reads.
enum class OperandShape : uint8_t {
  kNone,  // reads no node
  kA,     // reads node a
  kAB,    // reads nodes a and b
  kABC,   // reads nodes a, b and c
  kList,  // reads operands[a .. a+b)
};

// Which fields hold data rather than node ids (a constant, slot, shape,
// table, set, regex, decision table or licence use): two nodes of one kind
// with equal operands are the same node only when these are equal too.
enum NodeData : uint8_t { kDataNone = 0, kDataA = 1, kDataB = 2, kDataC = 4, kDataD = 8 };

// Properties of a kind: may constant folding compute it (its value depends
// only on its operands), and is it a loop (closes a block opened by kBinder).
enum NodeFlags : uint8_t { kFlagsNone = 0, kFoldable = 1, kLoop = 2 };

// Every node kind, one row each:
// X(enumerator, "printed name", operand shape, data fields, flags, "what it computes")
// Adding a kind is a row here plus its case in EvalNode (engine/runtime/eval_node.h).
// clang-format off
#define MIAOPI_NODE_KINDS(X)                                                                                     \
  X(kConst, "const", kNone, kDataA, kFlagsNone, "consts[a]")                                                     \
  X(kToday, "today", kNone, kDataNone, kFlagsNone, "the evaluation date")                                        \
  X(kInput, "input", kNone, kDataNone, kFlagsNone, "the application: the root record")                           \
  X(kField, "field", kA, kDataB | kDataC, kFlagsNone, "slot b of record a (shape c)")                            \
  X(kListIndex, "index", kAB, kDataNone, kFoldable, "element b (an int node) of list a; label names the list")   \
  X(kRow, "row", kA, kDataB, kFoldable, "the row of table b whose key is a; unknown when there is none")         \
  X(kColumn, "column", kA, kDataB | kDataC, kFoldable, "column b of row a (table c)")                            \
  X(kBinder, "loop", kA, kDataNone, kFlagsNone, "loop variable over list a; opens a loop block ending at node b") \
  X(kAll, "all", kAB, kDataNone, kLoop, "loop over binder a: true when body b holds for every element")          \
  X(kAny, "any", kAB, kDataNone, kLoop, "loop over binder a: true when body b holds for some element")           \
  X(kCountIf, "count", kAB, kDataNone, kLoop, "loop over binder a: how many elements satisfy body b")            \
  X(kSum, "sum", kAB, kDataNone, kLoop, "loop over binder a: sum of body b")                                     \
  X(kMin, "min", kAB, kDataNone, kLoop, "loop over binder a: least body b")                                      \
  X(kMax, "max", kAB, kDataNone, kLoop, "loop over binder a: greatest body b")                                   \
  X(kNot, "not", kA, kDataNone, kFoldable, "not a (three-valued)")                                               \
  X(kAnd, "and", kAB, kDataNone, kFoldable, "a and b: false wins over unknown")                                  \
  X(kOr, "or", kAB, kDataNone, kFoldable, "a or b: true wins over unknown")                                      \
  X(kIf, "if", kABC, kDataNone, kFoldable, "if a then b else c")                                                 \
  X(kCoalesce, "coalesce", kAB, kDataNone, kFoldable, "a when known, else b")                                    \
  X(kExists, "exists", kA, kDataNone, kFoldable, "is a known")                                                   \
  X(kNeg, "neg", kA, kDataNone, kFoldable, "-a (cls says int, number or duration)")                              \
  X(kArith, "arith", kAB, kDataNone, kFoldable, "a op b (op: Arith, cls: ArithClass)")                           \
  X(kCompare, "compare", kAB, kDataNone, kFoldable, "a op b (op: Compare, cls: CompareClass)")                   \
  X(kInSet, "in_set", kA, kDataB, kFoldable, "a in constant set b")                                              \
  X(kInList, "in_list", kAB, kDataNone, kFoldable, "a in list b")                                                \
  X(kInTable, "in_table", kA, kDataB, kFoldable, "a is a key of table b")                                        \
  X(kMatches, "matches", kA, kDataB, kFoldable, "a matches regexes[b] (a search unless anchored)")               \
  X(kCall, "call", kList, kDataNone, kFoldable, "builtin op over operands[a .. a+b)")                            \
  X(kMakeList, "list", kList, kDataNone, kFoldable, "a list of operands[a .. a+b)")                              \
  X(kContext, "context", kNone, kDataNone, kFlagsNone,                                                           \
    "the caller's request context: the root record of `subject` and `context`")                                  \
  X(kLicence, "licence", kABC, kDataD, kFlagsNone,                                                               \
    "licence use d, looked up by key a for the subject of kind b and id c")                                      \
  X(kDecision, "decision", kList, kDataC, kFoldable,                                                             \
    "decision table c over operands[a .. a+b): its arguments, then every row's output")
// clang-format on

enum class NodeKind : uint8_t {
#define MIAOPI_NODE_KIND_ENUM(kind, name, shape, data, flags, meaning) kind,
  MIAOPI_NODE_KINDS(MIAOPI_NODE_KIND_ENUM)
#undef MIAOPI_NODE_KIND_ENUM
};

struct NodeKindInfo {
  const char* name;
  OperandShape shape;
  uint8_t data;   // NodeData bits
  uint8_t flags;  // NodeFlags bits
};

inline constexpr NodeKindInfo kNodeKinds[] = {
#define MIAOPI_NODE_KIND_INFO(kind, name, shape, data, flags, meaning) \
  {name, OperandShape::shape, static_cast<uint8_t>(data), static_cast<uint8_t>(flags)},
    MIAOPI_NODE_KINDS(MIAOPI_NODE_KIND_INFO)
#undef MIAOPI_NODE_KIND_INFO
};

constexpr const NodeKindInfo& InfoOf(NodeKind k) { return kNodeKinds[static_cast<size_t>(k)]; }
constexpr const char* NodeKindName(NodeKind k) { return InfoOf(k).name; }
constexpr bool IsLoop(NodeKind k) { return (InfoOf(k).flags & kLoop) != 0; }
constexpr bool IsFoldable(NodeKind k) { return (InfoOf(k).flags & kFoldable) != 0; }

enum class Arith : uint8_t { kAdd, kSub, kMul, kDiv, kMod };
enum class ArithClass : uint8_t {
  kInt,           // int op int, overflow-checked
  kNumber,        // double arithmetic (int operands convert)
  kDateDuration,  // date ± duration
  kDurationDate,  // duration + date
  kDuration,      // duration ± duration
  kString,        // string + string: the two joined
};
enum class Compare : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
enum class CompareClass : uint8_t { kInt, kNumber, kString, kDate, kBool, kDuration };

// What evaluating a node reads: 16 bytes, four nodes to a cache line. The
// sweep reads these (Graph::sweep_nodes) rather than whole nodes: with
// hundreds of items in a pack an item's nodes are rarely in cache, and a
// third fewer lines is a third fewer misses.
struct NodeCore {
  NodeKind kind = NodeKind::kConst;
  uint8_t op = 0;   // kArith: Arith; kCompare: Compare; kCall: dsl::Builtin
  uint8_t cls = 0;  // kArith: ArithClass; kCompare: CompareClass; kNeg: 0 int, 1 number, 2 duration
  uint8_t pad = 0;
  uint32_t a = 0, b = 0, c = 0;
};
static_assert(sizeof(NodeCore) == 16);

struct Node : NodeCore {
  uint32_t d = 0;      // kLicence: the licence use
  uint32_t label = 0;  // Graph::labels: the source text this node computes
};

// Calls f(operand) for every node id a node reads (by reference when the
// graph and node are mutable, so passes can redirect operands).
template <typename GraphT, typename NodeT, typename F>
void ForEachOperand(GraphT& g, NodeT& n, F&& f);

// Hash and equality of scalar values for sets and table keys; ints and
// numbers that are equal hash alike.
struct ScalarHash {
  uint64_t operator()(const Value& v) const;
};
struct ScalarEq {
  bool operator()(const Value& a, const Value& b) const;
};
// A constant set (`x in [constants]`): each member maps to true.
using ScalarSet = FlatMap<Value, bool, ScalarHash, ScalarEq>;

// The slots of one record type. Shapes are shared by structurally equal
// record types, so a record value reads alike wherever it came from.
struct Shape {
  const dsl::Type* type = nullptr;
  std::vector<uint32_t> fields;  // slot → index into type->fields
  uint32_t SlotOf(uint32_t field_index);
  int FindSlot(uint32_t field_index) const;
};

// How to read the application: which slots of which record at which path.
struct PlanField {
  std::string name;  // JSON member name
  const dsl::Type* type = nullptr;
  uint32_t slot = 0;
  // Graph::paths of the field and of its elements at each list depth:
  // "business.scope", "business.scope[]", …
  std::vector<uint32_t> paths;
  int32_t child = -1;  // plan record for a record (or list of records) field
  bool fixed = false;  // declared `fixed`: the applicant cannot change it (remedies)
};
// What reading a member needs. Every plan record's keys, names and probe
// tables sit in three arrays of the graph (Graph::plan_keys, plan_names,
// plan_table): with hundreds of items in a pack an item's plan is rarely in
// cache, and each separate allocation was one more miss per decision. The
// PlanField beside a key (same index in its record) is read only for the
// path of an unknown and the type of a list's elements.
struct PlanKey {
  uint32_t name_at = 0, name_len = 0;  // in Graph::plan_names
  uint32_t slot = 0;
  int32_t child = -1;
  // The field's type's kind, without reaching for the type (which only a
  // list's elements need: PlanField::type).
  dsl::TypeKind kind = dsl::TypeKind::kError;
};
// Whether n bytes at a and b are equal: short names (member names) inline,
// by overlapping loads that stay inside both, longer ones by memcmp.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&a1, a + n - 4, 4);
    std::memcpy(&b1, b + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

struct PlanRecord {
  uint32_t shape = 0;
  uint32_t size = 0;  // slots
  std::vector<PlanField> fields;
  // Its keys: Graph::plan_keys[first_key .. first_key + fields.size()), and
  // its open-addressing table of key indices + 1 (0: empty) by KeyHash:
  // Graph::plan_table[table_at .. table_at + table_mask + 1), so a member
  // name is found with one or two probes, whatever the key count.
  uint32_t first_key = 0, table_at = 0, table_mask = 0;

  static uint32_t KeyHash(std::string_view name) {
    uint32_t h = static_cast<uint32_t>(name.size()) * 0x9E3779B1u;
    if (!name.empty()) {
      h ^= static_cast<uint8_t>(name.front()) * 0x85EBCA77u;
      h ^= static_cast<uint8_t>(name.back()) * 0xC2B2AE3Du;
      h ^= static_cast<uint8_t>(name[name.size() / 2]) * 0x27D4EB2Fu;
    }
    return h ^ (h >> 15);
  }
};

// One plan record's keys, as Reader (engine/runtime/ingest.cc) reads them.
struct RecordKeys {
  const PlanKey* keys;
  const char* names;
  const uint16_t* table;
  uint32_t mask;
  uint32_t count;

  // The index of the key named `name`, or -1.
  int Find(std::string_view name) const {
    for (uint32_t at = PlanRecord::KeyHash(name) & mask;; at = (at + 1) & mask) {
      uint16_t entry = table[at];
      if (entry == 0) return -1;
      const PlanKey& k = keys[entry - 1];
      if (k.name_len == name.size() && SameBytes(names + k.name_at, name.data(), name.size())) return entry - 1;
    }
  }
};

// A licence an item uses (`uses licence TYPE as NAME`).
struct LicenceUse {
  std::string type, title, name;  // "business_licence", "营业执照", "bl"
  int32_t plan = -1;              // plan record that reads a found licence's JSON
};

// An item output carried by the decision record.
struct OutputInfo {
  std::string name;
  uint32_t node = kNoNode;
};

struct RuleInfo {
  std::string code, message;
  std::vector<std::string> basis;
  dsl::Outcome outcome = dsl::Outcome::kReview;
  std::optional<dsl::Outcome> on_missing;
  uint32_t cond = kNoNode;
  uint32_t label = 0;  // the condition's source text
};

// Constants point into const_strings / const_lists, so a graph moves but
// never copies.
// One RE2 per distinct pattern of a pack (RE2 is safe to share between threads).
class RegexPool {
 public:
  std::shared_ptr<const RE2> Get(const std::string& pattern);

 private:
  std::unordered_map<std::string, std::shared_ptr<const RE2>> by_pattern_;
};

struct Graph {
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;

  // What every decision reads first, together (a few cache lines of the
  // item), then the rest.
  std::vector<Node> nodes;
  std::vector<NodeCore> sweep_nodes;  // each node's NodeCore, set by Schedule
  std::vector<uint32_t> operands;     // kCall / kMakeList operand lists
  std::vector<Value> consts;
  std::vector<PlanRecord> plan;    // plan[0] is the application root
  std::vector<PlanKey> plan_keys;  // every plan record's keys, record after record
  std::string plan_names;          // their member names
  std::vector<uint16_t> plan_table;
  std::vector<OutputInfo> outputs;
  int32_t context_plan = -1;  // plan record of the request context
  bool scheduled = false;
  std::vector<ScalarSet> sets;
  // Compiled once per pattern and pack (RegexPool): items that share a
  // pattern share its RE2 and its warm DFA.
  std::vector<std::shared_ptr<const RE2>> regexes;
  std::vector<LicenceUse> licences;
  std::vector<RuleInfo> rules;
  std::deque<std::string> const_strings;  // backing for string constants
  std::deque<std::vector<Value>> const_lists;
  std::vector<std::string> regex_sources;
  std::vector<std::string> labels;
  std::vector<std::string> paths;
  std::vector<Shape> shapes;
  std::unordered_map<std::string, uint32_t> const_index;  // interning key → const id

  uint32_t AddConst(Value v);
  uint32_t AddStringConst(std::string_view s);
  uint32_t AddLabel(std::string text);
  // Appends the keys, names and probe table of plan[index], whose fields are set.
  void BuildKeys(int32_t index);
  RecordKeys KeysOf(const PlanRecord& r) const {
    return {plan_keys.data() + r.first_key, plan_names.data(), plan_table.data() + r.table_at, r.table_mask,
            static_cast<uint32_t>(r.fields.size())};
  }
};

template <typename GraphT, typename NodeT, typename F>
void ForEachOperand(GraphT& g, NodeT& n, F&& f) {
  switch (InfoOf(n.kind).shape) {
    case OperandShape::kNone: return;
    case OperandShape::kA: f(n.a); return;
    case OperandShape::kAB:
      f(n.a);
      f(n.b);
      return;
    case OperandShape::kABC:
      f(n.a);
      f(n.b);
      f(n.c);
      return;
    case OperandShape::kList:
      for (uint32_t i = 0; i < n.b; ++i) f(g.operands[n.a + i]);
      return;
  }
}

// Calls f(value) for every data field of a node (NodeData), in a, b, c, d order.
template <typename F>
void ForEachData(const Node& n, F&& f) {
  uint8_t data = InfoOf(n.kind).data;
  if (data & kDataA) f(n.a);
  if (data & kDataB) f(n.b);
  if (data & kDataC) f(n.c);
  if (data & kDataD) f(n.d);
}

}  // namespace miaopi::engine
