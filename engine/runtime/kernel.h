// The meaning of every operation on values, three-valued: an unknown operand
// makes an unknown result carrying the operands' causes, except where the
// language says otherwise (false and unknown = false, true or unknown = true,
// a ?? b, exists). The graph evaluator, constant folding and the reference
// evaluator all call these functions, so they agree by construction on the
// arithmetic and differ only in how they walk and where they read data.
#pragma once

#include "dsl/builtins.h"
#include "engine/graph/graph.h"
#include "engine/graph/value.h"
#include "engine/runtime/arena.h"
#include "engine/runtime/causes.h"

namespace miaopi::dsl {
enum class Op : uint8_t;  // dsl/ast.h: the run time does not need the AST
struct Literal;
}  // namespace miaopi::dsl

namespace miaopi::engine {

struct KernelContext {
  CauseArena* causes = nullptr;
  StringArena* strings = nullptr;
};

namespace ops {

// Whether `a op b` holds when a compares to b as `order` (<0, 0, >0).
inline bool Satisfies(Compare op, int order) {
  switch (op) {
    case Compare::kEq: return order == 0;
    case Compare::kNe: return order != 0;
    case Compare::kLt: return order < 0;
    case Compare::kLe: return order <= 0;
    case Compare::kGt: return order > 0;
    case Compare::kGe: return order >= 0;
  }
  return false;
}

// The unknown among a and b (joined when both are).
Value EitherUnknown(const Value& a, const Value& b, CauseArena& causes);

Value Not(const Value& a);
Value And(const Value& a, const Value& b, CauseArena& causes);
Value Or(const Value& a, const Value& b, CauseArena& causes);
Value If(const Value& c, const Value& then_value, const Value& else_value);
Value Coalesce(const Value& a, const Value& b);
Value Exists(const Value& a);
Value Neg(uint8_t cls, const Value& a, CauseArena& causes);
Value Arithmetic(Arith op, ArithClass cls, const Value& a, const Value& b, CauseArena& causes);
// string + string.
Value Concat(const Value& a, const Value& b, KernelContext& ctx);
Value Comparison(Compare op, CompareClass cls, const Value& a, const Value& b, CauseArena& causes);
Value InList(const Value& x, const Value& list, CauseArena& causes);
Value InSet(const Value& x, const ScalarSet& set);
Value Matches(const Value& s, const RE2& re);
Value Builtin(dsl::Builtin b, const Value* args, uint32_t n, KernelContext& ctx);

// Orders two known scalars of one class; nullopt when incomparable.
std::optional<int> Order(const Value& a, const Value& b);

// Folds loop results element by element.
class LoopAccumulator {
 public:
  LoopAccumulator(NodeKind kind, CauseArena& causes) : kind_(kind), causes_(causes) {}
  // Adds one element's body value; returns false when the result is
  // decided and the loop may stop (all: a false, any: a true).
  bool Add(const Value& v);
  Value Result();

 private:
  NodeKind kind_;
  CauseArena& causes_;
  uint32_t unknown_ = 0;  // joined causes of unknown elements
  bool any_unknown_ = false;
  bool decided_ = false;
  int64_t count_ = 0;
  Value acc_;
  bool has_acc_ = false;
  uint32_t note_ = 0;
};

}  // namespace ops

// The operation classes lowering and the reference evaluator pick from the
// checked types of the operands.
ArithClass ClassifyArith(const dsl::Type* a, const dsl::Type* b);  // kString for strings
CompareClass ClassifyCompare(const dsl::Type* a, const dsl::Type* b);
uint8_t ClassifyNeg(const dsl::Type* a);
Arith ArithOf(dsl::Op op);
Compare CompareOf(dsl::Op op);

// Converts a checked literal into a value (strings must outlive the value).
Value LiteralValue(const dsl::Literal& lit);

}  // namespace miaopi::engine
