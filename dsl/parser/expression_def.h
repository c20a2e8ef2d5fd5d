// Private to dsl/parser/: the expression grammar. Precedence, loosest first:
//   implies (right-associative; the checker allows it in properties only)
//   if/then/else, all/any (bodies reach as far right as they can)
//   or · and · not · comparison (== != < <= > >= in, not in, matches; one per level)
//   ?? (right-associative) · + - · * / % · unary - · postfix (.field, [index]) · primary
#pragma once

#include <boost/fusion/include/at_c.hpp>

#include "dsl/parser/actions.h"
#include "dsl/parser/grammar.h"

namespace miaopi::dsl::parser {

namespace fu = boost::fusion;

namespace actions {

struct Assign {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx) = x3::_attr(ctx); }
};

template <typename Ctx>
void BinaryAt(Ctx& ctx, Op op, Expr* rhs) {
  ParseState& st = State(ctx);
  Expr* lhs = x3::_val(ctx);
  Expr* e = NewExpr(st, ExprKind::kBinary, Join(lhs->span, rhs->span));
  e->op = op;
  e->args = {lhs, rhs};
  Seal(st, e);
  x3::_val(ctx) = e;
}

// lhs op rhs; the operator is fixed by the grammar alternative (symbol tables
// in a sequence lose the right operand inside kleene on Boost 1.81).
struct BinaryOp {
  Op op;
  template <typename Ctx>
  void operator()(Ctx& ctx) const { BinaryAt(ctx, op, x3::_attr(ctx)); }
};

// ( e ): e's span grows to cover the parentheses, so that an operator
// joining it with another operand spans balanced text (its label in traces).
struct Parenthesized {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Expr* inner = x3::_attr(ctx);
    inner->span = WhereSpan(ctx);
    x3::_val(ctx) = inner;
  }
};

struct Unary {
  Op op;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    Expr* operand = x3::_attr(ctx);
    Expr* e = NewExpr(st, ExprKind::kUnary, Join(WhereSpan(ctx), operand->span));
    e->op = op;
    e->args = {operand};
    Seal(st, e);
    x3::_val(ctx) = e;
  }
};

struct Field {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    const Token& name = x3::_attr(ctx);
    Expr* base = x3::_val(ctx);
    Expr* e = NewExpr(st, ExprKind::kField, Join(base->span, name.span));
    e->name = name.text;
    e->args = {base};
    Seal(st, e);
    x3::_val(ctx) = e;
  }
};

struct Index {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    Expr* base = x3::_val(ctx);
    Expr* e = NewExpr(st, ExprKind::kIndex, ExtendToMatchEnd(ctx, base->span));
    e->args = {base, x3::_attr(ctx)};
    Seal(st, e);
    x3::_val(ctx) = e;
  }
};

// Opens a node whose children follow (call, list, if, quantifier, aggregate).
struct Open {
  ExprKind kind;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx) = NewExpr(State(ctx), kind, WhereSpan(ctx));
  }
};

struct OpenCall {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& name = x3::_attr(ctx);
    Expr* e = NewExpr(State(ctx), ExprKind::kCall, name.span);
    e->name = name.text;
    x3::_val(ctx) = e;
  }
};

// `all x in` / `count(x in`: attribute (Op, Token).
struct OpenBinder {
  ExprKind kind;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Expr* e = NewExpr(State(ctx), kind, WhereSpan(ctx));
    e->op = fu::at_c<0>(x3::_attr(ctx));
    if (kind == ExprKind::kAggregate) e->name = OpText(e->op);
    e->binder = fu::at_c<1>(x3::_attr(ctx)).text;
    e->binder_span = fu::at_c<1>(x3::_attr(ctx)).span;
    x3::_val(ctx) = e;
  }
};

struct PushArg {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx)->args.push_back(x3::_attr(ctx)); }
};

// Closes an opened node at the end of what was just matched.
struct Close {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Expr* e = x3::_val(ctx);
    e->span = ExtendToMatchEnd(ctx, e->span);
    Seal(State(ctx), e);
  }
};

// The last child of a node that ends with an expression (if, quantifier).
struct PushLast {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Expr* e = x3::_val(ctx);
    Expr* last = x3::_attr(ctx);
    e->args.push_back(last);
    e->span = Join(e->span, last->span);
    Seal(State(ctx), e);
  }
};

struct LiteralAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Expr* e = NewExpr(State(ctx), ExprKind::kLiteral, WhereSpan(ctx));
    e->lit = x3::_attr(ctx);
    if (e->lit.kind != LiteralKind::kString) e->lit.s.clear();
    x3::_val(ctx) = e;
  }
};

struct StringAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& t = x3::_attr(ctx);
    Expr* e = NewExpr(State(ctx), ExprKind::kLiteral, t.span);
    e->lit.kind = LiteralKind::kString;
    e->lit.s = t.text;
    x3::_val(ctx) = e;
  }
};

struct BoolAction {
  bool value;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Expr* e = NewExpr(State(ctx), ExprKind::kLiteral, WhereSpan(ctx));
    e->lit.kind = LiteralKind::kBool;
    e->lit.b = value;
    x3::_val(ctx) = e;
  }
};

// `18 years`: turns the number just parsed into a duration.
struct DurationAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    Expr* e = x3::_val(ctx);
    int unit = x3::_attr(ctx);  // months per unit, or -days per unit
    e->span = ExtendToMatchEnd(ctx, e->span);
    if (e->lit.kind != LiteralKind::kInt || e->lit.i > 100000) {
      st.diags->Error(ErrorCode::kBadNumber, e->span, "a duration needs a whole number up to 100000");
    }
    int64_t n = e->lit.kind == LiteralKind::kInt ? std::min<int64_t>(e->lit.i, 100000) : 0;
    e->lit = Literal{};
    e->lit.kind = LiteralKind::kDuration;
    if (unit > 0) {
      e->lit.duration.months = static_cast<int32_t>(n * unit);
    } else {
      e->lit.duration.days = static_cast<int32_t>(n * -unit);
    }
  }
};

struct NameAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& t = x3::_attr(ctx);
    Expr* e = NewExpr(State(ctx), ExprKind::kName, t.span);
    e->name = t.text;
    x3::_val(ctx) = e;
  }
};

struct TodayAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx) = NewExpr(State(ctx), ExprKind::kToday, WhereSpan(ctx)); }
};

}  // namespace actions

inline const WordChoiceParser<Op, 2> quantifier_word{{}, {{"all", Op::kAll}, {"any", Op::kAny}}, "all or any"};
inline const WordChoiceParser<Op, 4> aggregate_word{{}, {{"count", Op::kCount}, {"sum", Op::kSum}, {"min", Op::kMin}, {"max", Op::kMax}}, "count, sum, min or max"};
// Months per unit when positive, days per unit as a negative number.
inline const WordChoiceParser<int, 8> duration_unit{{}, {{"years", 12},
                                                     {"year", 12},
                                                     {"months", 1},
                                                     {"month", 1},
                                                     {"weeks", -7},
                                                     {"week", -7},
                                                     {"days", -1},
                                                     {"day", -1}},
                                                    "years, months, weeks or days"};

expression_type const expression = "an expression";
x3::rule<class implies_class, Expr*> const implies_expr = "an expression";
x3::rule<class or_class, Expr*> const or_expr = "an expression";
x3::rule<class and_class, Expr*> const and_expr = "an expression";
x3::rule<class not_class, Expr*> const not_expr = "an expression";
x3::rule<class compare_class, Expr*> const compare_expr = "an expression";
x3::rule<class coalesce_class, Expr*> const coalesce_expr = "an expression";
x3::rule<class add_class, Expr*> const add_expr = "an expression";
x3::rule<class mul_class, Expr*> const mul_expr = "an expression";
x3::rule<class unary_class, Expr*> const unary_expr = "an expression";
x3::rule<class postfix_class, Expr*> const postfix_expr = "an expression";
x3::rule<class primary_class, Expr*> const primary = "an expression";
x3::rule<class if_class, Expr*> const if_expr = "if expression";
x3::rule<class quantifier_class, Expr*> const quantifier = "quantifier";
x3::rule<class aggregate_class, Expr*> const aggregate = "aggregate";
x3::rule<class call_class, Expr*> const call = "function call";
x3::rule<class number_class, Expr*> const number = "number";
x3::rule<class literal_class, Expr*> const literal = "literal";
x3::rule<class name_class, Expr*> const name = "name";
x3::rule<class list_class, Expr*> const list_literal = "list";
x3::rule<class paren_class, Expr*> const paren = "parenthesized expression";

using namespace actions;

auto const expression_def = nest[implies_expr];

auto const implies_expr_def =
    or_expr[Assign{}] >> -((kw("implies") > chain[implies_expr])[BinaryOp{Op::kImplies}]);

auto const or_expr_def = and_expr[Assign{}] >> *((kw("or") > and_expr)[BinaryOp{Op::kOr}]);

auto const and_expr_def = not_expr[Assign{}] >> *((kw("and") > not_expr)[BinaryOp{Op::kAnd}]);

auto const not_expr_def = at[(kw("not") > nest[not_expr])[Unary{Op::kNot}]] | compare_expr[Assign{}];

auto const compare_expr_def =
    coalesce_expr[Assign{}] >>
    -((x3::lit("==") > coalesce_expr)[BinaryOp{Op::kEq}] | (x3::lit("!=") > coalesce_expr)[BinaryOp{Op::kNe}] |
      (x3::lit("<=") > coalesce_expr)[BinaryOp{Op::kLe}] | (x3::lit(">=") > coalesce_expr)[BinaryOp{Op::kGe}] |
      (x3::lit('<') > coalesce_expr)[BinaryOp{Op::kLt}] | (x3::lit('>') > coalesce_expr)[BinaryOp{Op::kGt}] |
      (kw("not") >> kw("in") > coalesce_expr)[BinaryOp{Op::kNotIn}] |
      (kw("in") > coalesce_expr)[BinaryOp{Op::kIn}] |
      (kw("matches") > coalesce_expr)[BinaryOp{Op::kMatches}]);

auto const coalesce_expr_def =
    add_expr[Assign{}] >> -((x3::lit("??") > chain[coalesce_expr])[BinaryOp{Op::kCoalesce}]);

auto const add_expr_def = mul_expr[Assign{}] >> *((x3::lit('+') > mul_expr)[BinaryOp{Op::kAdd}] |
                                                  (x3::lit('-') > mul_expr)[BinaryOp{Op::kSub}]);

auto const mul_expr_def = unary_expr[Assign{}] >> *((x3::lit('*') > unary_expr)[BinaryOp{Op::kMul}] |
                                                    (x3::lit('/') > unary_expr)[BinaryOp{Op::kDiv}] |
                                                    (x3::lit('%') > unary_expr)[BinaryOp{Op::kMod}]);

auto const unary_expr_def = at[(x3::lit('-') > nest[unary_expr])[Unary{Op::kNeg}]] | postfix_expr[Assign{}];

auto const postfix_expr_def = primary[Assign{}] >>
                              *((x3::lit('.') > any_word)[Field{}] |
                                (x3::lit('[') > expression > x3::lit(']'))[Index{}]);

auto const primary_def =
    if_expr | quantifier | aggregate | call | literal | name | list_literal | paren;

auto const if_expr_def = at[kw("if")[Open{ExprKind::kIf}] > expression[PushArg{}] > kw("then") >
                            expression[PushArg{}] > kw("else") > expression[PushLast{}]];

auto const quantifier_def = at[(quantifier_word >> identifier >> kw("in"))[OpenBinder{ExprKind::kQuantifier}] >
                               expression[PushArg{}] > x3::lit(':') > expression[PushLast{}]];

auto const aggregate_def =
    at[(aggregate_word >> x3::lit('(') >> identifier >> kw("in"))[OpenBinder{ExprKind::kAggregate}] >
       expression[PushArg{}] > x3::lit(':') > expression[PushArg{}] > x3::lit(')')[Close{}]];

auto const call_def = (identifier >> x3::lit('('))[OpenCall{}] > -(expression[PushArg{}] % ',') >
                      x3::lit(')')[Close{}];

auto const number_def = at[number_lit[LiteralAction{}]] >> -(duration_unit[DurationAction{}]);

auto const literal_def = number[Assign{}] | string_lit[StringAction{}] | at[date_lit[LiteralAction{}]] |
                         at[kw("true")[BoolAction{true}]] | at[kw("false")[BoolAction{false}]] |
                         at[kw("today")[TodayAction{}]];

auto const name_def = identifier[NameAction{}];

auto const list_literal_def = at[x3::lit('[')[Open{ExprKind::kList}] > -(expression[PushArg{}] % ',') >
                                 -x3::lit(',') > x3::lit(']')[Close{}]];

auto const paren_def = at[(x3::lit('(') > expression > x3::lit(')'))[Parenthesized{}]];

BOOST_SPIRIT_DEFINE(expression, implies_expr, or_expr, and_expr, not_expr, compare_expr, coalesce_expr, add_expr,
                    mul_expr, unary_expr, postfix_expr, primary, if_expr, quantifier, aggregate, call,
                    number, literal, name, list_literal, paren)

}  // namespace miaopi::dsl::parser
