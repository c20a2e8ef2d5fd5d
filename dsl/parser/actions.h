// Private to dsl/parser/: helpers the semantic actions of both grammar
// translation units share.
#pragma once

#include <algorithm>

#include "dsl/parser/lexemes.h"

namespace miaopi::dsl::parser {

inline Span Join(Span a, Span b) { return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)}; }

// The span of what an action's subject matched, without the white space the
// skipper ran over before it.
template <typename Ctx>
Span WhereSpan(Ctx const& ctx) {
  auto const& where = x3::_where(ctx);
  ParseState& st = State(ctx);
  const char* end = where.end();
  const char* begin = SkipBlank(where.begin(), end);
  return st.SpanOf(begin, end);
}

inline Expr* NewExpr(ParseState& st, ExprKind kind, Span span) {
  Expr* e = st.module->NewExpr();
  e->kind = kind;
  e->span = span;
  return e;
}

// Computes the node's height and refuses trees taller than the limit, so
// every later recursive walk over the AST stays shallow.
inline void Seal(ParseState& st, Expr* e) {
  uint32_t h = 0;
  for (const Expr* a : e->args) h = std::max(h, a->depth);
  e->depth = h + 1;
  if (e->depth > st.max_height) {
    st.diags->Error(ErrorCode::kTooDeep, e->span,
                    "expression is more than " + std::to_string(st.max_height) +
                        " operators tall; split it with let");
    throw ParseAbort{};
  }
}

}  // namespace miaopi::dsl::parser
