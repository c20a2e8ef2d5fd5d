// The abstract syntax tree of a rules file. Nodes live in their Module's
// arenas (stable addresses), children are plain pointers, and every node
// carries its byte span. The checker fills in `type` and `ref`, which turns
// the tree into the typed AST that lowering and the reference evaluator read.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "dsl/date.h"
#include "dsl/outcome.h"
#include "dsl/source.h"
#include "dsl/types.h"

namespace miaopi::dsl {

enum class ExprKind : uint8_t {
  kLiteral,     // a constant: `lit`
  kList,        // [args...]
  kName,        // an identifier `name`; the checker says what it names in `ref`
  kToday,       // the evaluation date
  kField,       // args[0] . name
  kIndex,       // args[0] [ args[1] ]
  kCall,        // name(args...)
  kUnary,       // op args[0]                  (op: kNeg, kNot)
  kBinary,      // args[0] op args[1]
  kIf,          // if args[0] then args[1] else args[2]
  kQuantifier,  // op binder in args[0]: args[1]          (op: kAll, kAny)
  kAggregate,   // name(binder in args[0]: args[1])      (op: kCount, kSum, kMin, kMax)
};

enum class Op : uint8_t {
  kNone,
  kNeg,       // -x
  kNot,       // not x
  kAdd,       // +
  kSub,       // -
  kMul,       // *
  kDiv,       // /   (always a number)
  kMod,       // %   (int)
  kEq,        // ==
  kNe,        // !=
  kLt,        // <
  kLe,        // <=
  kGt,        // >
  kGe,        // >=
  kAnd,       // and (three-valued)
  kOr,        // or  (three-valued)
  kIn,        // x in list | x in TABLE
  kNotIn,     // x not in ...
  kMatches,   // s matches "regex"
  kCoalesce,  // a ?? b
  kAll,       // all x in L: P
  kAny,       // any x in L: P
  kCount,     // count(x in L: P)
  kSum,       // sum(x in L: E)
  kMin,       // min(x in L: E)
  kMax,       // max(x in L: E)
  kImplies,   // a implies b: properties only (not a or b, three-valued)
};

const char* OpText(Op op);

enum class LiteralKind : uint8_t { kBool, kInt, kNumber, kString, kDate, kDuration };

struct Literal {
  LiteralKind kind = LiteralKind::kBool;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;
  int32_t date = 0;
  Duration duration;
};

// What a name, field, index or call resolves to; filled by the checker.
enum class RefKind : uint8_t {
  kNone,
  kInput,      // kName: a top-level field of the item's input (index = field)
  kLet,        // kName: a let of the item (index = let)
  kParam,      // kName: a parameter of the enclosing def (index = param)
  kBinder,     // kName: the variable of a quantifier or aggregate (`binder`)
  kTable,      // kName: a table (index = table)
  kField,      // kField: a field of a record (index = field)
  kListIndex,  // kIndex: element of a list
  kTableRow,   // kIndex: the row of a table with that key
  kColumn,     // kField: a column of a table row (index = column)
  kBuiltin,    // kCall: a built-in function (index = Builtin)
  kDef,        // kCall: a def of the pack (index = def)
  kSubject,    // kName `subject`: the logged-in subject, from the caller
  kContext,    // kName `context`: the request context (handling town …), from the caller
  kLicence,    // kName: a licence the item uses (index = use)
  kOutput,     // kName: an output of the item (index = output)
  kDecision,   // kCall: a decision table of the pack (index = decision)
  // Properties only (`property … : EXPR`), never evaluated by the engine:
  kVerdict,       // kName `decision`: the item's decision
  kVerdictConst,  // kName approve | review | reject (index = Outcome)
  kRuleStatus,    // kCall `rule(CODE)`: a rule's result (index = rule)
  kStatusConst,   // kName pass | fail | unknown (index 0, 1, 2)
};

struct Expr;

struct Ref {
  RefKind kind = RefKind::kNone;
  uint32_t index = 0;
  const Expr* binder = nullptr;  // kBinder: the quantifier or aggregate that binds it
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Op op = Op::kNone;
  Span span;
  std::string name;    // kName, kField, kCall, kAggregate
  std::string binder;  // kQuantifier, kAggregate
  Span binder_span;
  Literal lit;
  std::vector<Expr*> args;
  uint32_t depth = 1;  // height of the subtree; bounded by the parser

  // Filled by the checker.
  const Type* type = nullptr;
  Ref ref;
};

// The syntax of a type: `int`, `list<T>`, `{ a: T, b: U? }`, a schema name.
struct TypeExpr;

struct FieldDecl {
  std::string name;
  TypeExpr* type = nullptr;
  bool optional = false;
  bool fixed = false;  // `fixed`: the applicant cannot change it (a birth date, a register)
  Span span;
};

struct TypeExpr {
  enum class Kind : uint8_t { kNamed, kList, kRecord } kind = Kind::kNamed;
  std::string name;  // kNamed: a scalar type or a schema
  TypeExpr* elem = nullptr;
  std::vector<FieldDecl> fields;
  Span span;
};

struct PackDecl {
  std::string name, version;
  Span span;
};

struct ColumnDecl {
  std::string name;
  TypeExpr* type = nullptr;
  Span span;
};

struct TableDecl {
  std::string name, path, key;
  std::vector<ColumnDecl> columns;  // typed columns; the others are strings
  Span span, name_span, path_span, key_span;
};

struct ParamDecl {
  std::string name;
  TypeExpr* type = nullptr;
  Span span;
};

struct DefDecl {
  std::string name;
  std::vector<ParamDecl> params;
  Expr* body = nullptr;
  Span span, name_span;
};

struct SchemaDecl {
  std::string name;
  TypeExpr* type = nullptr;  // a record
  Span span, name_span;
};

struct LetDecl {
  std::string name;
  Expr* value = nullptr;
  Span span, name_span;
};

struct RuleDecl {
  std::string code, message;
  Expr* cond = nullptr;
  Outcome outcome = Outcome::kReview;
  std::vector<std::string> basis;
  std::optional<Outcome> on_missing;
  Span span, code_span, outcome_span;
  const struct ItemDecl* included_from = nullptr;  // the rule set it was copied from
};

// `include NAME`: the rules of rule set NAME go here, in order.
struct IncludeDecl {
  std::string name;
  size_t position = 0;  // index in ItemDecl::rules where they go
  Span span;
};

// `uses licence TYPE as NAME [for EXPR]`
struct LicenceUseDecl {
  std::string type, name;
  Expr* key = nullptr;  // `for EXPR`; null: the subject's own id
  Span span, type_span, name_span;
  uint32_t licence = UINT32_MAX;  // the licence type's index (set by the checker)
};

// `output NAME = EXPR`: a value the decision record carries.
struct OutputDecl {
  std::string name;
  Expr* value = nullptr;
  Span span, name_span;
};

// `private PATH, …`: input fields that hold personal data (ID numbers,
// names, phones), masked wherever decisions are exported (journal export
// --mask). A path goes through records and into each element of a list.
struct PrivateDecl {
  std::vector<std::string> segments;  // applicant.id_number → {"applicant", "id_number"}
  Span span;
};

// An item, or a rule set (`rules NAME { … }`: rules only, for `include`).
struct ItemDecl {
  std::string code, title;
  bool is_rule_set = false;
  std::vector<std::string> basis;
  std::optional<int32_t> effective, until;
  Mode mode = Mode::kOnline;
  TypeExpr* input = nullptr;
  std::vector<LetDecl> lets;
  std::vector<RuleDecl> rules;
  std::vector<IncludeDecl> includes;
  std::vector<LicenceUseDecl> licences;
  std::vector<OutputDecl> outputs;
  std::vector<PrivateDecl> private_paths;
  Span span, code_span, effective_span, until_span;
  bool members_dropped = false;  // a member did not parse (its error is reported)
};

// `licence TYPE "TITLE" holder natural_person|legal_person { fields }`
struct LicenceDecl {
  std::string type, title, holder_kind;
  TypeExpr* fields = nullptr;  // a record
  Span span, type_span, holder_span;
};

// One cell of a decision table's input column.
struct CellDecl {
  enum class Kind : uint8_t {
    kAny,      // -
    kEquals,   // a literal, or a list of literals `1, 2`
    kCompare,  // < <= > >= == != literal
    kRange,    // [lo..hi], (lo..hi), [lo..hi), (lo..hi]
    kNot,      // not CELL
  } kind = Kind::kAny;
  std::vector<Literal> values;  // kEquals; kCompare uses values[0]
  Op op = Op::kEq;              // kCompare
  Literal lo, hi;               // kRange
  bool lo_open = false, hi_open = false;
  CellDecl* inner = nullptr;  // kNot
  Span span;
};

enum class HitPolicy : uint8_t {
  kFirst,    // the first matching row, in order
  kUnique,   // exactly one row may match (overlaps are an error)
  kAny,      // several rows may match if they give the same output
  kCollect,  // the outputs of every matching row, as a list
};

const char* HitPolicyText(HitPolicy h);

// `decision NAME(params) -> TYPE hit POLICY { | col | … | => | rows… }`
struct DecisionDecl {
  std::string name;
  std::vector<ParamDecl> params;
  TypeExpr* result = nullptr;
  HitPolicy hit = HitPolicy::kFirst;
  std::vector<std::string> columns;  // input column per cell position (params, by name)
  std::vector<Span> column_spans;
  struct Row {
    std::vector<CellDecl*> cells;
    Expr* output = nullptr;
    Span span;
  };
  std::vector<Row> rows;
  Span span, name_span, header_span;
};

// `property CODE "DESCRIPTION" for "ITEM": EXPR` — a claim about every
// decision of an item, proved or refuted by `miaopi verify`; evaluation
// ignores it. The checker types a copy of `cond` per version of the item.
struct PropertyDecl {
  std::string code, description, item;
  Expr* cond = nullptr;
  Span span, code_span, item_span;
};

// One parsed .rules file.
struct Module {
  uint32_t file = 0;
  std::vector<PackDecl> packs;
  std::vector<TableDecl> tables;
  std::vector<DefDecl> defs;
  std::vector<SchemaDecl> schemas;
  std::deque<ItemDecl> items;  // deque: actions keep pointers while parsing
  std::deque<ItemDecl> rule_sets;
  std::vector<LicenceDecl> licences;
  std::deque<DecisionDecl> decisions;
  std::vector<PropertyDecl> properties;

  Expr* NewExpr() { return &exprs_.emplace_back(); }
  TypeExpr* NewType() { return &types_.emplace_back(); }
  CellDecl* NewCell() { return &cells_.emplace_back(); }

 private:
  std::deque<Expr> exprs_;
  std::deque<TypeExpr> types_;
  std::deque<CellDecl> cells_;
};

// A deep copy of `e` in `module`'s arena, with nothing checked yet (for
// rules included into several items).
Expr* CloneExpr(Module& module, const Expr* e);

}  // namespace miaopi::dsl
