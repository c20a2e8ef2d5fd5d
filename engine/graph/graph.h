// The decision graph of one item version: a flat array of nodes in
// topological order, children as indices. Loops are blocks: a kBinder node
// opens the block (the sweep jumps from it to the loop's end node), the
// body follows, and the loop node (kAll … kMax) closes it and runs the body
// once per element. Everything a node needs — constants, sets, regexes,
// table ids, record slots — is resolved when the graph is built.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dsl/ast.h"
#include "dsl/builtins.h"
#include "engine/graph/value.h"

namespace miaopi::engine {

constexpr uint32_t kNoNode = UINT32_MAX;

enum class NodeKind : uint8_t {
  kConst,      // consts[a]
  kToday,      // the evaluation date
  kInput,      // the application: the root record
  kField,      // slot b of record a (shape c)
  kListIndex,  // element b (an int node) of list a; label names the list
  kRow,        // the row of table b whose key is a; unknown when there is none
  kColumn,     // column b of row a (table c)
  kBinder,     // loop variable over list a; opens a loop block ending at node b
  kAll,        // loop over binder a: true when body b holds for every element
  kAny,        // loop over binder a: true when body b holds for some element
  kCountIf,    // loop over binder a: how many elements satisfy body b
  kSum,        // loop over binder a: sum of body b
  kMin,        // loop over binder a: least body b
  kMax,        // loop over binder a: greatest body b
  kNot,        // not a (three-valued)
  kAnd,        // a and b: false wins over unknown
  kOr,         // a or b: true wins over unknown
  kIf,         // if a then b else c
  kCoalesce,   // a when known, else b
  kExists,     // is a known
  kNeg,        // -a (cls says int, number or duration)
  kArith,      // a op b (op: Arith, cls: ArithClass)
  kCompare,    // a op b (op: Compare, cls: CompareClass)
  kInSet,      // a in constant set b
  kInList,     // a in list b
  kInTable,    // a is a key of table b
  kMatches,    // a matches regexes[b] (a search unless anchored)
  kCall,       // builtin op over operands[a .. a+b)
  kMakeList,   // a list of operands[a .. a+b)
  kContext,    // the caller's request context: the root record of `subject` and `context`
  kLicence,    // licence use d, looked up by key a for the subject of kind b and id c
  kDecision,   // decision table c over operands[a .. a+b): its arguments, then every row's output
};

const char* NodeKindName(NodeKind k);
bool IsLoop(NodeKind k);

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

struct Node {
  NodeKind kind = NodeKind::kConst;
  uint8_t op = 0;   // kArith: Arith; kCompare: Compare; kCall: dsl::Builtin
  uint8_t cls = 0;  // kArith: ArithClass; kCompare: CompareClass; kNeg: 0 int, 1 number, 2 duration
  uint8_t pad = 0;
  uint32_t a = 0, b = 0, c = 0;
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
  size_t operator()(const Value& v) const;
};
struct ScalarEq {
  bool operator()(const Value& a, const Value& b) const;
};
using ScalarSet = std::unordered_set<Value, ScalarHash, ScalarEq>;

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
  std::string name;           // JSON member name
  const dsl::Type* type = nullptr;
  uint32_t slot = 0;
  // Graph::paths of the field and of its elements at each list depth:
  // "business.scope", "business.scope[]", …
  std::vector<uint32_t> paths;
  int32_t child = -1;         // plan record for a record (or list of records) field
};
// What reading a member needs, in one small contiguous array (the names in
// one buffer), so that a decision touches few cache lines per record; the
// PlanField beside it (same index) is read only for the path of an unknown.
struct PlanKey {
  uint32_t name_at = 0, name_len = 0;  // in PlanRecord::names
  uint32_t slot = 0;
  int32_t child = -1;
  const dsl::Type* type = nullptr;
};
struct PlanRecord {
  uint32_t shape = 0;
  uint32_t size = 0;          // slots
  std::vector<PlanField> fields;
  std::vector<PlanKey> keys;  // fields[i]'s hot part
  std::string names;

  void BuildKeys() {
    keys.clear();
    names.clear();
    for (const PlanField& f : fields) {
      keys.push_back({static_cast<uint32_t>(names.size()), static_cast<uint32_t>(f.name.size()), f.slot, f.child, f.type});
      names += f.name;
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

  std::vector<Node> nodes;
  std::vector<uint32_t> operands;          // kCall / kMakeList operand lists
  std::vector<Value> consts;
  std::deque<std::string> const_strings;   // backing for string constants
  std::deque<std::vector<Value>> const_lists;
  std::vector<ScalarSet> sets;
  // Compiled once per pattern and pack (RegexPool): items that share a
  // pattern share its RE2 and its warm DFA.
  std::vector<std::shared_ptr<const RE2>> regexes;
  std::vector<std::string> regex_sources;
  std::vector<std::string> labels;
  std::vector<std::string> paths;
  std::vector<Shape> shapes;
  std::vector<PlanRecord> plan;            // plan[0] is the application root
  std::vector<RuleInfo> rules;
  std::vector<OutputInfo> outputs;
  std::vector<LicenceUse> licences;
  int32_t context_plan = -1;               // plan record of the request context
  bool scheduled = false;
  std::unordered_map<std::string, uint32_t> const_index;  // interning key → const id

  uint32_t AddConst(Value v);
  uint32_t AddStringConst(std::string_view s);
  uint32_t AddLabel(std::string text);
};

template <typename GraphT, typename NodeT, typename F>
void ForEachOperand(GraphT& g, NodeT& n, F&& f) {
  switch (n.kind) {
    case NodeKind::kConst:
    case NodeKind::kToday:
    case NodeKind::kInput: return;
    case NodeKind::kField:
    case NodeKind::kRow:
    case NodeKind::kColumn:
    case NodeKind::kBinder:
    case NodeKind::kNot:
    case NodeKind::kExists:
    case NodeKind::kNeg:
    case NodeKind::kInSet:
    case NodeKind::kInTable:
    case NodeKind::kMatches: f(n.a); return;
    case NodeKind::kListIndex:
    case NodeKind::kAll:
    case NodeKind::kAny:
    case NodeKind::kCountIf:
    case NodeKind::kSum:
    case NodeKind::kMin:
    case NodeKind::kMax:
    case NodeKind::kAnd:
    case NodeKind::kOr:
    case NodeKind::kCoalesce:
    case NodeKind::kArith:
    case NodeKind::kCompare:
    case NodeKind::kInList:
      f(n.a);
      f(n.b);
      return;
    case NodeKind::kIf:
      f(n.a);
      f(n.b);
      f(n.c);
      return;
    case NodeKind::kCall:
    case NodeKind::kMakeList:
    case NodeKind::kDecision:
      for (uint32_t i = 0; i < n.b; ++i) f(g.operands[n.a + i]);
      return;
    case NodeKind::kContext: return;
    case NodeKind::kLicence:
      f(n.a);
      f(n.b);
      f(n.c);
      return;
  }
}

}  // namespace miaopi::engine
