// Instantiates the expression grammar for the one context the parser uses.
#include "dsl/parser/expression_def.h"

namespace miaopi::dsl::parser {

BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)

const expression_type& ExpressionRule() { return expression; }

}  // namespace miaopi::dsl::parser
