#include "verify/encode.h"

#include <z3.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "dsl/date.h"
#include "engine/runtime/causes.h"
#include "engine/runtime/kernel.h"
#include "verify/z3_strings.h"

namespace miaopi::verify {

using dsl::Expr;
using dsl::ExprKind;
using dsl::Op;
using dsl::RefKind;
using dsl::Type;
using dsl::TypeKind;
using engine::LicenceProblem;

namespace {

constexpr int64_t kInt64Min = INT64_MIN;
constexpr int64_t kInt64Max = INT64_MAX;
// Defs may call defs several times; every call is expanded here, so the
// walk is bounded like the reference evaluator's.
constexpr uint64_t kMaxSteps = 2'000'000;

z3::expr All(z3::context& c, const std::vector<z3::expr>& xs) {
  z3::expr_vector v(c);
  for (const z3::expr& x : xs) v.push_back(x);
  return xs.empty() ? c.bool_val(true) : z3::mk_and(v);
}

z3::expr AnyOf(z3::context& c, const std::vector<z3::expr>& xs) {
  z3::expr_vector v(c);
  for (const z3::expr& x : xs) v.push_back(x);
  return xs.empty() ? c.bool_val(false) : z3::mk_or(v);
}

bool IsTrue(const z3::model& m, const z3::expr& e) { return m.eval(e, true).is_true(); }

int64_t IntOf(const z3::model& m, const z3::expr& e) {
  z3::expr v = m.eval(e, true);
  int64_t out = 0;
  if (v.is_numeral_i64(out)) return out;
  return 0;
}

// The licence problems a library that answers can give (kNoStore is the
// caller's configuration, not an input), as `problem` = 1 + the enumerator.
constexpr int kProblemCount = static_cast<int>(LicenceProblem::kStoreError) + 1;

}  // namespace

ItemEncoder::ItemEncoder(z3::context& ctx, const engine::CompiledPack& pack, size_t item, const EncodeOptions& options)
    : ctx_(ctx), pack_(pack), program_(*pack.program), item_(pack.program->items[item]), options_(options),
      number_sort_(ctx.fpa_sort(11, 53)), today_(ctx.int_val(0)) {
  {
    Civil t{ctx_.int_const("today?year"), ctx_.int_const("today?month"), ctx_.int_const("today?day")};
    domain_.push_back(t.year >= dsl::kMinYear && t.year <= dsl::kMaxYear && t.month >= 1 && t.month <= 12 &&
                      t.day >= 1 && t.day <= DaysInMonth(t.year, t.month));
    today_civil_ = std::make_shared<Civil>(t);
    today_ = DaysFromCivil(t.year, t.month, t.day);
  }
  input_ = std::make_unique<Sym>(MakeInput(item_.input, "app", true));
  context_ = std::make_unique<Sym>(MakeInput(program_.context_type, "ctx", true));
  Sym today = DateSym(*today_civil_);
  const Type* date = program_.types->Date();
  z3::expr ok(ctx_);
  if (options_.date_in_validity) {
    domain_.push_back(Compare(Op::kGe, date, today, date, DateSym(ConstantCivil(item_.effective)), &ok));
    if (item_.until) {
      domain_.push_back(Compare(Op::kLe, date, today, date, DateSym(ConstantCivil(*item_.until)), &ok));
    }
  }
  lets_.resize(item_.decl->lets.size());
  outputs_.resize(item_.decl->outputs.size());
  licences_.resize(item_.decl->licences.size());
  licence_keys_.resize(item_.decl->licences.size());
  rules_.resize(item_.decl->rules.size());
}

z3::expr ItemEncoder::Fresh(const std::string& prefix, const z3::expr& of, const z3::sort& sort) {
  // Named by the term it is a function of (Z3 shares equal terms, so equal
  // terms have one id): two encoders in one context that compute the same
  // thing name its helpers alike and agree on them.
  return ctx_.constant((prefix + "!" + std::to_string(of.id())).c_str(), sort);
}

// ---------------------------------------------------------------- inputs

Sym ItemEncoder::MakeInput(const Type* type, const std::string& name, bool root) {
  Sym s(ctx_);
  if (!root) {
    s.known = ctx_.bool_const((name + "?known").c_str());
    s.absent = ctx_.bool_const((name + "?absent").c_str());
    well_typed_.push_back(s.known || s.absent);
  }
  switch (type->kind) {
    case TypeKind::kBool: s.v = ctx_.bool_const(name.c_str()); break;
    case TypeKind::kInt: {
      s.v = ctx_.int_const(name.c_str());
      domain_.push_back(s.v >= ctx_.int_val(kInt64Min) && s.v <= ctx_.int_val(kInt64Max));
      break;
    }
    case TypeKind::kNumber: {
      // The bits of a double, so a model reads back exactly.
      z3::expr bits = ctx_.bv_const(name.c_str(), 64);
      s.v = z3::expr(ctx_, Z3_mk_fpa_to_fp_bv(ctx_, bits, number_sort_));
      domain_.push_back(Finite(s.v));
      break;
    }
    case TypeKind::kString: s.v = ctx_.string_const(name.c_str()); break;
    case TypeKind::kDate: {
      // Year, month and day are the variables; days since 1970 a term of them.
      Civil c{ctx_.int_const((name + "?year").c_str()), ctx_.int_const((name + "?month").c_str()),
              ctx_.int_const((name + "?day").c_str())};
      domain_.push_back(c.year >= dsl::kMinYear && c.year <= dsl::kMaxYear && c.month >= 1 && c.month <= 12 &&
                        c.day >= 1 && c.day <= DaysInMonth(c.year, c.month));
      s.v = DaysFromCivil(c.year, c.month, c.day);
      s.civil = std::make_shared<Civil>(c);
      plausible_dates_.push_back(c.year >= 1900 && c.year <= 2100);
      break;
    }
    case TypeKind::kDuration:
      s.v = ctx_.int_const((name + "?months").c_str());
      s.v2 = ctx_.int_const((name + "?days").c_str());
      domain_.push_back(s.v >= ctx_.int_val(INT32_MIN) && s.v <= ctx_.int_val(INT32_MAX));
      domain_.push_back(s.v2 >= ctx_.int_val(INT32_MIN) && s.v2 <= ctx_.int_val(INT32_MAX));
      break;
    case TypeKind::kList: {
      has_lists_ = true;
      s.len = ctx_.int_const((name + "?len").c_str());
      domain_.push_back(s.len >= 0 && s.len <= ctx_.int_val(options_.list_bound));
      s.parts = std::make_shared<std::vector<Sym>>();
      for (uint32_t i = 0; i < options_.list_bound; ++i) {
        s.parts->push_back(MakeInput(type->elem, name + "[" + std::to_string(i) + "]", false));
      }
      break;
    }
    case TypeKind::kRecord: {
      s.parts = std::make_shared<std::vector<Sym>>();
      for (const dsl::RecordField& f : type->fields) s.parts->push_back(MakeInput(f.type, name + "." + f.name, false));
      break;
    }
    default: throw NotEncoded("an input of type " + dsl::TypeName(type));
  }
  return s;
}

// ---------------------------------------------------------------- values

Sym ItemEncoder::Known(z3::expr v, z3::expr v2) {
  Sym s(ctx_);
  s.v = v;
  s.v2 = v2;
  return s;
}

Sym ItemEncoder::Strict(const std::vector<const Sym*>& ops, z3::expr ok, z3::expr v, z3::expr v2) {
  std::vector<z3::expr> known, absent_or_known;
  for (const Sym* o : ops) {
    known.push_back(o->known);
    absent_or_known.push_back(o->known || o->absent);
  }
  z3::expr all_known = All(ctx_, known);
  Sym s(ctx_);
  s.known = all_known && ok;
  // Unknown operands' causes join (absent only if each is); a note is not absence.
  s.absent = !all_known && All(ctx_, absent_or_known);
  s.v = v;
  s.v2 = v2;
  return s;
}

Sym ItemEncoder::Ite(const z3::expr& c, const Sym& a, const Sym& b) {
  Sym s(ctx_);
  s.known = z3::ite(c, a.known, b.known);
  s.absent = z3::ite(c, a.absent, b.absent);
  if (a.v.get_sort().id() != b.v.get_sort().id()) throw NotEncoded("a choice between values of different sorts");
  s.v = z3::ite(c, a.v, b.v);
  s.v2 = z3::ite(c, a.v2, b.v2);
  if (a.parts || b.parts) {
    if (!a.parts || !b.parts || a.parts->size() != b.parts->size())
      throw NotEncoded("a choice between lists or records of different shapes");
    s.parts = std::make_shared<std::vector<Sym>>();
    for (size_t i = 0; i < a.parts->size(); ++i) s.parts->push_back(Ite(c, (*a.parts)[i], (*b.parts)[i]));
    s.len = z3::ite(c, a.len, b.len);
  }
  if (a.table != b.table || a.licence != b.licence) throw NotEncoded("a choice between table rows or licences");
  if (a.civil && b.civil) {
    s.civil = std::make_shared<Civil>(Civil{z3::ite(c, a.civil->year, b.civil->year),
                                            z3::ite(c, a.civil->month, b.civil->month),
                                            z3::ite(c, a.civil->day, b.civil->day)});
  }
  s.table = a.table;
  s.licence = a.licence;
  s.problem = z3::ite(c, a.problem, b.problem);
  return s;
}

z3::expr ItemEncoder::Number(double d) { return ctx_.fpa_val(d); }

z3::expr ItemEncoder::FpEq(const z3::expr& a, const z3::expr& b) { return z3::expr(ctx_, Z3_mk_fpa_eq(ctx_, a, b)); }

z3::expr ItemEncoder::Finite(const z3::expr& x) {
  return !z3::expr(ctx_, Z3_mk_fpa_is_nan(ctx_, x)) && !z3::expr(ctx_, Z3_mk_fpa_is_infinite(ctx_, x));
}

z3::expr ItemEncoder::ToNumber(const Sym& s, const Type* type) {
  if (type->kind != TypeKind::kInt) return s.v;
  z3::expr rm(ctx_, Z3_mk_fpa_rne(ctx_));
  int64_t constant = 0;
  if (s.v.is_numeral_i64(constant)) return Number(static_cast<double>(constant));
  // Through the 64 bits of the int (an int is within them wherever it is
  // known): Z3 decides that, where int → real → float is incomplete.
  z3::expr bits(ctx_, Z3_mk_int2bv(ctx_, 64, s.v));
  return z3::expr(ctx_, Z3_mk_fpa_to_fp_signed(ctx_, rm, bits, number_sort_));
}

z3::expr ItemEncoder::StringConst(std::string_view s) { return StringConstant(ctx_, s); }

Sym ItemEncoder::Coerce(Sym s, const Type* from, const Type* to) {
  if (from == nullptr || to == nullptr) return s;
  if (to->kind == TypeKind::kNumber && from->kind == TypeKind::kInt) {
    s.v = ToNumber(s, from);
  } else if (to->kind == TypeKind::kList && from->kind == TypeKind::kList && s.parts) {
    for (Sym& e : *s.parts) e = Coerce(e, from->elem, to->elem);
  }
  return s;
}

Sym ItemEncoder::Constant(const engine::Value& value, const Type* type) {
  using engine::ValueKind;
  if (!value.known()) {
    Sym s(ctx_);
    s.known = ctx_.bool_val(false);
    return s;
  }
  switch (value.kind) {
    case ValueKind::kBool: return Known(ctx_.bool_val(value.b));
    case ValueKind::kInt:
      if (type != nullptr && type->kind == TypeKind::kNumber) return Known(Number(static_cast<double>(value.i)));
      return Known(ctx_.int_val(value.i));
    case ValueKind::kNumber: return Known(Number(value.d));
    case ValueKind::kString: return Known(StringConst(value.string()));
    case ValueKind::kDate: return DateSym(ConstantCivil(value.date));
    case ValueKind::kDuration: return Known(ctx_.int_val(value.duration.months), ctx_.int_val(value.duration.days));
    default: throw NotEncoded("a constant list or record");
  }
}

Sym ItemEncoder::Literal(const dsl::Literal& lit) {
  switch (lit.kind) {
    case dsl::LiteralKind::kBool: return Known(ctx_.bool_val(lit.b));
    case dsl::LiteralKind::kInt: return Known(ctx_.int_val(lit.i));
    case dsl::LiteralKind::kNumber: return Known(Number(lit.d));
    case dsl::LiteralKind::kString: return Known(StringConst(lit.s));
    case dsl::LiteralKind::kDate: return DateSym(ConstantCivil(lit.date));
    case dsl::LiteralKind::kDuration: return Known(ctx_.int_val(lit.duration.months), ctx_.int_val(lit.duration.days));
  }
  throw NotEncoded("a literal");
}

// ---------------------------------------------------------------- dates

z3::expr ItemEncoder::DateInRange(const z3::expr& days) {
  return days >= ctx_.int_val(dsl::DaysFromCivil({dsl::kMinYear, 1, 1})) &&
         days <= ctx_.int_val(dsl::DaysFromCivil({dsl::kMaxYear, 12, 31}));
}

z3::expr ItemEncoder::DaysInMonth(const z3::expr& y, const z3::expr& m) {
  z3::expr leap = (z3::mod(y, 4) == 0 && z3::mod(y, 100) != 0) || z3::mod(y, 400) == 0;
  return z3::ite(m == 2, z3::ite(leap, ctx_.int_val(29), ctx_.int_val(28)),
                 z3::ite(m == 4 || m == 6 || m == 9 || m == 11, ctx_.int_val(30), ctx_.int_val(31)));
}

// Howard Hinnant's days_from_civil, which dsl/date.cc implements: divisions
// by constants only, so it stays in linear integer arithmetic.
z3::expr ItemEncoder::DaysFromCivil(const z3::expr& year, const z3::expr& m, const z3::expr& d) {
  z3::expr y = year - z3::ite(m <= 2, ctx_.int_val(1), ctx_.int_val(0));
  z3::expr era = y / 400;  // y >= 0 for years 1..9999
  z3::expr yoe = y - era * 400;
  z3::expr mp = z3::ite(m > 2, m - 3, m + 9);
  z3::expr doy = (153 * mp + 2) / 5 + d - 1;
  z3::expr doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil ItemEncoder::ConstantCivil(int32_t days) {
  dsl::CivilDate c = dsl::CivilFromDays(days);
  return Civil{ctx_.int_val(c.year), ctx_.int_val(static_cast<int>(c.month)), ctx_.int_val(static_cast<int>(c.day))};
}

Sym ItemEncoder::DateSym(const Civil& c) {
  Sym s = Known(DaysFromCivil(c.year, c.month, c.day));
  s.civil = std::make_shared<Civil>(c);
  return s;
}

Civil ItemEncoder::CivilOf(const Sym& date) {
  if (date.civil) return *date.civil;
  const z3::expr& days = date.v;
  auto it = civil_.find(days.id());
  if (it != civil_.end()) return it->second;
  Civil c{Fresh("year", days, ctx_.int_sort()), Fresh("month", days, ctx_.int_sort()),
          Fresh("day", days, ctx_.int_sort())};
  // Defined only where `days` is a real date, so an unknown value (whose
  // `v` is arbitrary) constrains nothing.
  Define({c.year, c.month, c.day},
         z3::implies(DateInRange(days), c.year >= dsl::kMinYear && c.year <= dsl::kMaxYear && c.month >= 1 &&
                                            c.month <= 12 && c.day >= 1 && c.day <= DaysInMonth(c.year, c.month) &&
                                            DaysFromCivil(c.year, c.month, c.day) == days));
  civil_.emplace(days.id(), c);
  return c;
}

Civil ItemEncoder::AddMonths(const Sym& date, const z3::expr& months, z3::expr* ok) {
  Civil c = CivilOf(date);
  z3::expr year(ctx_), month(ctx_);
  int64_t k = 0;
  if (months.is_numeral_i64(k)) {
    // A constant number of months: whole years and a carry, no division.
    z3::expr m = c.month + static_cast<int>(k % 12);
    year = c.year + static_cast<int>(k / 12) +
           z3::ite(m > 12, ctx_.int_val(1), z3::ite(m < 1, ctx_.int_val(-1), ctx_.int_val(0)));
    month = z3::ite(m > 12, m - 12, z3::ite(m < 1, m + 12, m));
  } else {
    z3::expr total = c.year * 12 + (c.month - 1) + months;
    // Z3's integer division floors for a positive divisor, as AddMonths does.
    year = total / 12;
    month = total - year * 12 + 1;
  }
  *ok = year >= dsl::kMinYear && year <= dsl::kMaxYear;
  z3::expr limit = DaysInMonth(year, month);
  z3::expr day = z3::ite(c.day < limit, c.day, limit);
  return Civil{year, month, day};
}

// trim(s) = t where s = p ++ t ++ q, p and q white space (ASCII and U+3000,
// as the engine trims), and t empty or neither starting nor ending with
// white space: one t for every s, so the definition constrains nothing.
std::optional<z3::expr> ItemEncoder::Trim(const z3::expr& s) {
  auto it = trims_.find(s.id());
  if (it != trims_.end()) return it->second;
  const std::string ws = " \t\n\r\f\v\xE3\x80\x80";
  RegexResult space = TranslateRegex(ctx_, "^[" + ws + "]*$");
  RegexResult body = TranslateRegex(ctx_, "^(?:[^" + ws + "](?:[\\s\\S]*[^" + ws + "])?)?$");
  if (!space.language || !body.language) return std::nullopt;
  z3::expr p = Fresh("trim_lead", s, ctx_.string_sort()), t = Fresh("trim", s, ctx_.string_sort()),
           q = Fresh("trim_tail", s, ctx_.string_sort());
  Define({p, t, q}, s == z3::concat(p, z3::concat(t, q)) && z3::in_re(p, *space.language) &&
                        z3::in_re(q, *space.language) && z3::in_re(t, *body.language));
  trims_.emplace(s.id(), t);
  return t;
}

// ---------------------------------------------------------------- checksums

ItemEncoder::IdParts ItemEncoder::IdNumber(const z3::expr& s) {
  auto it = ids_.find(s.id());
  if (it != ids_.end()) return it->second;
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::vector<z3::expr> digits, ok;
  ok.push_back(s.length() == 18);
  // Characters compared with constants (not str.to_int, which Z3 4.8.12
  // solves slowly): -1 unless an ASCII digit.
  auto digit = [&](const z3::expr& c) {
    z3::expr d = ctx_.int_val(-1);
    for (int k = 9; k >= 0; --k)
      d = z3::ite(c == StringConst(std::string(1, static_cast<char>('0' + k))), ctx_.int_val(k), d);
    return d;
  };
  for (int i = 0; i < 17; ++i) {
    z3::expr d = digit(s.at(ctx_.int_val(i)));
    ok.push_back(d >= 0);
    digits.push_back(d);
  }
  z3::expr year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9];
  z3::expr month = digits[10] * 10 + digits[11];
  z3::expr day = digits[12] * 10 + digits[13];
  ok.push_back(year >= dsl::kMinYear && year <= dsl::kMaxYear && month >= 1 && month <= 12 && day >= 1 &&
               day <= DaysInMonth(year, month));
  z3::expr birth_ok = All(ctx_, ok);
  z3::expr sum = ctx_.int_val(0);
  for (int i = 0; i < 17; ++i) sum = sum + digits[i] * kWeights[i];
  z3::expr index = z3::mod(sum, 11);
  z3::expr last = s.at(ctx_.int_val(17));
  // "10X98765432"[index]: X at 2, else the digit (12 - index) mod 11.
  z3::expr check =
      z3::ite(index == 2, last == StringConst("X") || last == StringConst("x"), digit(last) == z3::mod(12 - index, 11));
  IdParts parts{birth_ok, year, month, day, birth_ok && check};
  ids_.emplace(s.id(), parts);
  return parts;
}

z3::expr ItemEncoder::UsccValid(const z3::expr& s) {
  auto it = usccs_.find(s.id());
  if (it != usccs_.end()) return it->second;
  static constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  std::vector<z3::expr> ok;
  ok.push_back(s.length() == 18);
  std::vector<z3::expr> values;
  for (int i = 0; i < 18; ++i) {
    z3::expr c = s.at(ctx_.int_val(i));
    z3::expr value = ctx_.int_val(-1);
    for (size_t k = kCharset.size(); k-- > 0;) {
      value = z3::ite(c == StringConst(kCharset.substr(k, 1)), ctx_.int_val(static_cast<int>(k)), value);
    }
    ok.push_back(value >= 0);
    if (i >= 2 && i < 8) ok.push_back(value <= 9);
    values.push_back(value);
  }
  z3::expr sum = ctx_.int_val(0);
  for (int i = 0; i < 17; ++i) sum = sum + values[i] * kWeights[i];
  ok.push_back(values[17] == z3::mod(31 - z3::mod(sum, 31), 31));
  z3::expr valid = All(ctx_, ok);
  usccs_.emplace(s.id(), valid);
  return valid;
}

// ---------------------------------------------------------------- the walk

void ItemEncoder::Define(const std::vector<z3::expr>& vars, const z3::expr& definition) {
  for (const z3::expr& v : vars) defines_.emplace(v.decl().name().str(), definitions_.size());
  definitions_.push_back(definition);
}

z3::expr ItemEncoder::DefinitionsOf(const z3::expr& e) {
  std::vector<z3::expr> todo = {e}, found;
  std::set<unsigned> seen;
  std::set<size_t> taken;
  while (!todo.empty()) {
    z3::expr x = todo.back();
    todo.pop_back();
    if (!seen.insert(x.id()).second || !x.is_app()) continue;
    if (x.num_args() == 0 && x.decl().decl_kind() == Z3_OP_UNINTERPRETED) {
      auto it = defines_.find(x.decl().name().str());
      if (it != defines_.end() && taken.insert(it->second).second) {
        found.push_back(definitions_[it->second]);
        todo.push_back(definitions_[it->second]);
      }
    }
    for (unsigned i = 0; i < x.num_args(); ++i) todo.push_back(x.arg(i));
  }
  return All(ctx_, found);
}

std::vector<z3::expr> ItemEncoder::Plausible() {
  Sym today = DateSym(*today_civil_);
  const Type* date = program_.types->Date();
  z3::expr ok(ctx_);
  z3::expr soon = Compare(Op::kLe, date, today, date, DateSym(ConstantCivil(item_.effective + 730)), &ok);
  return {All(ctx_, well_typed_) && All(ctx_, plausible_dates_) && soon, All(ctx_, plausible_dates_) && soon};
}

z3::expr ItemEncoder::Domain() {
  z3::expr inputs = All(ctx_, domain_);
  return inputs && DefinitionsOf(inputs);
}

z3::expr ItemEncoder::Link(size_t rule) {
  auto it = links_.find(rule);
  if (it != links_.end()) return it->second;
  z3::expr exact = ExactStatus(rule);
  z3::expr link = RuleStatus(rule) == exact && DefinitionsOf(exact);
  links_.emplace(rule, link);
  return link;
}

z3::expr ItemEncoder::RuleStatus(size_t rule) {
  z3::expr v = ctx_.int_const((options_.tag + "?status?" + std::to_string(rule)).c_str());
  if (status_bounded_.insert(rule).second) domain_.push_back(v >= 0 && v <= 2);
  return v;
}

size_t ItemEncoder::RuleSize(size_t rule) {
  std::vector<z3::expr> todo = {ExactStatus(rule)};
  std::set<unsigned> seen;
  while (!todo.empty()) {
    z3::expr e = todo.back();
    todo.pop_back();
    if (!seen.insert(e.id()).second) continue;
    if (e.is_app()) {
      for (unsigned i = 0; i < e.num_args(); ++i) todo.push_back(e.arg(i));
    }
  }
  return seen.size();
}

z3::expr ItemEncoder::ExactStatus(size_t rule) {
  auto& slot = rules_[rule];
  if (!slot) {
    Env env;
    slot = std::make_unique<Sym>(Eval(item_.decl->rules[rule].cond, env));
  }
  return z3::ite(slot->known, z3::ite(slot->v, ctx_.int_val(0), ctx_.int_val(1)), ctx_.int_val(2));
}

z3::expr ItemEncoder::Decision() {
  z3::expr decision = ctx_.int_val(static_cast<int>(dsl::Outcome::kApprove));
  for (size_t i = 0; i < item_.decl->rules.size(); ++i) {
    const dsl::RuleDecl& rule = item_.decl->rules[i];
    z3::expr status = RuleStatus(i);
    int on_fail = static_cast<int>(rule.outcome);
    int on_unknown = static_cast<int>(rule.on_missing ? *rule.on_missing : dsl::Outcome::kReview);
    z3::expr outcome =
        z3::ite(status == 0, ctx_.int_val(0), z3::ite(status == 1, ctx_.int_val(on_fail), ctx_.int_val(on_unknown)));
    decision = z3::ite(outcome > decision, outcome, decision);
  }
  return decision;
}

Sym ItemEncoder::Property(const Expr* cond) {
  Env env;
  return Eval(cond, env);
}

Sym ItemEncoder::Let(size_t index) {
  auto& slot = lets_[index];
  if (!slot) {
    Env env;
    slot = std::make_unique<Sym>(Eval(item_.decl->lets[index].value, env));
  }
  return *slot;
}

Sym ItemEncoder::Output(size_t index) {
  auto& slot = outputs_[index];
  if (!slot) {
    Env env;
    slot = std::make_unique<Sym>(Eval(item_.decl->outputs[index].value, env));
  }
  return *slot;
}

Sym ItemEncoder::Eval(const Expr* e, Env& env) {
  if (++steps_ > kMaxSteps) throw NotEncoded("the item is too large to encode (def calls expand to over 2M steps)");
  return EvalKind(e, env);
}

Sym ItemEncoder::FieldOf(const Sym& record, const Type* type, uint32_t field) {
  if (!record.parts || field >= record.parts->size()) throw NotEncoded("a field of " + dsl::TypeName(type));
  const Sym& f = (*record.parts)[field];
  Sym s = f;
  s.known = record.known && f.known;
  s.absent = z3::ite(record.known, f.absent, record.absent);
  return s;
}

Sym ItemEncoder::Column(const Sym& row, uint32_t table, uint32_t column) {
  const engine::CompiledTable& t = pack_.tables[table];
  // The row's key picks the cells: a chain over the table's rows, from the
  // last, ending in "no such row" (which `row.known` already excludes).
  const engine::Value* sample = nullptr;
  for (size_t r = 0; r < t.rows() && sample == nullptr; ++r) {
    if (t.cells[r * t.width + column].known()) sample = &t.cells[r * t.width + column];
  }
  Sym cell(ctx_);
  cell.known = ctx_.bool_val(false);
  if (sample == nullptr) return Strict({&row}, ctx_.bool_val(false), ctx_.bool_val(false));  // every cell empty
  // A number column may hold cells read as ints: all become numbers.
  const Type* as = sample->kind == engine::ValueKind::kNumber ? program_.types->Number() : nullptr;
  for (size_t r = 0; r < t.rows() && as == nullptr; ++r) {
    if (t.cells[r * t.width + column].kind == engine::ValueKind::kNumber) as = program_.types->Number();
  }
  Sym filler = Constant(*sample, as);
  cell.v = filler.v;
  cell.v2 = filler.v2;
  for (size_t r = t.rows(); r-- > 0;) {
    const engine::Value* cells = t.cells.data() + r * t.width;
    Sym value = filler;
    if (cells[column].known()) {
      value = Constant(cells[column], as);
    } else {
      value.known = ctx_.bool_val(false);
    }
    cell = Ite(row.v == Constant(cells[t.key_column], nullptr).v, value, cell);
  }
  Sym s(ctx_);
  s.known = row.known && cell.known;
  s.absent = z3::ite(row.known, ctx_.bool_val(false), row.absent);  // an empty cell is not absence
  s.v = cell.v;
  s.v2 = cell.v2;
  return s;
}

Sym ItemEncoder::EvalKind(const Expr* e, Env& env) {
  switch (e->kind) {
    case ExprKind::kLiteral: return Literal(e->lit);
    case ExprKind::kToday: return DateSym(*today_civil_);
    case ExprKind::kList: {
      Sym s(ctx_);
      s.parts = std::make_shared<std::vector<Sym>>();
      for (const Expr* a : e->args) s.parts->push_back(Coerce(Eval(a, env), a->type, e->type->elem));
      s.len = ctx_.int_val(static_cast<int64_t>(e->args.size()));
      return s;
    }
    case ExprKind::kName: return Name(e, env);
    case ExprKind::kField: {
      Sym base = Eval(e->args[0], env);
      if (e->ref.kind == RefKind::kColumn) return Column(base, e->args[0]->type->table, e->ref.index);
      return FieldOf(base, e->args[0]->type, e->ref.index);
    }
    case ExprKind::kIndex: return Index(e, env);
    case ExprKind::kCall: return Call(e, env);
    case ExprKind::kUnary: {
      Sym a = Eval(e->args[0], env);
      if (e->op == Op::kNot) {
        Sym s = a;
        s.v = !a.v;
        return s;
      }
      switch (e->args[0]->type->kind) {
        case TypeKind::kInt: return Strict({&a}, a.v != ctx_.int_val(kInt64Min), -a.v);
        case TypeKind::kNumber: return Strict({&a}, ctx_.bool_val(true), -a.v);
        default: return Strict({&a}, ctx_.bool_val(true), -a.v, -a.v2);
      }
    }
    case ExprKind::kBinary: return Binary(e, env);
    case ExprKind::kIf: {
      Sym c = Eval(e->args[0], env);
      Sym a = Coerce(Eval(e->args[1], env), e->args[1]->type, e->type);
      Sym b = Coerce(Eval(e->args[2], env), e->args[2]->type, e->type);
      Sym chosen = Ite(c.v, a, b);
      Sym s = chosen;
      s.known = c.known && chosen.known;
      s.absent = z3::ite(c.known, chosen.absent, c.absent);
      return s;
    }
    case ExprKind::kQuantifier:
    case ExprKind::kAggregate: return Loop(e, env);
  }
  throw NotEncoded("an expression");
}

Sym ItemEncoder::Name(const Expr* e, Env& env) {
  switch (e->ref.kind) {
    case RefKind::kInput: return FieldOf(*input_, item_.input, e->ref.index);
    case RefKind::kLet: return Let(e->ref.index);
    case RefKind::kParam: return (*env.params)[e->ref.index];
    case RefKind::kBinder: return env.binders.at(e->ref.binder);
    case RefKind::kOutput: return Output(e->ref.index);
    case RefKind::kContext: return *context_;
    case RefKind::kSubject:
      return FieldOf(*context_, program_.context_type, program_.context_type->FieldIndex("subject"));
    case RefKind::kLicence: return Licence(e->ref.index);
    case RefKind::kVerdict: return Known(Decision());
    case RefKind::kVerdictConst:
    case RefKind::kStatusConst: return Known(ctx_.int_val(static_cast<int>(e->ref.index)));
    default: throw NotEncoded("the name '" + e->name + "'");
  }
}

Sym ItemEncoder::Index(const Expr* e, Env& env) {
  Sym key = Eval(e->args[1], env);
  if (e->ref.kind == RefKind::kTableRow) {
    const engine::CompiledTable& t = pack_.tables[e->ref.index];
    std::vector<z3::expr> is_key;
    for (size_t r = 0; r < t.rows(); ++r) {
      is_key.push_back(key.v == Constant(t.cells[r * t.width + t.key_column], e->args[1]->type).v);
    }
    Sym row = Strict({&key}, AnyOf(ctx_, is_key), key.v);
    row.table = static_cast<int>(e->ref.index);
    return row;
  }
  Sym list = Eval(e->args[0], env);
  if (!list.parts) throw NotEncoded("an index into a list");
  Sym chosen(ctx_);
  chosen.known = ctx_.bool_val(false);
  for (size_t i = list.parts->size(); i-- > 0;) {
    const Sym& elem = (*list.parts)[i];
    if (i + 1 == list.parts->size()) {
      chosen = elem;
      chosen.known = elem.known && key.v == static_cast<int>(i);
      continue;
    }
    chosen = Ite(key.v == static_cast<int>(i), elem, chosen);
  }
  z3::expr in_range = key.v >= 0 && key.v < list.len;
  Sym s = chosen;
  s.known = list.known && key.known && in_range && chosen.known;
  // No such element is a note; an unknown element keeps its own cause.
  s.absent = z3::ite(list.known && key.known, z3::ite(in_range, chosen.absent, ctx_.bool_val(false)),
                     Strict({&list, &key}, ctx_.bool_val(true), ctx_.bool_val(true)).absent);
  return s;
}

Sym ItemEncoder::Licence(size_t index) {
  auto& slot = licences_[index];
  if (slot) return *slot;
  const dsl::LicenceUseDecl& use = item_.decl->licences[index];
  const dsl::LicenceType& type = program_.licence_types[use.licence];
  Sym subject = FieldOf(*context_, program_.context_type, program_.context_type->FieldIndex("subject"));
  Sym kind = FieldOf(subject, program_.subject_type, program_.subject_type->FieldIndex("kind"));
  Sym id = FieldOf(subject, program_.subject_type, program_.subject_type->FieldIndex("id"));
  Sym key = id;
  if (use.key != nullptr) {
    Env env;
    key = Eval(use.key, env);
  }
  std::string name = "licence." + use.name;
  z3::expr problem = ctx_.int_const((name + "?problem").c_str());
  domain_.push_back(problem >= 0 && problem <= kProblemCount);
  // The record the library gives when one is in force: any licence the
  // subject may use, found by its key, readable and in force today.
  Sym record = MakeInput(type.record, name, true);
  const Type* rt = type.record;
  auto field = [&](const Sym& r, const Type* t, const char* f) { return FieldOf(r, t, t->FieldIndex(f)); };
  Sym l_type = field(record, rt, "type"), number = field(record, rt, "number"), holder = field(record, rt, "holder");
  Sym status = field(record, rt, "status"), issued = field(record, rt, "issued"),
      expires = field(record, rt, "expires");
  Sym related = field(record, rt, "related");
  const Type* holder_type = rt->fields[rt->FieldIndex("holder")].type;
  Sym holder_kind = field(holder, holder_type, "kind"), holder_id = field(holder, holder_type, "id");
  const Type* party_type = rt->fields[rt->FieldIndex("related")].type->elem;
  std::vector<z3::expr> related_subject, related_ok;
  auto filled = [&](const Sym& s) { return s.known && s.v.length() > 0; };
  for (size_t i = 0; i < related.parts->size(); ++i) {
    Sym party = (*related.parts)[i];
    Sym party_id = field(party, party_type, "id");
    z3::expr present = ctx_.int_val(static_cast<int>(i)) < related.len;
    related_subject.push_back(related.known && present && party.known && party_id.known && party_id.v == id.v);
    // What the library accepts (CheckLicenceJson): each party has an id and a relation.
    related_ok.push_back(!present || (party.known && filled(party_id) && filled(field(party, party_type, "relation"))));
  }
  Sym fields = field(record, rt, "fields");
  Sym today = DateSym(*today_civil_);
  const Type* date = program_.types->Date();
  z3::expr ok(ctx_);
  std::vector<z3::expr> in_force = {
      l_type.known && l_type.v == StringConst(type.decl->type),
      filled(number),
      holder.known && holder_kind.known && filled(holder_id) && holder_kind.v == kind.v,
      holder_kind.v == StringConst("natural_person") || holder_kind.v == StringConst("legal_person"),
      (related.known && All(ctx_, related_ok)) || (!related.known && related.absent),
      fields.known || fields.absent,
      holder_id.v == id.v || AnyOf(ctx_, related_subject),
      holder_id.v == key.v || number.v == key.v,
      status.known && status.v == StringConst("valid"),
      (issued.known && Compare(Op::kLe, date, issued, date, today, &ok)) || (!issued.known && issued.absent),
      (expires.known && Compare(Op::kGe, date, expires, date, today, &ok)) || (!expires.known && expires.absent),
  };
  domain_.push_back(z3::implies(problem == 0, All(ctx_, in_force)));
  Sym s = record;
  z3::expr inputs_known = kind.known && id.known && key.known;
  s.known = inputs_known && problem == 0;
  s.absent = z3::ite(kind.known && id.known, z3::ite(key.known, ctx_.bool_val(false), key.absent),
                     Strict({&kind, &id}, ctx_.bool_val(true), ctx_.bool_val(true)).absent);
  s.licence = static_cast<int>(index);
  s.problem = z3::ite(inputs_known, problem, ctx_.int_val(-1));
  licence_keys_[index] = std::make_unique<Sym>(key);
  slot = std::make_unique<Sym>(s);
  return s;
}

Sym ItemEncoder::Call(const Expr* e, Env& env) {
  std::vector<Sym> args;
  if (e->ref.kind == RefKind::kRuleStatus) {
    return Known(RuleStatus(e->ref.index));
  }
  for (const Expr* a : e->args) args.push_back(Eval(a, env));
  if (e->ref.kind == RefKind::kDef) {
    const std::vector<const Type*>& params = program_.def_params[e->ref.index];
    for (size_t i = 0; i < args.size() && i < params.size(); ++i)
      args[i] = Coerce(args[i], e->args[i]->type, params[i]);
    Env def_env;
    def_env.params = &args;
    return Eval(program_.defs[e->ref.index]->body, def_env);
  }
  if (e->ref.kind == RefKind::kDecision) {
    const std::vector<const Type*>& params = program_.decision_params[e->ref.index];
    for (size_t i = 0; i < args.size() && i < params.size(); ++i)
      args[i] = Coerce(args[i], e->args[i]->type, params[i]);
    return DecisionTable(e->ref.index, args);
  }
  return Builtin(e, args);
}

Sym ItemEncoder::Builtin(const Expr* e, std::vector<Sym>& args) {
  using dsl::Builtin;
  auto b = static_cast<Builtin>(e->ref.index);
  const Type* t0 = e->args.empty() ? nullptr : e->args[0]->type;
  auto strict = [&](z3::expr ok, z3::expr v) {
    std::vector<const Sym*> ops;
    for (const Sym& a : args) ops.push_back(&a);
    return Strict(ops, ok, v);
  };
  auto uninterpreted = [&](const std::string& name, const z3::sort& result) {
    approximations_.insert(std::string(dsl::BuiltinName(b)) + "()");
    auto it = functions_.find(name);
    if (it == functions_.end()) {
      z3::sort_vector domain(ctx_);
      for (const Sym& a : args) domain.push_back(a.v.get_sort());
      it = functions_.emplace(name, ctx_.function(name.c_str(), domain, result)).first;
    }
    z3::expr_vector actual(ctx_);
    for (const Sym& a : args) actual.push_back(a.v);
    return it->second(actual);
  };
  switch (b) {
    case Builtin::kExists: return Known(args[0].known);
    case Builtin::kAbsent: {
      Sym s(ctx_);
      s.known = args[0].known || args[0].absent;
      s.v = !args[0].known;
      s.absent = args[0].absent;
      return s;
    }
    case Builtin::kLicenceStatus: {
      const Sym& l = args[0];
      if (l.licence < 0) throw NotEncoded("licence_status() of something other than a licence");
      z3::expr word = StringConst("in_force");
      for (int p = kProblemCount - 1; p >= 0; --p) {
        std::string_view w = engine::LicenceProblemWord(static_cast<LicenceProblem>(p));
        if (!w.empty()) word = z3::ite(l.problem == p + 1, StringConst(w), word);
      }
      Sym s(ctx_);
      std::vector<z3::expr> has_word = {l.problem == 0};
      for (int p = 0; p < kProblemCount; ++p) {
        if (!engine::LicenceProblemWord(static_cast<LicenceProblem>(p)).empty()) has_word.push_back(l.problem == p + 1);
      }
      s.known = AnyOf(ctx_, has_word);
      s.absent = l.absent;
      s.v = word;
      return s;
    }
    case Builtin::kLen:
      if (t0->kind == TypeKind::kList) return strict(ctx_.bool_val(true), args[0].len);
      return strict(ctx_.bool_val(true), CodePointLength(ctx_, args[0].v));
    case Builtin::kCount: return strict(ctx_.bool_val(true), args[0].len);
    case Builtin::kStartsWith: return strict(ctx_.bool_val(true), z3::prefixof(args[1].v, args[0].v));
    case Builtin::kEndsWith: return strict(ctx_.bool_val(true), z3::suffixof(args[1].v, args[0].v));
    case Builtin::kContains: return strict(ctx_.bool_val(true), args[0].v.contains(args[1].v));
    case Builtin::kYear: return strict(ctx_.bool_val(true), CivilOf(args[0]).year);
    case Builtin::kMonth: return strict(ctx_.bool_val(true), CivilOf(args[0]).month);
    case Builtin::kDay: return strict(ctx_.bool_val(true), CivilOf(args[0]).day);
    case Builtin::kAge: {
      Civil birth = CivilOf(args[0]), at = CivilOf(args[1]);
      z3::expr before = at.month < birth.month || (at.month == birth.month && at.day < birth.day);
      return strict(ctx_.bool_val(true), at.year - birth.year - z3::ite(before, ctx_.int_val(1), ctx_.int_val(0)));
    }
    case Builtin::kDaysBetween: return strict(ctx_.bool_val(true), args[1].v - args[0].v);
    case Builtin::kIdNumberValid: return strict(ctx_.bool_val(true), IdNumber(args[0].v).valid);
    case Builtin::kIdNumberBirth: {
      IdParts id = IdNumber(args[0].v);
      Sym s = strict(id.birth_ok, DaysFromCivil(id.year, id.month, id.day));
      s.civil = std::make_shared<Civil>(Civil{id.year, id.month, id.day});
      return s;
    }
    case Builtin::kUsccValid: return strict(ctx_.bool_val(true), UsccValid(args[0].v));
    case Builtin::kAbs:
      if (t0->kind == TypeKind::kInt) {
        return strict(args[0].v != ctx_.int_val(kInt64Min), z3::ite(args[0].v < 0, -args[0].v, args[0].v));
      }
      return strict(ctx_.bool_val(true), z3::ite(args[0].v < Number(0), -args[0].v, args[0].v));
    case Builtin::kTrim: {
      std::optional<z3::expr> trimmed = Trim(args[0].v);
      if (trimmed) return strict(ctx_.bool_val(true), *trimmed);
      return strict(ctx_.bool_val(true), uninterpreted("trim", ctx_.string_sort()));
    }
    case Builtin::kSubstr: {
      // By code points from max(0, start), at most max(0, count): Z3's
      // str.substr clips at the end as the engine does.
      z3::expr start = z3::ite(args[1].v < 0, ctx_.int_val(0), args[1].v);
      z3::expr count = z3::ite(args[2].v < 0, ctx_.int_val(0), args[2].v);
      return strict(ctx_.bool_val(true), args[0].v.extract(start, count));
    }
    case Builtin::kLower:
    case Builtin::kUpper:
      return strict(ctx_.bool_val(true), uninterpreted(std::string(dsl::BuiltinName(b)), ctx_.string_sort()));
    case Builtin::kMin:
    case Builtin::kMax: {
      bool want_max = b == Builtin::kMax;
      const Type* t = e->type;
      if (t->kind == TypeKind::kDuration) throw NotEncoded("min or max of durations");
      auto better = [&](const z3::expr& x, const z3::expr& than) {
        if (t->kind == TypeKind::kString) {
          return want_max ? z3::expr(ctx_, Z3_mk_str_lt(ctx_, than, x)) : z3::expr(ctx_, Z3_mk_str_lt(ctx_, x, than));
        }
        return want_max ? x > than : x < than;
      };
      if (args.size() == 1) {
        // min(L): unknown with an unknown element (their causes joined), a
        // note for an empty list, else the least element.
        const Sym& list = args[0];
        if (!list.parts || list.parts->empty()) throw NotEncoded("min or max of this list");
        std::vector<z3::expr> unknown, unknown_absent;
        z3::expr best = (*list.parts)[0].v;
        for (size_t i = 0; i < list.parts->size(); ++i) {
          const Sym& x = (*list.parts)[i];
          z3::expr active = ctx_.int_val(static_cast<int>(i)) < list.len;
          unknown.push_back(active && !x.known);
          unknown_absent.push_back(!active || x.known || x.absent);
          if (i > 0) best = z3::ite(active && better(x.v, best), x.v, best);
        }
        z3::expr any_unknown = AnyOf(ctx_, unknown);
        Sym s(ctx_);
        s.known = list.known && !any_unknown && list.len > 0;
        s.absent = z3::ite(list.known, any_unknown && All(ctx_, unknown_absent), list.absent);
        s.v = best;
        return s;
      }
      Sym best = args[0];
      z3::expr v = t->kind == TypeKind::kNumber ? ToNumber(args[0], e->args[0]->type) : args[0].v;
      for (size_t i = 1; i < args.size(); ++i) {
        z3::expr x = t->kind == TypeKind::kNumber ? ToNumber(args[i], e->args[i]->type) : args[i].v;
        v = z3::ite(better(x, v), x, v);
      }
      return strict(ctx_.bool_val(true), v);
    }
  }
  throw NotEncoded("the built-in " + std::string(dsl::BuiltinName(b)));
}

z3::expr ItemEncoder::ScalarEq(const Sym& a, const Type* ta, const Sym& b, const Type* tb) {
  if (ta->kind == TypeKind::kNumber || tb->kind == TypeKind::kNumber) return FpEq(ToNumber(a, ta), ToNumber(b, tb));
  if (ta->kind == TypeKind::kDuration) return a.v == b.v && a.v2 == b.v2;
  if (ta->kind == TypeKind::kDate && a.civil && b.civil) {
    return a.civil->year == b.civil->year && a.civil->month == b.civil->month && a.civil->day == b.civil->day;
  }
  return a.v == b.v;
}

z3::expr ItemEncoder::Compare(Op op, const Type* ta, const Sym& a, const Type* tb, const Sym& b, z3::expr* ok) {
  *ok = ctx_.bool_val(true);
  bool numeric = ta->kind == TypeKind::kNumber || tb->kind == TypeKind::kNumber;
  z3::expr x = numeric ? ToNumber(a, ta) : a.v, y = numeric ? ToNumber(b, tb) : b.v;
  if (ta->kind == TypeKind::kDuration) {
    if (op == Op::kEq) return a.v == b.v && a.v2 == b.v2;
    if (op == Op::kNe) return !(a.v == b.v && a.v2 == b.v2);
    z3::expr months_only = a.v2 == 0 && b.v2 == 0, days_only = a.v == 0 && b.v == 0;
    *ok = months_only || days_only;
    x = z3::ite(months_only, a.v, a.v2);
    y = z3::ite(months_only, b.v, b.v2);
  }
  if (ta->kind == TypeKind::kDate && a.civil && b.civil) {
    // Lexicographic on (year, month, day): the order of the days, without
    // the divisions of days_from_civil.
    const Civil &p = *a.civil, &q = *b.civil;
    z3::expr eq = p.year == q.year && p.month == q.month && p.day == q.day;
    z3::expr lt = p.year < q.year || (p.year == q.year && (p.month < q.month || (p.month == q.month && p.day < q.day)));
    switch (op) {
      case Op::kEq: return eq;
      case Op::kNe: return !eq;
      case Op::kLt: return lt;
      case Op::kLe: return lt || eq;
      case Op::kGt: return !(lt || eq);
      default: return !lt;
    }
  }
  if (ta->kind == TypeKind::kBool) {
    x = z3::ite(a.v, ctx_.int_val(1), ctx_.int_val(0));
    y = z3::ite(b.v, ctx_.int_val(1), ctx_.int_val(0));
  }
  if (ta->kind == TypeKind::kString) {
    z3::expr lt(ctx_, Z3_mk_str_lt(ctx_, x, y)), gt(ctx_, Z3_mk_str_lt(ctx_, y, x));
    switch (op) {
      case Op::kEq: return x == y;
      case Op::kNe: return x != y;
      case Op::kLt: return lt;
      case Op::kLe: return !gt;
      case Op::kGt: return gt;
      default: return !lt;
    }
  }
  if (numeric) {
    // x == x is true for every number the encoding holds (no NaN).
    if (x.id() == y.id() && (op == Op::kEq || op == Op::kNe)) return ctx_.bool_val(op == Op::kEq);
    switch (op) {
      case Op::kEq: return FpEq(x, y);
      case Op::kNe: return !FpEq(x, y);
      default: break;
    }
  }
  switch (op) {
    case Op::kEq: return x == y;
    case Op::kNe: return x != y;
    case Op::kLt: return x < y;
    case Op::kLe: return x <= y;
    case Op::kGt: return x > y;
    default: return x >= y;
  }
}

Sym ItemEncoder::Binary(const Expr* e, Env& env) {
  const Expr *lhs = e->args[0], *rhs = e->args[1];
  Sym a = Eval(lhs, env);
  switch (e->op) {
    case Op::kIn:
    case Op::kNotIn: {
      Sym in(ctx_);
      if (rhs->type->kind == TypeKind::kTable) {
        const engine::CompiledTable& t = pack_.tables[rhs->ref.index];
        std::vector<z3::expr> is_key;
        for (size_t r = 0; r < t.rows(); ++r) {
          is_key.push_back(a.v == Constant(t.cells[r * t.width + t.key_column], lhs->type).v);
        }
        in = Strict({&a}, ctx_.bool_val(true), AnyOf(ctx_, is_key));
      } else {
        Sym list = Eval(rhs, env);
        const Type* elem = rhs->type->elem;
        std::vector<z3::expr> equal, unknown;
        for (size_t i = 0; i < list.parts->size(); ++i) {
          const Sym& x = (*list.parts)[i];
          z3::expr present = ctx_.int_val(static_cast<int>(i)) < list.len;
          equal.push_back(present && x.known && ScalarEq(a, lhs->type, x, elem));
          unknown.push_back(present && !x.known);
        }
        z3::expr found = AnyOf(ctx_, equal), any_unknown = AnyOf(ctx_, unknown);
        std::vector<z3::expr> unknown_absent;
        for (size_t i = 0; i < list.parts->size(); ++i) {
          const Sym& x = (*list.parts)[i];
          unknown_absent.push_back(!(ctx_.int_val(static_cast<int>(i)) < list.len) || x.known || x.absent);
        }
        Sym operands = Strict({&a, &list}, ctx_.bool_val(true), ctx_.bool_val(true));
        in.known = operands.known && (found || !any_unknown);
        in.absent = z3::ite(operands.known, All(ctx_, unknown_absent), operands.absent);
        in.v = found;
      }
      if (e->op == Op::kNotIn) in.v = !in.v;
      return in;
    }
    case Op::kMatches: {
      RegexResult re = TranslateRegex(ctx_, rhs->lit.s);
      if (re.language) return Strict({&a}, ctx_.bool_val(true), z3::in_re(a.v, *re.language));
      approximations_.insert("matches \"" + rhs->lit.s + "\" (" + re.why_not + ")");
      std::string name = "matches " + rhs->lit.s;
      auto it = functions_.find(name);
      if (it == functions_.end()) {
        it = functions_.emplace(name, ctx_.function(name.c_str(), ctx_.string_sort(), ctx_.bool_sort())).first;
      }
      return Strict({&a}, ctx_.bool_val(true), it->second(a.v));
    }
    default: break;
  }
  Sym b = Eval(rhs, env);
  switch (e->op) {
    case Op::kAnd:
    case Op::kOr:
    case Op::kImplies: {
      z3::expr av = e->op == Op::kImplies ? !a.v : a.v;
      bool is_and = e->op == Op::kAnd;
      // false wins in `and`, true in `or`.
      z3::expr decided = is_and ? (a.known && !av) || (b.known && !b.v) : (a.known && av) || (b.known && b.v);
      Sym s = Strict({&a, &b}, ctx_.bool_val(true), is_and ? av && b.v : av || b.v);
      s.known = decided || (a.known && b.known);
      s.v = is_and ? !decided : decided;
      return s;
    }
    case Op::kCoalesce: return Ite(a.known, Coerce(a, lhs->type, e->type), Coerce(b, rhs->type, e->type));
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kMod: {
      const Type *ta = lhs->type, *tb = rhs->type;
      engine::ArithClass cls = engine::ClassifyArith(ta, tb);
      bool add = e->op == Op::kAdd, sub = e->op == Op::kSub;
      switch (cls) {
        case engine::ArithClass::kString: return Strict({&a, &b}, ctx_.bool_val(true), z3::concat(a.v, b.v));
        case engine::ArithClass::kInt: {
          if (e->op == Op::kDiv) {
            z3::expr rm(ctx_, Z3_mk_fpa_rne(ctx_));
            z3::expr q(ctx_, Z3_mk_fpa_div(ctx_, rm, ToNumber(a, ta), ToNumber(b, tb)));
            return Strict({&a, &b}, b.v != 0 && Finite(q), q);
          }
          if (e->op == Op::kMod) {
            z3::expr m = z3::ite(b.v < 0, -b.v, b.v);
            z3::expr r = z3::ite(a.v >= 0, z3::mod(a.v, m), -z3::mod(-a.v, m));
            return Strict({&a, &b}, b.v != 0, z3::ite(b.v == -1, ctx_.int_val(0), r));
          }
          z3::expr r = add ? a.v + b.v : sub ? a.v - b.v : a.v * b.v;
          return Strict({&a, &b}, r >= ctx_.int_val(kInt64Min) && r <= ctx_.int_val(kInt64Max), r);
        }
        case engine::ArithClass::kNumber: {
          if (e->op == Op::kMod) throw NotEncoded("% on numbers");
          z3::expr x = ToNumber(a, ta), y = ToNumber(b, tb);
          z3::expr rm(ctx_, Z3_mk_fpa_rne(ctx_));
          z3::expr r = add                 ? z3::expr(ctx_, Z3_mk_fpa_add(ctx_, rm, x, y))
                       : sub               ? z3::expr(ctx_, Z3_mk_fpa_sub(ctx_, rm, x, y))
                       : e->op == Op::kMul ? z3::expr(ctx_, Z3_mk_fpa_mul(ctx_, rm, x, y))
                                           : z3::expr(ctx_, Z3_mk_fpa_div(ctx_, rm, x, y));
          z3::expr ok = Finite(r);
          if (e->op == Op::kDiv) ok = ok && !z3::expr(ctx_, Z3_mk_fpa_is_zero(ctx_, y));
          return Strict({&a, &b}, ok, r);
        }
        case engine::ArithClass::kDateDuration:
        case engine::ArithClass::kDurationDate: {
          const Sym& date = cls == engine::ArithClass::kDateDuration ? a : b;
          const Sym& duration = cls == engine::ArithClass::kDateDuration ? b : a;
          int sign = sub ? -1 : 1;
          z3::expr months_ok(ctx_);
          Civil moved = AddMonths(date, (duration.v * sign).simplify(), &months_ok);
          int64_t days = 0;
          if (duration.v2.is_numeral_i64(days) && days == 0) {
            Sym s = Strict({&a, &b}, months_ok, DaysFromCivil(moved.year, moved.month, moved.day));
            s.civil = std::make_shared<Civil>(moved);
            return s;
          }
          z3::expr r = DaysFromCivil(moved.year, moved.month, moved.day) + duration.v2 * sign;
          return Strict({&a, &b}, months_ok && DateInRange(r), r);
        }
        case engine::ArithClass::kDuration: {
          int sign = sub ? -1 : 1;
          z3::expr m = a.v + b.v * sign, d = a.v2 + b.v2 * sign;
          auto fits = [&](const z3::expr& x) { return x >= ctx_.int_val(INT32_MIN) && x <= ctx_.int_val(INT32_MAX); };
          return Strict({&a, &b}, fits(m) && fits(d), m, d);
        }
      }
      break;
    }
    default: {
      z3::expr ok(ctx_);
      z3::expr r = Compare(e->op, lhs->type, a, rhs->type, b, &ok);
      return Strict({&a, &b}, ok, r);
    }
  }
  throw NotEncoded(std::string("the operator ") + dsl::OpText(e->op));
}

Sym ItemEncoder::Loop(const Expr* e, Env& env) {
  Sym list = Eval(e->args[0], env);
  if (!list.parts) throw NotEncoded("a loop over a list the encoding does not hold element by element");
  std::vector<Sym> bodies;
  std::vector<z3::expr> active;
  for (size_t i = 0; i < list.parts->size(); ++i) {
    env.binders.insert_or_assign(e, (*list.parts)[i]);
    bodies.push_back(Eval(e->args[1], env));
    active.push_back(ctx_.int_val(static_cast<int>(i)) < list.len);
  }
  env.binders.erase(e);
  std::vector<z3::expr> unknown, unknown_absent;
  for (size_t i = 0; i < bodies.size(); ++i) {
    unknown.push_back(active[i] && !bodies[i].known);
    unknown_absent.push_back(!active[i] || bodies[i].known || bodies[i].absent);
  }
  z3::expr any_unknown = AnyOf(ctx_, unknown);
  auto result = [&](z3::expr known, z3::expr v, z3::expr note) {
    Sym s(ctx_);
    s.known = list.known && known;
    s.absent = z3::ite(list.known, !note && All(ctx_, unknown_absent), list.absent);
    s.v = v;
    return s;
  };
  const Type* body_type = e->args[1]->type;
  switch (e->op) {
    case Op::kAll:
    case Op::kAny: {
      bool all = e->op == Op::kAll;
      std::vector<z3::expr> deciding;
      for (size_t i = 0; i < bodies.size(); ++i) {
        deciding.push_back(active[i] && bodies[i].known && (all ? !bodies[i].v : bodies[i].v));
      }
      z3::expr decided = AnyOf(ctx_, deciding);
      return result(decided || !any_unknown, all ? !decided : decided, ctx_.bool_val(false));
    }
    case Op::kCount: {
      z3::expr count = ctx_.int_val(0);
      for (size_t i = 0; i < bodies.size(); ++i) {
        count = count + z3::ite(active[i] && bodies[i].known && bodies[i].v, ctx_.int_val(1), ctx_.int_val(0));
      }
      return result(!any_unknown, count, ctx_.bool_val(false));
    }
    case Op::kSum: {
      if (body_type->kind == TypeKind::kInt) {
        z3::expr sum = ctx_.int_val(0);
        std::vector<z3::expr> overflow;
        for (size_t i = 0; i < bodies.size(); ++i) {
          sum = z3::ite(active[i] && bodies[i].known, sum + bodies[i].v, sum);
          overflow.push_back(sum < ctx_.int_val(kInt64Min) || sum > ctx_.int_val(kInt64Max));
        }
        z3::expr over = AnyOf(ctx_, overflow);
        return result(!any_unknown && !over, sum, over);
      }
      if (body_type->kind != TypeKind::kNumber) throw NotEncoded("sum of " + dsl::TypeName(body_type));
      z3::expr rm(ctx_, Z3_mk_fpa_rne(ctx_));
      z3::expr sum = Number(0);
      z3::expr has = ctx_.bool_val(false);
      for (size_t i = 0; i < bodies.size(); ++i) {
        z3::expr take = active[i] && bodies[i].known;
        sum = z3::ite(take, z3::ite(has, z3::expr(ctx_, Z3_mk_fpa_add(ctx_, rm, sum, bodies[i].v)), bodies[i].v), sum);
        has = has || take;
      }
      z3::expr bad = !Finite(sum);
      return result(!any_unknown && !bad, sum, bad);
    }
    case Op::kMin:
    case Op::kMax: {
      if (body_type->kind == TypeKind::kDuration) throw NotEncoded("min or max of durations");
      bool want_max = e->op == Op::kMax;
      z3::expr best = bodies.empty() ? ctx_.int_val(0) : bodies[0].v;
      z3::expr has = ctx_.bool_val(false);
      for (size_t i = 0; i < bodies.size(); ++i) {
        z3::expr x = bodies[i].v;
        z3::expr better =
            body_type->kind == TypeKind::kString
                ? (want_max ? z3::expr(ctx_, Z3_mk_str_lt(ctx_, best, x)) : z3::expr(ctx_, Z3_mk_str_lt(ctx_, x, best)))
                : (want_max ? x > best : x < best);
        z3::expr take = active[i] && bodies[i].known;
        best = z3::ite(take && (!has || better), x, best);
        has = has || take;
      }
      return result(!any_unknown && has, best, !any_unknown && !has);
    }
    default: break;
  }
  throw NotEncoded("the loop " + std::string(dsl::OpText(e->op)));
}

// One cell against its argument (known): the kernel's Order over constants.
z3::expr ItemEncoder::CellMatches(const engine::CompiledCell& cell, const Sym& x, const Type* t) {
  using K = dsl::CellDecl::Kind;
  switch (cell.kind) {
    case K::kAny: return ctx_.bool_val(true);
    case K::kNot: return !CellMatches(*cell.inner, x, t);
    case K::kEquals: {
      std::vector<z3::expr> any;
      for (const engine::Value& v : cell.values) {
        Sym c = Constant(v, t->kind == TypeKind::kNumber ? t : nullptr);
        const Type* ct = v.kind == engine::ValueKind::kNumber ? program_.types->Number() : t;
        any.push_back(ScalarEq(x, t, c, ct));
      }
      return AnyOf(ctx_, any);
    }
    case K::kCompare:
    case K::kRange: {
      auto order = [&](dsl::Op op, const engine::Value& v) {
        Sym c = Constant(v, nullptr);
        const Type* ct = v.kind == engine::ValueKind::kNumber ? program_.types->Number()
                         : v.kind == engine::ValueKind::kInt  ? program_.types->Int()
                                                              : t;
        z3::expr ok(ctx_);
        return Compare(op, t, x, ct, c, &ok) && ok;
      };
      if (cell.kind == K::kCompare) return order(cell.op, cell.values[0]);
      return order(cell.lo_open ? Op::kGt : Op::kGe, cell.lo) && order(cell.hi_open ? Op::kLt : Op::kLe, cell.hi);
    }
  }
  return ctx_.bool_val(false);
}

std::vector<z3::expr> ItemEncoder::RowsChosen(uint32_t index) {
  const engine::CompiledDecision& d = pack_.decisions[index];
  const dsl::DecisionDecl& decl = *program_.decisions[index];
  const std::vector<const Type*>& params = program_.decision_params[index];
  std::vector<Sym> args;
  for (size_t i = 0; i < params.size(); ++i) {
    if (!params[i]->IsScalar()) throw NotEncoded("a decision table over " + dsl::TypeName(params[i]));
    args.push_back(MakeInput(params[i], "decision." + decl.name + "." + decl.params[i].name, true));
  }
  std::vector<z3::expr> chosen, earlier;
  for (size_t r = 0; r < d.rows(); ++r) {
    std::vector<z3::expr> cells;
    for (size_t c = 0; c < d.column_param.size(); ++c) {
      cells.push_back(CellMatches(d.cells[r][c], args[d.column_param[c]], params[d.column_param[c]]));
    }
    z3::expr yes = All(ctx_, cells);
    // `hit first` takes the first row that matches; the others every row.
    chosen.push_back(d.hit == dsl::HitPolicy::kFirst ? yes && !AnyOf(ctx_, earlier) : yes);
    earlier.push_back(yes);
  }
  return chosen;
}

Sym ItemEncoder::DecisionTable(uint32_t index, std::vector<Sym>& args) {
  const engine::CompiledDecision& d = pack_.decisions[index];
  const dsl::DecisionDecl& decl = *program_.decisions[index];
  const std::vector<const Type*>& params = program_.decision_params[index];
  if (d.hit == dsl::HitPolicy::kCollect) throw NotEncoded("decision tables with hit collect");
  struct RowMatch {
    z3::expr no, yes, absent;
  };
  std::vector<RowMatch> rows;
  std::vector<Sym> outputs;
  for (size_t r = 0; r < d.rows(); ++r) {
    std::vector<z3::expr> fails, unknown, absent;
    for (size_t c = 0; c < d.column_param.size(); ++c) {
      const engine::CompiledCell& cell = d.cells[r][c];
      if (cell.kind == dsl::CellDecl::Kind::kAny) continue;
      const Sym& x = args[d.column_param[c]];
      fails.push_back(x.known && !CellMatches(cell, x, params[d.column_param[c]]));
      unknown.push_back(!x.known);
      absent.push_back(x.known || x.absent);
    }
    z3::expr no = AnyOf(ctx_, fails);
    rows.push_back({no, !no && !AnyOf(ctx_, unknown), All(ctx_, absent)});
    Env row_env;
    row_env.params = &args;
    outputs.push_back(
        Coerce(Eval(decl.rows[r].output, row_env), decl.rows[r].output->type, program_.decision_results[index]));
  }
  Sym none(ctx_);  // no row matches: a note
  none.known = ctx_.bool_val(false);
  if (!outputs.empty()) {
    none.v = outputs[0].v;
    none.v2 = outputs[0].v2;
  }
  if (d.hit == dsl::HitPolicy::kFirst) {
    Sym r = none;
    for (size_t k = rows.size(); k-- > 0;) {
      Sym unknown_row(ctx_);
      unknown_row.known = ctx_.bool_val(false);
      unknown_row.absent = rows[k].absent;
      unknown_row.v = outputs[k].v;
      unknown_row.v2 = outputs[k].v2;
      r = Ite(rows[k].no, r, Ite(rows[k].yes, outputs[k], unknown_row));
    }
    return r;
  }
  // unique / any: every row is looked at.
  std::vector<z3::expr> unknown_rows, absent_rows;
  z3::expr hits = ctx_.int_val(0);
  for (const RowMatch& m : rows) {
    unknown_rows.push_back(!m.no && !m.yes);
    absent_rows.push_back(m.no || m.yes || m.absent);
    hits = hits + z3::ite(m.yes, ctx_.int_val(1), ctx_.int_val(0));
  }
  z3::expr any_unknown = AnyOf(ctx_, unknown_rows);
  Sym first = none;
  for (size_t k = rows.size(); k-- > 0;) first = Ite(rows[k].yes, outputs[k], first);
  z3::expr agree = ctx_.bool_val(true);
  if (d.hit == dsl::HitPolicy::kUnique) {
    agree = hits == 1;
  } else {
    const Type* result_type = program_.decision_results[index];
    for (size_t k = 0; k < rows.size(); ++k) {
      agree = agree && z3::implies(rows[k].yes, outputs[k].known && first.known &&
                                                    ScalarEq(outputs[k], result_type, first, result_type));
    }
  }
  Sym s = first;
  s.known = !any_unknown && hits >= 1 && agree && first.known;
  s.absent = z3::ite(any_unknown, All(ctx_, absent_rows), hits >= 1 && agree && first.absent);
  return s;
}

// ---------------------------------------------------------------- witnesses

bool ItemEncoder::ReadKnown(const z3::model& m, const Sym& s) { return IsTrue(m, s.known); }

void ItemEncoder::WriteJson(const z3::model& m, const Sym& s, const Type* type, std::string* out) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  switch (type->kind) {
    case TypeKind::kBool: w.Bool(IsTrue(m, s.v)); break;
    case TypeKind::kInt: w.Int64(IntOf(m, s.v)); break;
    case TypeKind::kNumber: {
      z3::expr bits = m.eval(z3::expr(ctx_, Z3_mk_fpa_to_ieee_bv(ctx_, s.v)), true);
      uint64_t raw = 0;
      bits.is_numeral_u64(raw);
      double d;
      std::memcpy(&d, &raw, sizeof d);
      w.Double(d);
      break;
    }
    case TypeKind::kString: {
      std::optional<std::string> text = StringFromModel(m.eval(s.v, true));
      std::string t = text.value_or("");
      w.String(t.c_str(), static_cast<rapidjson::SizeType>(t.size()));
      break;
    }
    case TypeKind::kDate: {
      std::string t = dsl::FormatIsoDate(static_cast<int32_t>(IntOf(m, s.v)));
      w.String(t.c_str());
      break;
    }
    case TypeKind::kDuration: {
      int64_t months = IntOf(m, s.v), days = IntOf(m, s.v2);
      std::string t = "P" + std::to_string(months) + "M" + std::to_string(days) + "D";
      w.String(t.c_str());
      break;
    }
    case TypeKind::kList: {
      *out += '[';
      int64_t len = IntOf(m, s.len);
      for (int64_t i = 0; i < len && i < static_cast<int64_t>(s.parts->size()); ++i) {
        if (i) *out += ',';
        const Sym& elem = (*s.parts)[i];
        if (IsTrue(m, elem.known)) {
          WriteJson(m, elem, type->elem, out);
        } else if (IsTrue(m, elem.absent)) {
          *out += "null";
        } else {
          *out += type->elem->kind == TypeKind::kString ? "0" : "\"?\"";
        }
      }
      *out += ']';
      return;
    }
    case TypeKind::kRecord: {
      *out += '{';
      bool first = true;
      for (size_t i = 0; i < type->fields.size(); ++i) {
        const Sym& f = (*s.parts)[i];
        if (!IsTrue(m, f.known) && IsTrue(m, f.absent)) continue;  // absent: left out
        if (!first) *out += ',';
        first = false;
        rapidjson::StringBuffer name;
        rapidjson::Writer<rapidjson::StringBuffer> nw(name);
        nw.String(type->fields[i].name.c_str());
        *out += name.GetString();
        *out += ':';
        if (IsTrue(m, f.known)) {
          WriteJson(m, f, type->fields[i].type, out);
        } else {
          // A value of the wrong type for the field.
          *out += type->fields[i].type->kind == TypeKind::kString ? "0" : "\"?\"";
        }
      }
      *out += '}';
      return;
    }
    default: break;
  }
  *out += buf.GetString();
}

Witness ItemEncoder::Read(const z3::model& m) {
  Witness w;
  std::string app;
  WriteJson(m, *input_, item_.input, &app);
  // The application names its item.
  std::string item_member = "\"item\":" + std::string("\"") + item_.decl->code + "\"";
  w.application = app == "{}" ? "{" + item_member + "}" : "{" + item_member + "," + app.substr(1);
  WriteJson(m, *context_, program_.context_type, &w.context);
  w.date = dsl::FormatIsoDate(static_cast<int32_t>(IntOf(m, today_)));
  for (size_t i = 0; i < licences_.size(); ++i) {
    if (!licences_[i]) continue;
    const Sym& l = *licences_[i];
    int64_t problem = IntOf(m, l.problem);
    if (problem < 0) continue;  // not looked up
    const dsl::LicenceUseDecl& use = item_.decl->licences[i];
    const dsl::LicenceType& type = program_.licence_types[use.licence];
    std::string key_text = StringFromModel(m.eval(licence_keys_[i]->v, true)).value_or("");
    if (problem == 0) {
      std::string record;
      WriteJson(m, l, type.record, &record);
      w.licences.push_back(record);
      w.licence_keys.emplace_back(type.decl->type, key_text);
      continue;
    }
    auto p = static_cast<LicenceProblem>(problem - 1);
    if (p == LicenceProblem::kNotFound) continue;
    // The key and subject the lookup used, from the model.
    Sym subject = FieldOf(*context_, program_.context_type, program_.context_type->FieldIndex("subject"));
    Sym kind = FieldOf(subject, program_.subject_type, program_.subject_type->FieldIndex("kind"));
    Sym id = FieldOf(subject, program_.subject_type, program_.subject_type->FieldIndex("id"));
    std::string kind_text = StringFromModel(m.eval(kind.v, true)).value_or("");
    std::string id_text = StringFromModel(m.eval(id.v, true)).value_or("");
    if (p == LicenceProblem::kStoreError) {
      w.failing_lookups.emplace_back(type.decl->type, key_text);
      continue;
    }
    auto quoted = [](const std::string& s) {
      rapidjson::StringBuffer b;
      rapidjson::Writer<rapidjson::StringBuffer> qw(b);
      qw.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
      return std::string(b.GetString());
    };
    int32_t today = static_cast<int32_t>(IntOf(m, today_));
    std::string status = "\"valid\"", dates;
    switch (p) {
      case LicenceProblem::kExpired: status = "\"expired\""; break;
      case LicenceProblem::kRevoked: status = "\"revoked\""; break;
      case LicenceProblem::kCancelled: status = "\"cancelled\""; break;
      case LicenceProblem::kSuspended: status = "\"suspended\""; break;
      case LicenceProblem::kNotYetValid: dates = ",\"issued\":\"" + dsl::FormatIsoDate(today + 1) + "\""; break;
      case LicenceProblem::kOtherStatus: status = "\"pending\""; break;
      case LicenceProblem::kUnreadable: status = "5"; break;
      default: break;
    }
    w.licences.push_back("{\"type\":" + quoted(type.decl->type) + ",\"number\":" + quoted(key_text) +
                         ",\"holder\":{\"kind\":" + quoted(kind_text) + ",\"id\":" + quoted(id_text) +
                         "},\"status\":" + status + dates + "}");
    w.licence_keys.emplace_back(type.decl->type, key_text);
  }
  return w;
}

}  // namespace miaopi::verify
