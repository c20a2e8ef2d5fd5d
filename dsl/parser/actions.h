// Private to dsl/parser/: helpers the semantic actions of both grammar
// translation units share.
#pragma once

#include <algorithm>

#include "dsl/parser/lexemes.h"

namespace miaopi::dsl::parser {

inline Span Join(Span a, Span b) { return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)}; }

// Where the action's subject stopped matching (X3 1.81's _where starts there).
template <typename Ctx>
const char* MatchEnd(Ctx const& ctx) {
  return x3::_where(ctx).begin();
}

// From the start of the innermost at[] to the end of what the action's
// subject matched.
template <typename Ctx>
Span WhereSpan(Ctx const& ctx) {
  ParseState& st = State(ctx);
  return st.SpanOf(st.marks.back(), MatchEnd(ctx));
}

// `span` extended to the end of what the action's subject matched.
template <typename Ctx>
Span ExtendToMatchEnd(Ctx const& ctx, Span span) {
  span.end = static_cast<uint32_t>(MatchEnd(ctx) - State(ctx).base);
  return span;
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
