// The symbolic evaluator: one item version of a compiled pack as Z3 formulas
// over every application its input schema admits, every request context and
// every evaluation date in the version's validity. This file's external
// interface is ItemEncoder: Decision(), RuleStatus(i) and Property(cond) give
// formulas, Domain() the constraints on the inputs, and Witness() reads an
// application, context and date back from a model.
//
// The walk mirrors the reference evaluator (engine/testing/reference.cc)
// case by case, with the same three-valued meaning: every value is a Sym
// whose `known` says whether it is known, `absent` whether an unknown one is
// unknown only because data is absent (what absent() reads), and `v` its
// value when known. docs/verify.md says how each construct is encoded.
#pragma once

#include <z3++.h>

#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsl/program.h"
#include "engine/graph/compiled_pack.h"

namespace miaopi::verify {

struct EncodeOptions {
  // Lists of the application hold at most this many elements: what is
  // proved is proved for lists up to this length.
  uint32_t list_bound = 3;
  // Names the encoder's rule status variables, so two encoders can share
  // one context (and the inputs, which are named alike).
  std::string tag = "e";
  // The evaluation date is one in the version's validity (off: any date).
  bool date_in_validity = true;
};

// A construct the encoding does not cover; the property is `unknown` with
// this as its reason.
class NotEncoded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A calendar day as year, month and day (Int terms).
struct Civil {
  z3::expr year, month, day;
};

// A symbolic value. Scalars: `v` (bool, int, number as IEEE double, string,
// date as days since 1970-01-01, duration months with `v2` its days; a
// decision or rule status as an int). Records: `parts` by field. Lists:
// `parts` by element, `len` of them present. A table row: `v` is its key.
struct Sym {
  explicit Sym(z3::context& c)
      : known(c.bool_val(true)), absent(c.bool_val(false)), v(c.bool_val(true)), v2(c.int_val(0)), len(c.int_val(0)),
        problem(c.int_val(0)) {}
  z3::expr known, absent, v, v2, len;
  std::shared_ptr<std::vector<Sym>> parts;
  // A date's year, month and day when the encoding has them without
  // division (inputs, the evaluation date, constants, date ± months):
  // comparisons of such dates stay in linear arithmetic.
  std::shared_ptr<Civil> civil;
  int table = -1;    // a row of this table
  int licence = -1;  // the value of this licence use (licence_status reads `problem`)
  z3::expr problem;  // licence: 0 in force, else 1 + LicenceProblem
};

// What a counterexample is: an application, a request context, an
// evaluation date and the licence library's answers, as JSON texts.
struct Witness {
  std::string application, context, date;
  // Licence records the library holds, one JSON object each, with the
  // (type, key) it gives each for; and the lookups it does not answer.
  std::vector<std::string> licences;
  std::vector<std::pair<std::string, std::string>> licence_keys;
  std::vector<std::pair<std::string, std::string>> failing_lookups;  // (type, key)
};

class ItemEncoder {
 public:
  ItemEncoder(z3::context& ctx, const engine::CompiledPack& pack, size_t item, const EncodeOptions& options);

  // Constraints every input satisfies (types, ranges, list bounds, the date
  // in the version's validity, the licence library's answers). Formulas
  // over helper constants need Defined() or Link(): each definition is
  // asserted only where it is used.
  z3::expr Domain();
  // The decision as an int: 0 approve, 1 review, 2 reject — over the rules'
  // status variables, which Link() ties to what the rules compute. The
  // solver starts with the variables free and adds a link where its model
  // breaks one (verify.cc: lazy refinement), so a property that needs two
  // rules is decided on those two.
  z3::expr Decision();
  // Rule i's status variable: 0 pass, 1 fail, 2 unknown.
  z3::expr RuleStatus(size_t rule);
  // Rule i's status as its condition computes it.
  z3::expr ExactStatus(size_t rule);
  // The status variable equals the computed status (with the definitions
  // that computation needs).
  z3::expr Link(size_t rule);
  // `e` with the definitions of the helper constants it mentions (the
  // year of a computed date, a trimmed string …), transitively.
  z3::expr Defined(const z3::expr& e) { return e && DefinitionsOf(e); }
  size_t rule_count() const { return rules_.size(); }
  // The size of rule i's encoding (its formula's distinct nodes): the solver
  // links small rules first.
  size_t RuleSize(size_t rule);
  // A property's condition (checked for this version) as a Sym.
  Sym Property(const dsl::Expr* cond);
  // What makes a counterexample easy to read, asked for first (and dropped
  // when it cannot hold): no field of a wrong type, dates in 1900–2100 and
  // the evaluation date within two years of the version's start.
  std::vector<z3::expr> Plausible();
  // For each row of decision table `index`: its arguments (any values of
  // the parameters' types) make it the row that decides.
  std::vector<z3::expr> RowsChosen(uint32_t index);
  // Reads the counterexample out of a model.
  Witness Read(const z3::model& model);

  // Constructs encoded by over-approximation (a function left
  // uninterpreted): a proof stands, a counterexample may not confirm.
  const std::set<std::string>& approximations() const { return approximations_; }
  // Whether the input has lists (the bound applies).
  bool has_lists() const { return has_lists_; }
  const dsl::ItemVersion& item() const { return item_; }

 private:
  struct Env {
    const std::vector<Sym>* params = nullptr;
    std::map<const dsl::Expr*, Sym> binders;
  };

  Sym MakeInput(const dsl::Type* type, const std::string& name, bool root);
  Sym Eval(const dsl::Expr* e, Env& env);
  Sym EvalKind(const dsl::Expr* e, Env& env);
  Sym Name(const dsl::Expr* e, Env& env);
  Sym FieldOf(const Sym& record, const dsl::Type* type, uint32_t field);
  Sym Column(const Sym& row, uint32_t table, uint32_t column);
  Sym Index(const dsl::Expr* e, Env& env);
  Sym Call(const dsl::Expr* e, Env& env);
  Sym Builtin(const dsl::Expr* e, std::vector<Sym>& args);
  Sym DecisionTable(uint32_t index, std::vector<Sym>& args);
  z3::expr CellMatches(const engine::CompiledCell& cell, const Sym& x, const dsl::Type* t);
  Sym Binary(const dsl::Expr* e, Env& env);
  Sym Loop(const dsl::Expr* e, Env& env);
  Sym Licence(size_t use);
  Sym Let(size_t index);
  Sym Output(size_t index);

  // Values and their pieces.
  Sym Known(z3::expr v, z3::expr v2);
  Sym Known(z3::expr v) { return Known(v, ctx_.int_val(0)); }
  // Unknown for a reason other than absence (a note: overflow, no row …)
  // unless an operand in `ops` is unknown, whose causes then join.
  Sym Strict(const std::vector<const Sym*>& ops, z3::expr ok, z3::expr v, z3::expr v2);
  Sym Strict(const std::vector<const Sym*>& ops, z3::expr ok, z3::expr v) {
    return Strict(ops, ok, v, ctx_.int_val(0));
  }
  Sym Ite(const z3::expr& c, const Sym& a, const Sym& b);
  Sym Constant(const engine::Value& value, const dsl::Type* type);
  Sym Literal(const dsl::Literal& lit);
  z3::expr Number(double d);
  z3::expr ToNumber(const Sym& s, const dsl::Type* type);
  // An int where a number is expected (a def's parameter, a list, ??, if).
  Sym Coerce(Sym s, const dsl::Type* from, const dsl::Type* to);
  z3::expr FpEq(const z3::expr& a, const z3::expr& b);
  z3::expr Finite(const z3::expr& x);
  z3::expr Compare(dsl::Op op, const dsl::Type* ta, const Sym& a, const dsl::Type* tb, const Sym& b, z3::expr* ok);
  z3::expr ScalarEq(const Sym& a, const dsl::Type* ta, const Sym& b, const dsl::Type* tb);
  z3::expr StringConst(std::string_view s);
  z3::expr Fresh(const std::string& prefix, const z3::expr& of, const z3::sort& sort);

  // Dates.
  Civil CivilOf(const Sym& date);
  Sym DateSym(const Civil& c);
  Civil ConstantCivil(int32_t days);
  z3::expr DaysFromCivil(const z3::expr& y, const z3::expr& m, const z3::expr& d);
  z3::expr DaysInMonth(const z3::expr& y, const z3::expr& m);
  z3::expr DateInRange(const z3::expr& days);
  // date + months (clamped), and whether it stays in years 1..9999.
  Civil AddMonths(const Sym& date, const z3::expr& months, z3::expr* ok);

  std::optional<z3::expr> Trim(const z3::expr& s);

  // GB 11643 and GB 32100.
  struct IdParts {
    z3::expr birth_ok, year, month, day, valid;
  };
  IdParts IdNumber(const z3::expr& s);
  z3::expr UsccValid(const z3::expr& s);

  // Witness reading.
  void WriteJson(const z3::model& m, const Sym& s, const dsl::Type* type, std::string* out);
  bool ReadKnown(const z3::model& m, const Sym& s);

  z3::context& ctx_;
  const engine::CompiledPack& pack_;
  const dsl::Program& program_;
  const dsl::ItemVersion& item_;
  EncodeOptions options_;
  z3::sort number_sort_;
  z3::expr today_;
  std::shared_ptr<Civil> today_civil_;
  std::unique_ptr<Sym> input_, context_;
  void Define(const std::vector<z3::expr>& vars, const z3::expr& definition);
  z3::expr DefinitionsOf(const z3::expr& e);
  std::vector<z3::expr> domain_, definitions_;
  std::vector<z3::expr> well_typed_, plausible_dates_;
  std::map<std::string, size_t> defines_;  // helper constant → its definition
  std::map<size_t, z3::expr> links_;
  std::vector<std::unique_ptr<Sym>> lets_, outputs_, licences_, licence_keys_;
  std::vector<std::unique_ptr<Sym>> rules_;
  std::set<size_t> status_bounded_;
  std::map<unsigned, Civil> civil_;  // by the days expression's id
  std::map<unsigned, IdParts> ids_;
  std::map<unsigned, z3::expr> usccs_, trims_;
  std::set<std::string> approximations_;
  std::map<std::string, z3::func_decl> functions_;  // uninterpreted, by name
  bool has_lists_ = false;
  uint64_t steps_ = 0;
};

}  // namespace miaopi::verify
