// Private to dsl/parser/: the grammar of declarations — types, pack, table,
// def, schema, the item header and the members of an item. Actions add what
// they parse to ParseState::module / ParseState::item.
#pragma once

#include <boost/fusion/include/at_c.hpp>

#include "dsl/parser/actions.h"
#include "dsl/parser/grammar.h"

namespace miaopi::dsl::parser {

namespace fu = boost::fusion;

namespace decl_actions {

struct OpenType {
  TypeExpr::Kind kind;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    TypeExpr* t = State(ctx).module->NewType();
    t->kind = kind;
    t->span = WhereSpan(ctx);
    x3::_val(ctx) = t;
  }
};

struct NamedType {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& name = x3::_attr(ctx);
    TypeExpr* t = State(ctx).module->NewType();
    t->kind = TypeExpr::Kind::kNamed;
    t->name = name.text;
    t->span = name.span;
    x3::_val(ctx) = t;
  }
};

struct SetElem {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx)->elem = x3::_attr(ctx); }
};

struct CloseType {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    TypeExpr* t = x3::_val(ctx);
    t->span = ExtendToMatchEnd(ctx, t->span);
  }
};

// name: type — attribute (Token, TypeExpr*).
struct FieldAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    FieldDecl& f = x3::_val(ctx);
    const Token& name = fu::at_c<0>(x3::_attr(ctx));
    f.name = name.text;
    f.type = fu::at_c<1>(x3::_attr(ctx));
    f.span = Join(name.span, f.type->span);
  }
};

struct Optional {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx).optional = true; }
};

struct Fixed {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx).fixed = true; }
};

struct PushField {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx)->fields.push_back(x3::_attr(ctx)); }
};

struct PackAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    st.module->packs.push_back({fu::at_c<0>(x3::_attr(ctx)).text, fu::at_c<1>(x3::_attr(ctx)).text,
                                WhereSpan(ctx)});
  }
};

// table NAME from "PATH" key COLUMN
struct TableHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    TableDecl& t = x3::_val(ctx);
    const auto& a = x3::_attr(ctx);
    t.name = fu::at_c<0>(a).text;
    t.name_span = fu::at_c<0>(a).span;
    t.path = fu::at_c<1>(a).text;
    t.path_span = fu::at_c<1>(a).span;
    t.key = fu::at_c<2>(a).text;
    t.key_span = fu::at_c<2>(a).span;
    t.span = WhereSpan(ctx);
  }
};

struct ColumnAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& name = fu::at_c<0>(x3::_attr(ctx));
    TypeExpr* type = fu::at_c<1>(x3::_attr(ctx));
    x3::_val(ctx).columns.push_back({name.text, type, Join(name.span, type->span)});
  }
};

struct PushTable {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { State(ctx).module->tables.push_back(std::move(x3::_attr(ctx))); }
};

struct DefHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    DefDecl& d = x3::_val(ctx);
    const Token& name = x3::_attr(ctx);
    d.name = name.text;
    d.name_span = name.span;
    d.span = WhereSpan(ctx);
  }
};

struct ParamAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& name = fu::at_c<0>(x3::_attr(ctx));
    TypeExpr* type = fu::at_c<1>(x3::_attr(ctx));
    x3::_val(ctx).params.push_back({name.text, type, Join(name.span, type->span)});
  }
};

struct DefBody {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    DefDecl& d = x3::_val(ctx);
    d.body = x3::_attr(ctx);
    d.span = Join(d.span, d.body->span);
  }
};

// `property CODE "DESCRIPTION" for "ITEM":` — attribute (Token, Token, Token).
struct PropertyHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    PropertyDecl& d = x3::_val(ctx);
    const Token& code = fu::at_c<0>(x3::_attr(ctx));
    d.code = code.text;
    d.code_span = code.span;
    d.description = fu::at_c<1>(x3::_attr(ctx)).text;
    d.item = fu::at_c<2>(x3::_attr(ctx)).text;
    d.item_span = fu::at_c<2>(x3::_attr(ctx)).span;
    d.span = WhereSpan(ctx);
  }
};

struct PropertyBody {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    PropertyDecl& d = x3::_val(ctx);
    d.cond = x3::_attr(ctx);
    d.span = Join(d.span, d.cond->span);
  }
};

struct PushProperty {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { State(ctx).module->properties.push_back(std::move(x3::_attr(ctx))); }
};

struct PushDef {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { State(ctx).module->defs.push_back(std::move(x3::_attr(ctx))); }
};

struct SchemaAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& name = fu::at_c<0>(x3::_attr(ctx));
    TypeExpr* type = fu::at_c<1>(x3::_attr(ctx));
    State(ctx).module->schemas.push_back({name.text, type, WhereSpan(ctx), name.span});
  }
};

struct ItemHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    ItemDecl& item = st.module->items.emplace_back();
    item.code = fu::at_c<0>(x3::_attr(ctx)).text;
    item.code_span = fu::at_c<0>(x3::_attr(ctx)).span;
    item.title = fu::at_c<1>(x3::_attr(ctx)).text;
    item.span = WhereSpan(ctx);
    st.item = &item;
  }
};

struct ItemBasis {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { State(ctx).item->basis.push_back(x3::_attr(ctx).text); }
};

template <typename Ctx>
void DuplicateClause(Ctx& ctx, const char* clause) {
  ParseState& st = State(ctx);
  st.diags->Error(ErrorCode::kDuplicateClause, WhereSpan(ctx),
                  std::string("item '") + st.item->code + "' states `" + clause + "` twice");
}

struct Effective {
  bool until;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ItemDecl& item = *State(ctx).item;
    std::optional<int32_t>& slot = until ? item.until : item.effective;
    if (slot) DuplicateClause(ctx, until ? "until" : "effective");
    slot = x3::_attr(ctx).date;
    (until ? item.until_span : item.effective_span) = WhereSpan(ctx);
  }
};

struct ModeAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    const Token& word = x3::_attr(ctx);
    if (word.text == "online") {
      st.item->mode = Mode::kOnline;
    } else if (word.text == "original_check") {
      st.item->mode = Mode::kOriginalCheck;
    } else if (word.text == "in_person") {
      st.item->mode = Mode::kInPerson;
    } else {
      st.diags->Error(ErrorCode::kUnknownMode, word.span,
                      "unknown mode '" + word.text + "'; use online, original_check or in_person");
    }
  }
};

struct InputAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ItemDecl& item = *State(ctx).item;
    if (item.input) DuplicateClause(ctx, "input");
    item.input = x3::_attr(ctx);
  }
};

// private PATH — attribute (Token, vector<Token>): the first segment and the rest.
struct PrivateAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    PrivateDecl& p = State(ctx).item->private_paths.emplace_back();
    p.segments.push_back(fu::at_c<0>(x3::_attr(ctx)).text);
    for (const Token& t : fu::at_c<1>(x3::_attr(ctx))) p.segments.push_back(t.text);
    p.span = WhereSpan(ctx);
  }
};

struct LetAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& name = fu::at_c<0>(x3::_attr(ctx));
    Expr* value = fu::at_c<1>(x3::_attr(ctx));
    State(ctx).item->lets.push_back({name.text, value, WhereSpan(ctx), name.span});
  }
};

// rule CODE "MESSAGE" require EXPR else OUTCOME — attribute (Token, Token, Expr*, Outcome).
struct RuleHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    RuleDecl& r = x3::_val(ctx);
    const auto& a = x3::_attr(ctx);
    r.code = fu::at_c<0>(a).text;
    r.code_span = fu::at_c<0>(a).span;
    r.message = fu::at_c<1>(a).text;
    r.cond = fu::at_c<2>(a);
    r.outcome = fu::at_c<3>(a);
    r.span = WhereSpan(ctx);
  }
};

struct RuleBasis {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx).basis.push_back(x3::_attr(ctx).text); }
};

struct OnMissing {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx).on_missing = x3::_attr(ctx); }
};

struct PushRule {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { State(ctx).item->rules.push_back(std::move(x3::_attr(ctx))); }
};

struct RuleSetHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    ItemDecl& set = st.module->rule_sets.emplace_back();
    set.is_rule_set = true;
    set.code = x3::_attr(ctx).text;
    set.code_span = x3::_attr(ctx).span;
    set.span = WhereSpan(ctx);
    st.item = &set;
  }
};

struct IncludeAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ItemDecl& item = *State(ctx).item;
    item.includes.push_back({x3::_attr(ctx).text, item.rules.size(), WhereSpan(ctx)});
  }
};

// uses licence TYPE as NAME — attribute (Token, Token).
struct UsesHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    LicenceUseDecl use;
    use.type = fu::at_c<0>(x3::_attr(ctx)).text;
    use.type_span = fu::at_c<0>(x3::_attr(ctx)).span;
    use.name = fu::at_c<1>(x3::_attr(ctx)).text;
    use.name_span = fu::at_c<1>(x3::_attr(ctx)).span;
    use.span = WhereSpan(ctx);
    State(ctx).item->licences.push_back(std::move(use));
  }
};

struct UsesFor {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    LicenceUseDecl& use = State(ctx).item->licences.back();
    use.key = x3::_attr(ctx);
    use.span = Join(use.span, use.key->span);
  }
};

struct OutputAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const Token& name = fu::at_c<0>(x3::_attr(ctx));
    State(ctx).item->outputs.push_back({name.text, fu::at_c<1>(x3::_attr(ctx)), WhereSpan(ctx), name.span});
  }
};

// licence TYPE "TITLE" holder KIND { fields } — attribute (Token, Token, Token, TypeExpr*).
struct LicenceAction {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    const auto& a = x3::_attr(ctx);
    LicenceDecl d;
    d.type = fu::at_c<0>(a).text;
    d.type_span = fu::at_c<0>(a).span;
    d.title = fu::at_c<1>(a).text;
    d.holder_kind = fu::at_c<2>(a).text;
    d.holder_span = fu::at_c<2>(a).span;
    d.fields = fu::at_c<3>(a);
    d.span = WhereSpan(ctx);
    State(ctx).module->licences.push_back(std::move(d));
  }
};

struct DecisionHead {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    DecisionDecl& d = x3::_val(ctx);
    d.name = x3::_attr(ctx).text;
    d.name_span = x3::_attr(ctx).span;
    d.span = WhereSpan(ctx);
  }
};

struct DecisionResult {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx).result = x3::_attr(ctx); }
};

struct DecisionHit {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx).hit = x3::_attr(ctx); }
};

struct PushDecision {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ParseState& st = State(ctx);
    st.decision = &st.module->decisions.emplace_back(std::move(x3::_attr(ctx)));
  }
};

// Decision table cells.
struct CellOf {
  CellDecl::Kind kind;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    CellDecl* c = State(ctx).module->NewCell();
    c->kind = kind;
    c->span = WhereSpan(ctx);
    x3::_val(ctx) = c;
  }
};

struct CellValue {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    CellDecl* c = x3::_val(ctx);
    c->values.push_back(x3::_attr(ctx));
    c->span = ExtendToMatchEnd(ctx, c->span);
  }
};

struct CellCompare {
  Op op;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    CellDecl* c = State(ctx).module->NewCell();
    c->kind = CellDecl::Kind::kCompare;
    c->op = op;
    c->values.push_back(x3::_attr(ctx));
    c->span = WhereSpan(ctx);
    x3::_val(ctx) = c;
  }
};

// [lo..hi] and friends, piece by piece: the bracket just matched says
// whether that end is open.
struct RangeOpen {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    CellDecl* c = State(ctx).module->NewCell();
    c->kind = CellDecl::Kind::kRange;
    c->lo_open = MatchEnd(ctx)[-1] == '(';
    c->span = WhereSpan(ctx);
    x3::_val(ctx) = c;
  }
};

struct RangeBound {
  bool high;
  template <typename Ctx>
  void operator()(Ctx& ctx) const { (high ? x3::_val(ctx)->hi : x3::_val(ctx)->lo) = x3::_attr(ctx); }
};

struct RangeClose {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    CellDecl* c = x3::_val(ctx);
    c->hi_open = MatchEnd(ctx)[-1] == ')';
    c->span = ExtendToMatchEnd(ctx, c->span);
  }
};

struct CellNot {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    CellDecl* c = State(ctx).module->NewCell();
    c->kind = CellDecl::Kind::kNot;
    c->inner = x3::_attr(ctx);
    c->span = WhereSpan(ctx);
    x3::_val(ctx) = c;
  }
};

struct LiteralOf {
  template <typename Ctx>
  void operator()(Ctx& ctx) const { x3::_val(ctx) = x3::_attr(ctx); }
};

struct NegativeLiteral {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Literal lit = x3::_attr(ctx);
    lit.i = -lit.i;
    lit.d = -lit.d;
    x3::_val(ctx) = lit;
  }
};

struct StringLiteralOf {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Literal lit;
    lit.kind = LiteralKind::kString;
    lit.s = x3::_attr(ctx).text;
    x3::_val(ctx) = lit;
  }
};

struct BoolLiteralOf {
  bool value;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    Literal lit;
    lit.kind = LiteralKind::kBool;
    lit.b = value;
    x3::_val(ctx) = lit;
  }
};

}  // namespace decl_actions

inline const WordChoiceParser<HitPolicy, 4> hit_word{{},
                                                     {{"first", HitPolicy::kFirst},
                                                      {"unique", HitPolicy::kUnique},
                                                      {"any", HitPolicy::kAny},
                                                      {"collect", HitPolicy::kCollect}},
                                                     "first, unique, any or collect"};
inline const WordChoiceParser<Outcome, 2> outcome_word{{}, {{"reject", Outcome::kReject}, {"review", Outcome::kReview}}, "reject or review"};

// The expression rule is defined in expression_def.h; a rule object of the
// same type dispatches to that definition.
expression_type const expression_ref = "expression";

x3::rule<class type_class, TypeExpr*> const type_expr = "a type";
x3::rule<class list_type_class, TypeExpr*> const list_type = "list type";
x3::rule<class record_type_class, TypeExpr*> const record_type = "record type { … }";
x3::rule<class named_type_class, TypeExpr*> const named_type = "a type";
x3::rule<class field_decl_class, FieldDecl> const field_decl = "a field";
x3::rule<class pack_decl_class> const pack_decl = "pack declaration";
x3::rule<class table_decl_class, TableDecl> const table_decl = "table declaration";
x3::rule<class def_decl_class, DefDecl> const def_decl = "def";
x3::rule<class schema_decl_class> const schema_decl = "schema";
x3::rule<class property_decl_class, PropertyDecl> const property_decl = "property";
x3::rule<class let_decl_class> const let_clause = "let";
x3::rule<class rule_decl_class, RuleDecl> const rule_clause = "rule";
x3::rule<class decision_decl_class, DecisionDecl> const decision_decl = "decision table header";
x3::rule<class cell_literal_class, Literal> const cell_literal = "a literal";
x3::rule<class cell_any_class, CellDecl*> const cell_any = "-";
x3::rule<class cell_list_class, CellDecl*> const cell_list = "literals";
x3::rule<class cell_compare_class, CellDecl*> const cell_compare = "a comparison";
x3::rule<class cell_range_class, CellDecl*> const cell_range = "a range [lo..hi]";
x3::rule<class cell_not_class, CellDecl*> const cell_not = "not";
cell_type const cell = "a cell: -, a literal, a list, a comparison, a range or not …";
rule_set_header_type const rule_set_header = "rule set header";
decision_header_type const decision_header = "decision table header";
top_decl_type const top_decl = "a declaration (pack, table, def, schema, licence, rules, decision, property or item)";
item_header_type const item_header = "item header";
item_member_type const item_member =
    "an item member (basis, effective, until, mode, input, let, rule, include, uses, output or private)";

using namespace decl_actions;

auto const type_expr_def = nest[list_type | record_type | named_type];

auto const list_type_def = at[(kw("list") >> x3::lit('<'))[OpenType{TypeExpr::Kind::kList}] > type_expr[SetElem{}] >
                                 x3::lit('>')[CloseType{}]];

auto const record_type_def = at[x3::lit('{')[OpenType{TypeExpr::Kind::kRecord}] >
                                *(field_decl[PushField{}] >> -x3::lit(',')) > x3::lit('}')[CloseType{}]];

auto const named_type_def = identifier[NamedType{}];

// `fixed` after a field's type marks it as not the applicant's to change
// (remedies); `fixed:` is still a field named fixed.
auto const field_decl_def = (any_word > x3::lit(':') > type_expr)[FieldAction{}] > -x3::lit('?')[Optional{}] >
                            -(kw("fixed") >> !x3::lit(':'))[Fixed{}];

auto const pack_decl_def = at[(kw("pack") > string_lit > kw("version") > string_lit)[PackAction{}]];

auto const column_decl = (any_word > x3::lit(':') > type_expr)[ColumnAction{}];

auto const table_decl_def =
    at[(kw("table") > identifier > kw("from") > string_lit > kw("key") > column_word)[TableHead{}]] >>
    -(x3::lit('(') > (column_decl % ',') > x3::lit(')'));

auto const param_decl = (identifier > x3::lit(':') > type_expr)[ParamAction{}];

auto const def_decl_def = at[(kw("def") > identifier > x3::lit('('))[DefHead{}]] > -(param_decl % ',') >
                          x3::lit(')') > x3::lit('=') > expression_ref[DefBody{}];

auto const schema_decl_def = at[(kw("schema") > identifier > record_type)[SchemaAction{}]];

auto const licence_decl =
    at[(kw("licence") > identifier > string_lit > kw("holder") > any_word > record_type)[LicenceAction{}]];

auto const property_decl_def =
    at[(kw("property") > any_word > string_lit > kw("for") > string_lit > x3::lit(':'))[PropertyHead{}]] >
    expression_ref[PropertyBody{}];

auto const top_decl_def = pack_decl | table_decl[PushTable{}] | def_decl[PushDef{}] | schema_decl | licence_decl |
                          property_decl[PushProperty{}];

auto const rule_set_header_def = at[(kw("rules") > identifier > x3::lit('{'))[RuleSetHead{}]];

auto const decision_decl_def = at[(kw("decision") > identifier > x3::lit('('))[DecisionHead{}]] >
                               -(param_decl % ',') > x3::lit(')') > x3::lit("->") > type_expr[DecisionResult{}] >
                               kw("hit") > hit_word[DecisionHit{}] > x3::lit('{');

auto const decision_header_def = decision_decl[PushDecision{}];

auto const cell_literal_def = number_lit[LiteralOf{}] | (x3::lit('-') >> number_lit)[NegativeLiteral{}] |
                              string_lit[StringLiteralOf{}] | date_lit[LiteralOf{}] |
                              kw("true")[BoolLiteralOf{true}] | kw("false")[BoolLiteralOf{false}];

auto const cell_any_def = at[(x3::lit('-') >> !(x3::char_("0-9") | '.'))[CellOf{CellDecl::Kind::kAny}]];

auto const cell_list_def = at[cell_literal[CellOf{CellDecl::Kind::kEquals}][CellValue{}]] >>
                           *(x3::lit(',') > cell_literal[CellValue{}]);

auto const cell_compare_def = at[(x3::lit("<=") > cell_literal)[CellCompare{Op::kLe}]] |
                              at[(x3::lit(">=") > cell_literal)[CellCompare{Op::kGe}]] |
                              at[(x3::lit("!=") > cell_literal)[CellCompare{Op::kNe}]] |
                              at[(x3::lit("==") > cell_literal)[CellCompare{Op::kEq}]] |
                              at[(x3::lit('<') > cell_literal)[CellCompare{Op::kLt}]] |
                              at[(x3::lit('>') > cell_literal)[CellCompare{Op::kGt}]];

auto const cell_range_def = at[(x3::lit('[') | x3::lit('('))[RangeOpen{}] > cell_literal[RangeBound{false}] >
                                x3::lit("..") > cell_literal[RangeBound{true}] > (x3::lit(']') | x3::lit(')'))[RangeClose{}]];

auto const cell_not_def = at[(kw("not") > nest[cell])[CellNot{}]];

auto const cell_def = cell_not | cell_any | cell_range | cell_compare | cell_list;

auto const item_header_def = at[(kw("item") > string_lit > string_lit > x3::lit('{'))[ItemHead{}]];

auto const let_clause_def = at[(kw("let") > identifier > x3::lit('=') > expression_ref)[LetAction{}]];

auto const rule_clause_def = at[(kw("rule") > any_word > string_lit > kw("require") > expression_ref > kw("else") >
                                 outcome_word)[RuleHead{}]] >>
                             *((kw("basis") > string_lit)[RuleBasis{}] |
                               (kw("on") > kw("missing") > outcome_word)[OnMissing{}]);

auto const item_member_def = (kw("basis") > string_lit)[ItemBasis{}] |
                             at[(kw("effective") > date_lit)[Effective{false}]] |
                             at[(kw("until") > date_lit)[Effective{true}]] | (kw("mode") > any_word)[ModeAction{}] |
                             at[(kw("input") > type_expr)[InputAction{}]] | let_clause | rule_clause[PushRule{}] |
                             at[(kw("include") > identifier)[IncludeAction{}]] |
                             at[(kw("uses") > kw("licence") > identifier > kw("as") > identifier)[UsesHead{}] >>
                                -(kw("for") > expression_ref)[UsesFor{}]] |
                             at[(kw("output") > identifier > x3::lit('=') > expression_ref)[OutputAction{}]] |
                             (kw("private") > (at[(any_word >> *(x3::lit('.') > any_word))[PrivateAction{}]] % ','));

BOOST_SPIRIT_DEFINE(type_expr, list_type, record_type, named_type, field_decl, pack_decl, table_decl,
                    def_decl, schema_decl, property_decl, let_clause, rule_clause, top_decl, item_header, item_member,
                    rule_set_header, decision_decl, decision_header, cell_literal, cell_any, cell_list,
                    cell_compare, cell_range, cell_not, cell)

}  // namespace miaopi::dsl::parser
