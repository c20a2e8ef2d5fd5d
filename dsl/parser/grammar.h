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
// One member of the open item: basis, effective, until, mode, input, let, rule,
// include, uses licence, output.
using item_member_type = x3::rule<class item_member_class>;
// `rules NAME {`; the action opens the rule set in ParseState::item.
using rule_set_header_type = x3::rule<class rule_set_header_class>;
// `decision NAME(params) -> TYPE hit POLICY {`; opens ParseState::decision.
using decision_header_type = x3::rule<class decision_header_class>;
// One input cell of a decision table row.
using cell_type = x3::rule<class cell_class, CellDecl*>;

BOOST_SPIRIT_DECLARE(expression_type)
BOOST_SPIRIT_DECLARE(top_decl_type, item_header_type, item_member_type, rule_set_header_type, decision_header_type,
                     cell_type)

const expression_type& ExpressionRule();
const top_decl_type& TopDeclRule();
const item_header_type& ItemHeaderRule();
const item_member_type& ItemMemberRule();
const rule_set_header_type& RuleSetHeaderRule();
const decision_header_type& DecisionHeaderRule();
const cell_type& CellRule();

}  // namespace miaopi::dsl::parser
