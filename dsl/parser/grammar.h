// Private to dsl/parser/: the grammar's entry rules. Each is defined in a
// *_def.h and instantiated for context_type in one .cc, so Spirit compiles in
// two translation units.
#pragma once

#include "dsl/parser/lexemes.h"

namespace miaopi::dsl::parser {

// Any expression. Attribute: the Expr* built in the module's arena.
using expression_type = x3::rule<class expression_class, Expr*>;
// pack / table / def / schema; the actions add the declaration to the module.
using top_decl_type = x3::rule<class top_decl_class>;
// `item "CODE" "TITLE" {`; the action opens the item in ParseState::item.
using item_header_type = x3::rule<class item_header_class>;
// One member of the open item: basis, effective, until, mode, input, let, rule.
using item_member_type = x3::rule<class item_member_class>;

BOOST_SPIRIT_DECLARE(expression_type)
BOOST_SPIRIT_DECLARE(top_decl_type, item_header_type, item_member_type)

const expression_type& ExpressionRule();
const top_decl_type& TopDeclRule();
const item_header_type& ItemHeaderRule();
const item_member_type& ItemMemberRule();

}  // namespace miaopi::dsl::parser
