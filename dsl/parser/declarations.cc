// Instantiates the declaration grammar for the one context the parser uses.
#include "dsl/parser/declarations_def.h"

namespace miaopi::dsl::parser {

BOOST_SPIRIT_INSTANTIATE(top_decl_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(item_header_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(item_member_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(rule_set_header_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(decision_header_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(cell_type, iterator_type, context_type)

const top_decl_type& TopDeclRule() { return top_decl; }
const item_header_type& ItemHeaderRule() { return item_header; }
const item_member_type& ItemMemberRule() { return item_member; }
const rule_set_header_type& RuleSetHeaderRule() { return rule_set_header; }
const decision_header_type& DecisionHeaderRule() { return decision_header; }
const cell_type& CellRule() { return cell; }

}  // namespace miaopi::dsl::parser
