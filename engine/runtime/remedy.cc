#include "engine/runtime/remedy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "dsl/date.h"
#include "engine/graph/value_format.h"
#include "engine/graph/verdict.h"
#include "engine/runtime/eval_node.h"

namespace miaopi::engine {

namespace {

// Work limits, so that a hostile application (long lists in nested loops)
// costs a bounded amount: past them, what is left gets a `need` without an
// example. Counted in nodes evaluated and goals visited, never in time, so
// the same inputs always give the same remedies.
constexpr size_t kMaxRerunNodes = 2'000'000;
constexpr size_t kMaxGoals = 20'000;
constexpr size_t kMaxSetMembersShown = 10;
constexpr int kMaxSearchDoublings = 52;  // from one limit (±2^50) to the other

// One step from the application's root to a value: slot `n` of a record
// read with plan record `plan`, or (plan -1) element `n` of a list.
struct Step {
  uint32_t n = 0;
  int32_t plan = -1;
  bool index() const { return plan < 0; }
};

// Paths deeper than this are not aimed at (their conditions get a `need`
// without an example); application records nest far less.
constexpr size_t kMaxPlaceDepth = 16;

// A place in the application that a rule reads. Small and allocation-free:
// its path text is built only for the changes that are reported.
struct Place {
  std::array<Step, kMaxPlaceDepth> steps;
  uint32_t depth = 0;
  const dsl::Type* type = nullptr;  // of the value here
  int32_t plan = 0;                 // plan record of a record here (or of a list's records), else -1
  bool fixed = false;               // here or above, a field declared `fixed`

  bool SameAs(const Place& o) const {
    if (depth != o.depth) return false;
    for (uint32_t i = 0; i < depth; ++i) {
      if (steps[i].plan != o.steps[i].plan || steps[i].n != o.steps[i].n) return false;
    }
    return true;
  }
  // Is this place `o` or inside it (staff[1].name in staff)?
  bool Within(const Place& o) const {
    if (depth < o.depth) return false;
    for (uint32_t i = 0; i < o.depth; ++i) {
      if (steps[i].plan != o.steps[i].plan || steps[i].n != o.steps[i].n) return false;
    }
    return true;
  }
};

struct Edit {
  Place place;
  int32_t licence = -1;  // a licence use instead of a place
  LicenceProblem problem = LicenceProblem::kNotFound;
  bool licence_found = false;  // the licence is in force but does not satisfy the condition
  std::string have;            // JSON, empty when absent
  std::string need, type, condition;
  bool provide = false;
  bool wrong_type = false;  // providing: the value there is of the wrong type (else it is missing)
  bool has_example = false;
  Value example;
};

// One way to make a goal hold: edits, or impossible (and why).
struct Alt {
  std::vector<Edit> edits;
  bool possible = true;
  std::string why;  // not possible: why
  size_t more = 0;  // changes past kMaxEdits, not listed
};

Alt Impossible(std::string why) {
  Alt a;
  a.possible = false;
  a.why = std::move(why);
  return a;
}

// A remedy lists at most this many changes (an `all` over a long list);
// past them it says how many more, and shows no example.
constexpr size_t kMaxEdits = 100;

void Merge(Alt& into, Alt&& more) {
  if (!more.possible) {
    if (into.possible) into.why.clear();
    into.possible = false;
    if (into.why.find(more.why) == std::string::npos) into.why += (into.why.empty() ? "" : "；") + more.why;
  }
  for (Edit& e : more.edits) {
    bool same = false;
    for (const Edit& have : into.edits) {
      // One change per licence: what is wrong with it is one thing.
      bool one_licence = e.licence >= 0 && have.licence == e.licence;
      same = same || one_licence ||
             (e.licence < 0 && have.licence < 0 && have.place.SameAs(e.place) && have.need == e.need &&
              have.condition == e.condition);
    }
    if (same) continue;
    if (into.edits.size() >= kMaxEdits) {
      ++into.more;
      continue;
    }
    into.edits.push_back(std::move(e));
  }
  into.more += more.more;
}

// Is `a` a better way than `b`: possible first, then fewer changes; ties
// keep `b` (the caller passes the earlier in source order as `b`).
bool Better(const Alt& a, const Alt& b) {
  if (a.possible != b.possible) return a.possible;
  return a.edits.size() < b.edits.size();
}

const char* CompareText(Compare op) {
  switch (op) {
    case Compare::kEq: return "==";
    case Compare::kNe: return "!=";
    case Compare::kLt: return "<";
    case Compare::kLe: return "<=";
    case Compare::kGt: return ">";
    case Compare::kGe: return ">=";
  }
  return "?";
}

Compare Negate(Compare op) {
  switch (op) {
    case Compare::kEq: return Compare::kNe;
    case Compare::kNe: return Compare::kEq;
    case Compare::kLt: return Compare::kGe;
    case Compare::kLe: return Compare::kGt;
    case Compare::kGt: return Compare::kLe;
    case Compare::kGe: return Compare::kLt;
  }
  return op;
}

// a op b  ==  b Flip(op) a
Compare Flip(Compare op) {
  switch (op) {
    case Compare::kLt: return Compare::kGt;
    case Compare::kLe: return Compare::kGe;
    case Compare::kGt: return Compare::kLt;
    case Compare::kGe: return Compare::kLe;
    default: return op;
  }
}

// A value as the language writes it: 10, 35.5, "text", @2026-09-01, 18 years.
std::string LiteralText(const Value& v) {
  switch (v.kind) {
    case ValueKind::kDate: return "@" + dsl::FormatIsoDate(v.date);
    case ValueKind::kList: {
      std::string out = "[";
      for (uint32_t i = 0; i < v.len && i < kMaxSetMembersShown; ++i) out += (i ? ", " : "") + LiteralText(v.list[i]);
      if (v.len > kMaxSetMembersShown) out += ", …";
      return out + "]";
    }
    default: return FormatValue(v);
  }
}

// The value nearest the boundary that satisfies `x op target` for a field
// of type `type`: >= 10 → 10, > d → d + 1 day, == "valid" → "valid".
std::optional<Value> Boundary(Compare op, const Value& target, const dsl::Type* type) {
  if (!target.known() || type == nullptr) return std::nullopt;
  switch (type->kind) {
    case dsl::TypeKind::kInt: {
      if (target.kind != ValueKind::kInt && target.kind != ValueKind::kNumber) return std::nullopt;
      double t = target.AsDouble();
      if (!std::isfinite(t) || std::fabs(t) > 9.0e15) return std::nullopt;
      double x = 0;
      switch (op) {
        case Compare::kGe: x = std::ceil(t); break;
        case Compare::kGt: x = std::floor(t) + 1; break;
        case Compare::kLe: x = std::floor(t); break;
        case Compare::kLt: x = std::ceil(t) - 1; break;
        case Compare::kEq:
          if (t != std::floor(t)) return std::nullopt;
          x = t;
          break;
        case Compare::kNe: x = std::floor(t) + 1; break;
      }
      return Value::Int(static_cast<int64_t>(x));
    }
    case dsl::TypeKind::kNumber: {
      if (target.kind != ValueKind::kInt && target.kind != ValueKind::kNumber) return std::nullopt;
      double t = target.AsDouble();
      if (!std::isfinite(t) || std::fabs(t) > 9.0e15) return std::nullopt;
      switch (op) {
        case Compare::kGe:
        case Compare::kLe:
        case Compare::kEq: return Value::Number(t);
        case Compare::kGt:
        case Compare::kNe: return Value::Number(t + 1);
        case Compare::kLt: return Value::Number(t - 1);
      }
      return std::nullopt;
    }
    case dsl::TypeKind::kDate: {
      if (target.kind != ValueKind::kDate) return std::nullopt;
      int32_t d = target.date;
      // The day after the last date or before the first is no date.
      static const int32_t kFirst = dsl::DaysFromCivil({dsl::kMinYear, 1, 1});
      static const int32_t kLast = dsl::DaysFromCivil({dsl::kMaxYear, 12, 31});
      bool up = op == Compare::kGt || op == Compare::kNe, down = op == Compare::kLt;
      if ((up && d >= kLast) || (down && d <= kFirst) || d < kFirst || d > kLast) return std::nullopt;
      switch (op) {
        case Compare::kGe:
        case Compare::kLe:
        case Compare::kEq: return Value::Date(d);
        case Compare::kGt:
        case Compare::kNe: return Value::Date(d + 1);
        case Compare::kLt: return Value::Date(d - 1);
      }
      return std::nullopt;
    }
    case dsl::TypeKind::kString:
      if (op == Compare::kEq && target.kind == ValueKind::kString) return target;
      return std::nullopt;
    case dsl::TypeKind::kBool:
      if (target.kind != ValueKind::kBool) return std::nullopt;
      if (op == Compare::kEq) return target;
      if (op == Compare::kNe) return Value::Bool(!target.b);
      return std::nullopt;
    default: return std::nullopt;
  }
}

// `v` as a value of a field of type `type` (an int member of a number set
// for an int field, …), or nullopt when it is not one.
std::optional<Value> ConvertTo(const Value& v, const dsl::Type* type) {
  if (type == nullptr || !v.known()) return std::nullopt;
  switch (type->kind) {
    case dsl::TypeKind::kInt:
      if (v.kind == ValueKind::kInt) return v;
      if (v.kind == ValueKind::kNumber && v.d == std::floor(v.d) && std::fabs(v.d) < 9.0e15) {
        return Value::Int(static_cast<int64_t>(v.d));
      }
      return std::nullopt;
    case dsl::TypeKind::kNumber:
      if (v.kind == ValueKind::kNumber) return v;
      if (v.kind == ValueKind::kInt) return Value::Number(static_cast<double>(v.i));
      return std::nullopt;
    case dsl::TypeKind::kString: return v.kind == ValueKind::kString ? std::optional<Value>(v) : std::nullopt;
    case dsl::TypeKind::kDate: return v.kind == ValueKind::kDate ? std::optional<Value>(v) : std::nullopt;
    case dsl::TypeKind::kBool: return v.kind == ValueKind::kBool ? std::optional<Value>(v) : std::nullopt;
    default: return std::nullopt;
  }
}

// A total order for the members of a set (ints and numbers by value, then
// by kind and bits where values do not compare), so the example is always
// the same one.
bool MemberBefore(const Value& a, const Value& b) {
  if (std::optional<int> o = ops::Order(a, b)) return *o < 0;
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.kind == ValueKind::kString) return a.string() < b.string();
  uint64_t x, y;
  std::memcpy(&x, &a.i, sizeof x);
  std::memcpy(&y, &b.i, sizeof y);
  return x < y;
}

// The ways on with a licence the rules could not use.
std::vector<std::string> LicenceWays(LicenceProblem p, bool found, const std::string& title) {
  std::vector<std::string> ways;
  if (found) {
    ways.push_back("办理" + title + "变更后重新申请");
  } else {
    switch (p) {
      case LicenceProblem::kExpired: ways.push_back("办理" + title + "换领或延续后重新申请"); break;
      case LicenceProblem::kRevoked:
      case LicenceProblem::kCancelled: ways.push_back("重新取得有效的" + title + "后重新申请"); break;
      case LicenceProblem::kNotYetValid: ways.push_back("待" + title + "生效后重新申请"); break;
      case LicenceProblem::kSuspended:
      case LicenceProblem::kOtherStatus: ways.push_back("待" + title + "恢复有效后重新申请"); break;
      case LicenceProblem::kStoreError: ways.push_back("稍后重新提交（证照库暂不可用）"); break;
      default: break;
    }
    ways.push_back("上传" + title + "扫描件，转人工核验");
  }
  ways.push_back("携带" + title + "原件到任一镇街服务窗口核验");
  return ways;
}

class Remedier {
 public:
  Remedier(const CompiledItem& item, const CompiledPack& pack, const RunInputs& run, EvalState& st)
      : item_(item), pack_(pack), g_(item.graph), st_(st), binder_index_(g_.nodes.size(), UINT32_MAX) {
    run_ = run;
    run_.keep_licences = true;
    ctx_ = MakeNodeContext(g_, run_, st);
    for (uint32_t i = 0; i < g_.nodes.size(); ++i) {
      if (g_.nodes[i].kind == NodeKind::kLicence) licence_nodes_.push_back(i);
    }
  }

  void Run(std::vector<Remedy>* out) {
    const std::vector<RuleInfo>& rules = g_.rules;
    std::vector<bool> passed(rules.size());
    bool approve = true;
    for (size_t r = 0; r < rules.size(); ++r) {
      passed[r] = Passes(rules[r]);
      approve = approve && passed[r];
    }
    if (approve) return;
    loop_work_seen_ = st_.loop_work;
    // The evaluation's values, to put back after each what-if (cheaper
    // than sweeping the graph again).
    st_.kept_values.assign(st_.values.begin(), st_.values.end());
    st_.kept_decided.assign(st_.decided.begin(), st_.decided.end());
    struct Proposal {
      size_t rule;
      Alt alt;
      bool complete = false;  // every change has an example
    };
    std::vector<Proposal> proposals;
    for (size_t r = 0; r < rules.size(); ++r) {
      if (passed[r]) continue;
      goals_ = 0;
      bound_ = false;
      Alt alt = Fix(rules[r].cond, true);
      if (alt.possible && alt.edits.empty()) alt = Impossible("该条件无法通过更改申请材料满足");
      if (alt.more > 0) DropExamples(alt);  // not all listed: applying those listed would not do it
      // A change to what a licence is looked up by would change the licence
      // too, which a re-run that keeps the library's answers cannot check:
      // such a change says what is needed, without an example.
      for (Edit& e : alt.edits) {
        if (e.has_example && e.licence < 0 && FeedsLicence(e.place)) e.has_example = false;
      }
      if (bound_) PutBackValues();  // loops left their bodies on other elements
      proposals.push_back({r, std::move(alt)});
    }
    // Check the proposals by re-running the graph with their examples
    // written in: each on top of those accepted before it (rule order).
    // Only when that fails is it run alone, to tell its own failure (an
    // example that does not do it, or a rule it breaks) from a clash with
    // an earlier remedy.
    std::vector<Undo> together;
    std::vector<size_t> accepted;        // proposals applied together, complete
    std::vector<size_t> applied_before;  // proposals whose examples are applied together
    auto first_failure = [&](const Proposal& p, bool with_accepted) {
      int broken = FirstBroken(passed);
      if (broken >= 0) return broken;
      if (p.complete && !Passes(rules[p.rule])) return static_cast<int>(p.rule);
      if (with_accepted) {
        for (size_t a : accepted) {
          if (!Passes(rules[proposals[a].rule])) return static_cast<int>(proposals[a].rule);
        }
      }
      return -1;
    };
    for (size_t i = 0; i < proposals.size(); ++i) {
      Proposal& p = proposals[i];
      if (!p.alt.possible) continue;
      size_t with_example = 0;
      for (const Edit& e : p.alt.edits) with_example += e.has_example ? 1 : 0;
      p.complete = with_example == p.alt.edits.size();
      if (with_example == 0) continue;
      // Past the work budget, what is left is not checked, so it shows no
      // example (a pack of many failing rules on a large graph).
      rerun_nodes_ += 2 * g_.nodes.size() + (st_.loop_work - loop_work_seen_);
      loop_work_seen_ = st_.loop_work;
      if (rerun_nodes_ > kMaxRerunNodes) {
        DropExamples(p.alt);
        p.complete = false;
        continue;
      }
      size_t mark = together.size();
      bool applied = ApplyAll(p.alt, &together);
      int failure = -1;
      if (applied) {
        RunGraphChanged(g_, run_, st_, touched_);
        failure = first_failure(p, true);
        if (failure < 0) {
          if (p.complete) accepted.push_back(i);
          applied_before.push_back(i);
          continue;
        }
      }
      RestoreTo(&together, mark);
      if (applied && mark > 0) {  // alone, to see whose failure it is
        std::vector<Undo> alone;
        applied = ApplyAll(p.alt, &alone);
        RunGraphChanged(g_, run_, st_, touched_);
        int alone_failure = applied ? first_failure(p, false) : -1;
        Restore(&alone);
        if (alone_failure < 0 && applied) {  // fine alone: it clashes with what came before
          std::string before;
          for (size_t a : applied_before) before += (before.empty() ? "" : "、") + rules[proposals[a].rule].code;
          p.alt.possible = false;
          p.alt.why = "与规则 " + before + " 所需的更改相互冲突，需人工处理";
          DropExamples(p.alt);
          p.complete = false;
          continue;
        }
        failure = alone_failure;
      }
      if (applied && failure >= 0 && failure != static_cast<int>(p.rule)) {
        p.alt.possible = false;
        p.alt.why = "按此更改将使规则 " + rules[failure].code + "（" + rules[failure].message + "）不再满足";
      }
      // Otherwise our example did not do it: say what is needed, without one.
      DropExamples(p.alt);
      p.complete = false;
    }
    Restore(&together);
    PutBackValues();  // the evaluation's own values again
    for (Proposal& p : proposals) {
      const RuleInfo& rule = rules[p.rule];
      Remedy rem;
      rem.rule = rule.code;
      rem.fixable = p.alt.possible;
      rem.why = p.alt.possible ? rule.message : rule.message + "（" + p.alt.why + "）";
      if (p.alt.more > 0) rem.why += "（另有 " + std::to_string(p.alt.more) + " 处需更改，未逐一列出）";
      for (const Edit& e : p.alt.edits) rem.changes.push_back(ToChange(e));
      out->push_back(std::move(rem));
    }
  }

 private:
  struct Undo {
    Value* at;
    Value old;
  };

  void PutBackValues() {
    std::copy(st_.kept_values.begin(), st_.kept_values.end(), st_.values.begin());
    std::copy(st_.kept_decided.begin(), st_.kept_decided.end(), st_.decided.begin());
  }

  const Value& V(uint32_t id) const { return st_.values[id]; }
  const Node& N(uint32_t id) const { return g_.nodes[id]; }
  const std::string& Label(uint32_t id) const { return g_.labels[g_.nodes[id].label]; }
  bool Passes(const RuleInfo& r) const {
    const Value& v = V(r.cond);
    return v.known() && v.kind == ValueKind::kBool && v.b;
  }
  int FirstBroken(const std::vector<bool>& passed) const {
    for (size_t r = 0; r < g_.rules.size(); ++r) {
      if (passed[r] && !Passes(g_.rules[r])) return static_cast<int>(r);
    }
    return -1;
  }
  static void DropExamples(Alt& alt) {
    for (Edit& e : alt.edits) e.has_example = false;
  }

  // ---- Finding the way -------------------------------------------------

  Alt Fix(uint32_t id, bool want) {
    const Value& v = V(id);
    if (v.known() && v.kind == ValueKind::kBool && v.b == want) return {};
    if (++goals_ > kMaxGoals) return Generic(id, want);
    const Node& n = N(id);
    switch (n.kind) {
      case NodeKind::kConst: return Impossible("条件“" + Label(id) + "”在规则中恒不成立");
      case NodeKind::kNot: return Fix(n.a, !want);
      case NodeKind::kAnd:
      case NodeKind::kOr: {
        bool every = (n.kind == NodeKind::kAnd) == want;
        if (every) {  // each operand that does not hold yet must
          Alt all;
          for (uint32_t c : {n.a, n.b}) {
            const Value& cv = V(c);
            if (!(cv.known() && cv.kind == ValueKind::kBool && cv.b == want)) Merge(all, Fix(c, want));
          }
          return all;
        }
        Alt first = Fix(n.a, want);
        Alt second = Fix(n.b, want);
        return Better(second, first) ? std::move(second) : std::move(first);
      }
      case NodeKind::kIf: {
        const Value& c = V(n.a);
        if (c.known() && c.kind == ValueKind::kBool) {
          Alt taken = Fix(c.b ? n.b : n.c, want);
          Alt other = Fix(n.a, !c.b);
          Merge(other, Fix(c.b ? n.c : n.b, want));
          return Better(other, taken) ? std::move(other) : std::move(taken);
        }
        Alt then_way = Fix(n.a, true);
        Merge(then_way, Fix(n.b, want));
        Alt else_way = Fix(n.a, false);
        Merge(else_way, Fix(n.c, want));
        return Better(else_way, then_way) ? std::move(else_way) : std::move(then_way);
      }
      case NodeKind::kCoalesce: {
        if (V(n.a).known()) return Fix(n.a, want);
        Alt provide = Fix(n.a, want);
        Alt fallback = Fix(n.b, want);
        return Better(fallback, provide) ? std::move(fallback) : std::move(provide);
      }
      case NodeKind::kCompare: return FixCompare(id, want);
      case NodeKind::kInSet:
      case NodeKind::kInList:
      case NodeKind::kInTable:
      case NodeKind::kMatches: return FixMembership(id, want);
      case NodeKind::kExists: return FixExists(n.a, want);
      case NodeKind::kCall: return FixCall(id, want);
      case NodeKind::kAll:
      case NodeKind::kAny: return FixLoop(id, want);
      case NodeKind::kField:
      case NodeKind::kListIndex:
      case NodeKind::kBinder: {
        if (std::optional<Place> p = Locate(id)) {
          return AimPlace(*p, id, Compare::kEq, Value::Bool(want), "== " + std::string(want ? "true" : "false"));
        }
        return Generic(id, want);
      }
      default: return Generic(id, want);
    }
  }

  // side op target: side is the application's value at a place, or one
  // computed from one (birth + 18 years, age(birth, at)), or a licence's.
  std::optional<Alt> Aim(uint32_t side, Compare op, const Value& target) {
    if (std::optional<Place> p = Locate(side)) {
      return AimPlace(*p, side, op, target, std::string(CompareText(op)) + " " + LiteralText(target));
    }
    if (int32_t use = LicenceOf(side); use >= 0)
      return LicenceAlt(use, side, Render(side) + " " + CompareText(op) + " " + LiteralText(target));
    std::vector<uint32_t> chain;
    uint32_t leaf = ChainLeaf(side, &chain);
    if (leaf == kNoNode) return std::nullopt;
    std::optional<Place> p = Locate(leaf);
    if (!p) return std::nullopt;
    std::string need = Render(side) + " " + CompareText(op) + " " + LiteralText(target);
    Alt alt = AimPlace(*p, leaf, op, Value(), need);
    if (!alt.possible) return alt;
    Edit& e = alt.edits.back();
    e.has_example = false;
    if (std::optional<Value> x = Search(leaf, chain, side, op, target, p->type)) {
      e.has_example = true;
      e.example = *x;
    }
    return alt;
  }

  // A change at a place: `need` is the condition ("op target"); the example
  // is the boundary value when `target` is known.
  Alt AimPlace(const Place& p, uint32_t node, Compare op, const Value& target, const std::string& need) {
    if (p.fixed) return FixedAlt(p);
    Edit e;
    e.place = p;
    const Value& have = V(node);
    SetHave(e, have);
    if (!have.known() || need.empty()) {
      e.provide = true;
      e.wrong_type = !have.known() && FindCause(have.cause, CauseKind::kWrongType) != nullptr;
      e.need = "provide";
      e.condition = need;
    } else {
      e.need = need;
    }
    if (std::optional<Value> x = Boundary(op, target, p.type)) {
      e.has_example = true;
      e.example = *x;
    }
    Alt alt;
    alt.edits.push_back(std::move(e));
    return alt;
  }

  Alt FixedAlt(const Place& p) { return Impossible("须更改不可更改的信息 " + PathOf(p)); }

  void SetHave(Edit& e, const Value& have) {
    if (have.known() && have.kind != ValueKind::kList && have.kind != ValueKind::kRecord) e.have = ValueJson(have);
  }

  Alt FixCompare(uint32_t id, bool want) {
    const Node& n = N(id);
    Compare op = static_cast<Compare>(n.op);
    if (!want) op = Negate(op);
    // Either side may be the one to change; of two equal ways, the one
    // that can show an example (then the left).
    auto examples = [](const Alt& a) {
      size_t n = 0;
      for (const Edit& e : a.edits) n += e.has_example ? 1 : 0;
      return n;
    };
    std::optional<Alt> best;
    for (uint32_t side : {n.a, n.b}) {
      uint32_t other = side == n.a ? n.b : n.a;
      if (!V(other).known()) continue;
      std::optional<Alt> alt = Aim(side, side == n.a ? op : Flip(op), V(other));
      if (!alt) continue;
      // Aiming at the other side's value is right only when changing this
      // side leaves it alone (not `x1 < x1`).
      if (!alt->edits.empty() && alt->edits[0].licence < 0 && Reads(other, alt->edits[0].place)) continue;
      bool better = !best || Better(*alt, *best) || (!Better(*best, *alt) && examples(*alt) > examples(*best));
      if (better) best = std::move(alt);
    }
    if (best) return std::move(*best);
    return Generic(id, want);
  }

  Alt FixMembership(uint32_t id, bool want) {
    const Node& n = N(id);
    std::string need;
    std::optional<Value> example;
    switch (n.kind) {
      case NodeKind::kInSet: {
        const std::vector<Value>& members = SortedSet(n.b);
        need = std::string(want ? "in " : "not in ") +
               LiteralText(Value::List(members.data(), static_cast<uint32_t>(members.size())));
        if (want) {
          Place at;
          const dsl::Type* type = Trace(n.a, &at) ? at.type : nullptr;
          for (const Value& m : members) {
            if ((example = ConvertTo(m, type))) break;
          }
        }
        break;
      }
      case NodeKind::kInList: {
        const Value& list = V(n.b);
        need =
            std::string(want ? "in " : "not in ") + (N(n.b).kind == NodeKind::kConst ? LiteralText(list) : Render(n.b));
        if (want && list.known() && list.len > 0) {
          Place at;
          example = ConvertTo(list.list[0], Trace(n.a, &at) ? at.type : nullptr);
        }
        break;
      }
      case NodeKind::kInTable: need = std::string(want ? "in " : "not in ") + pack_.tables[n.b].name; break;
      case NodeKind::kMatches: {
        std::string re = JsonQuote(g_.regex_sources[n.b]);
        need = want ? "matches " + re : "not (" + Render(n.a) + " matches " + re + ")";
        break;
      }
      default: break;
    }
    std::optional<Place> p = Locate(n.a);
    if (!p) {
      if (int32_t use = LicenceOf(n.a); use >= 0) return LicenceAlt(use, n.a, Render(n.a) + " " + need);
      return Generic(id, want);
    }
    if (p->fixed) return FixedAlt(*p);
    Alt alt = AimPlace(*p, n.a, Compare::kEq, Value(), need);
    if (example) {
      alt.edits.back().has_example = true;
      alt.edits.back().example = *example;
    }
    return alt;
  }

  // exists(x): provide it (no example: any value of its type would do, and
  // which one is the applicant's to say), or leave it out (null).
  Alt FixExists(uint32_t arg, bool want) {
    std::optional<Place> p = Locate(arg);
    if (!p) return Generic(arg, want);
    if (p->fixed) return FixedAlt(*p);
    Edit e;
    e.place = *p;
    SetHave(e, V(arg));
    if (want) {
      e.provide = true;
      e.need = "provide";
    } else {
      e.need = "omit";
      e.has_example = true;
      e.example = Value::Unknown(0);
    }
    Alt alt;
    alt.edits.push_back(std::move(e));
    return alt;
  }

  Alt FixCall(uint32_t id, bool want) {
    const Node& n = N(id);
    auto builtin = static_cast<dsl::Builtin>(n.op);
    if (builtin == dsl::Builtin::kExists && n.b == 1) return FixExists(g_.operands[n.a], want);
    if (builtin == dsl::Builtin::kAbsent && n.b == 1) return FixExists(g_.operands[n.a], !want);
    // One argument at a place, the others known: the condition on it.
    uint32_t at = kNoNode;
    for (uint32_t i = 0; i < n.b; ++i) {
      uint32_t arg = g_.operands[n.a + i];
      if (at == kNoNode && Locate(arg)) {
        at = arg;
      } else if (!V(arg).known()) {
        return Generic(id, want);
      }
    }
    if (at == kNoNode) {
      for (uint32_t i = 0; i < n.b; ++i) {
        if (int32_t use = LicenceOf(g_.operands[n.a + i]); use >= 0) {
          return LicenceAlt(use, g_.operands[n.a + i], want ? Render(id) : "not " + Render(id));
        }
      }
      return Generic(id, want);
    }
    std::optional<Place> p = Locate(at);
    std::string need = want ? Render(id) : "not " + Render(id);
    Alt alt = AimPlace(*p, at, Compare::kEq, Value(), need);
    // contains / starts_with / ends_with of a part: the part itself will do.
    bool text_test = builtin == dsl::Builtin::kContains || builtin == dsl::Builtin::kStartsWith ||
                     builtin == dsl::Builtin::kEndsWith;
    if (alt.possible && want && text_test && n.b == 2 && g_.operands[n.a] == at) {
      const Value& part = V(g_.operands[n.a + 1]);
      if (part.known() && part.kind == ValueKind::kString && p->type != nullptr &&
          p->type->kind == dsl::TypeKind::kString) {
        alt.edits.back().has_example = true;
        alt.edits.back().example = part;
      }
    }
    return alt;
  }

  Alt FixLoop(uint32_t q, bool want) {
    const Node& loop = N(q);
    uint32_t binder = loop.a, list_node = N(binder).a, body = loop.b;
    const Value list = V(list_node);
    bool every = (loop.kind == NodeKind::kAll) == want;  // all → true, any → false: each element
    if (!list.known()) {
      std::optional<Place> p = Locate(list_node);
      if (!p) return Generic(q, want);
      if (p->fixed) return FixedAlt(*p);
      if (every) {  // an empty list satisfies it
        Edit e;
        e.place = *p;
        e.provide = true;
        e.need = "provide";
        e.type = dsl::TypeName(p->type, true);
        e.condition = want ? Render(q) : "not (" + Render(q) + ")";
        e.has_example = true;
        e.example = Value::List(nullptr, 0);
        Alt alt;
        alt.edits.push_back(std::move(e));
        return alt;
      }
      return FreshElement(q, *p, 0, want);
    }
    Alt result;
    bool have_result = false;
    for (uint32_t k = 0; k < list.len; ++k) {
      if (goals_ > kMaxGoals || !Bind(q, list.list[k], k)) {
        Unbind(binder);
        return Generic(q, want);
      }
      const Value& b = V(body);
      bool holds = b.known() && b.kind == ValueKind::kBool && b.b == want;
      if (every) {
        if (!holds) Merge(result, Fix(body, want));
      } else {
        Alt alt = Fix(body, want);
        if (!have_result || Better(alt, result)) result = std::move(alt);
        have_result = true;
        if (holds) break;
      }
    }
    Unbind(binder);
    if (every) return result;
    // No element can be made to satisfy `any`: a new one.
    if (loop.kind == NodeKind::kAny && (!have_result || !result.possible)) {
      std::optional<Place> p = Locate(list_node);
      if (p && !p->fixed) {
        Alt fresh = FreshElement(q, *p, list.len, want);
        if (!have_result || Better(fresh, result)) return fresh;
      }
    }
    if (!have_result) return Generic(q, want);
    return result;
  }

  // A new element at `index` (the list's end) that satisfies the body:
  // each of its fields the body reads, provided.
  Alt FreshElement(uint32_t q, const Place& list_place, uint32_t index, bool want) {
    const Node& loop = N(q);
    if (loop.kind != NodeKind::kAny || !want) return Generic(q, want);
    Value element;
    if (list_place.plan >= 0) {
      const PlanRecord& rec = g_.plan[list_place.plan];
      Value* slots = st_.slots.Allocate(rec.size);
      for (uint32_t s = 0; s < rec.size; ++s) slots[s] = Value::Unknown(0);
      element = Value::Record(slots);
    }
    if (!Bind(q, element, index)) {
      Unbind(loop.a);
      return Generic(q, want);
    }
    Alt alt = Fix(loop.b, true);
    Unbind(loop.a);
    return alt;
  }

  bool Bind(uint32_t q, const Value& element, uint32_t k) {
    uint32_t binder = N(q).a;
    st_.values[binder] = element;
    binder_index_[binder] = k;
    rerun_nodes_ += q - binder + (st_.loop_work - loop_work_seen_);  // nested loops count their elements
    loop_work_seen_ = st_.loop_work;
    if (rerun_nodes_ > kMaxRerunNodes) return false;
    bound_ = true;
    RunNodes(g_, run_, st_, binder + 1, q);
    return true;
  }
  void Unbind(uint32_t binder) { binder_index_[binder] = UINT32_MAX; }

  // What nothing above could aim at: name the condition on each place it
  // reads (no example), or say why the applicant cannot change it.
  Alt Generic(uint32_t id, bool want) {
    std::vector<uint32_t> places;
    std::vector<uint32_t> licences;
    bool context = false, table = false, today = false;
    std::vector<uint32_t> stack{id};
    uint32_t stamp = NextStamp();
    while (!stack.empty()) {
      uint32_t at = stack.back();
      stack.pop_back();
      if (seen_[at] == stamp) continue;
      seen_[at] = stamp;
      const Node& n = N(at);
      if (Locate(at)) {
        places.push_back(at);
        continue;
      }
      if (n.kind == NodeKind::kLicence) {
        licences.push_back(at);
        continue;
      }
      context = context || n.kind == NodeKind::kContext;
      today = today || n.kind == NodeKind::kToday;
      table = table || n.kind == NodeKind::kInTable || n.kind == NodeKind::kRow;
      if (n.kind == NodeKind::kBinder) continue;  // inside a loop not being walked
      if (IsLoop(n.kind)) {
        stack.push_back(N(n.a).a);  // the list
        continue;
      }
      ForEachOperand(g_, n, [&](uint32_t op) { stack.push_back(op); });
    }
    std::sort(places.begin(), places.end());
    std::sort(licences.begin(), licences.end());
    std::string need = want ? Render(id) : "not (" + Render(id) + ")";
    Alt alt;
    bool any_free = false;
    std::string fixed;
    for (uint32_t at : places) {
      std::optional<Place> p = Locate(at);
      if (p->fixed) {
        fixed += (fixed.empty() ? "" : "、") + PathOf(*p);
        continue;
      }
      any_free = true;
      Alt one = AimPlace(*p, at, Compare::kEq, Value(), need);
      one.edits.back().has_example = false;
      Merge(alt, std::move(one));
    }
    for (uint32_t l : licences) Merge(alt, LicenceAlt(N(l).d, l, need));
    if (any_free || !licences.empty()) return alt;
    if (!fixed.empty()) return Impossible("须更改不可更改的信息 " + fixed);
    std::string from;
    if (context) from += "登录主体或办理渠道";
    if (table) from += std::string(from.empty() ? "" : "、") + "规则包的数据表";
    if (today) from += std::string(from.empty() ? "" : "、") + "办理日期";
    if (from.empty()) from = "申请材料以外的信息";
    return Impossible("条件“" + need + "”取决于" + from + "，申请人无法通过更改申请材料满足");
  }

  // A licence the rules read could not be used, or does not satisfy `need`.
  Alt LicenceAlt(int32_t use_index, uint32_t node, const std::string& need) {
    Edit e;
    e.licence = use_index;
    e.need = need;
    const Value& v = V(node);
    if (!v.known()) {
      if (const Cause* c = FindCause(v.cause, CauseKind::kLicence)) {
        e.problem = static_cast<LicenceProblem>(c->b);
      } else {
        // Not looked up at all: what it is looked up by is missing — the
        // application's key (provide it) or the login (not the applicant's).
        for (uint32_t l : licence_nodes_) {
          const Node& lookup = N(l);
          if (lookup.d != static_cast<uint32_t>(use_index)) continue;
          if (!V(lookup.b).known() || !V(lookup.c).known()) {
            return Impossible("登录主体信息不完整，无法调取" + g_.licences[use_index].title);
          }
          if (!V(lookup.a).known()) {
            if (std::optional<Place> key = Locate(lookup.a)) {
              if (key->fixed) return FixedAlt(*key);
              Alt alt = AimPlace(*key, lookup.a, Compare::kEq, Value(), "");
              alt.edits.back().has_example = false;
              return alt;
            }
          }
        }
      }
    } else {
      e.licence_found = true;
    }
    Alt alt;
    alt.edits.push_back(std::move(e));
    return alt;
  }

  const Cause* FindCause(uint32_t cause, CauseKind kind) const {
    std::vector<uint32_t> stack{cause};
    for (size_t steps = 0; !stack.empty() && steps < 256; ++steps) {
      uint32_t id = stack.back();
      stack.pop_back();
      const Cause& c = st_.causes.at(id);
      if (c.kind == kind) return &c;
      if (c.kind == CauseKind::kJoin) {
        stack.push_back(c.b);
        stack.push_back(c.a);
      }
    }
    return nullptr;
  }

  // The members of constant set `set`, in MemberBefore order (sorted once).
  const std::vector<Value>& SortedSet(uint32_t set) {
    if (sorted_sets_.size() <= set) sorted_sets_.resize(set + 1);
    if (!sorted_sets_[set]) {
      std::vector<Value> members;
      g_.sets[set].ForEach([&](const Value& v, bool) { members.push_back(v); });
      std::sort(members.begin(), members.end(), MemberBefore);
      sorted_sets_[set] = std::move(members);
    }
    return *sorted_sets_[set];
  }

  // A fresh mark for a walk over the graph (seen_[node] == mark: visited).
  uint32_t NextStamp() const {
    if (seen_.empty()) seen_.assign(g_.nodes.size(), 0);
    return ++stamp_;
  }

  bool FeedsLicence(const Place& place) const {
    for (uint32_t l : licence_nodes_) {
      const Node& n = N(l);
      if (Reads(n.a, place) || Reads(n.b, place) || Reads(n.c, place)) return true;
    }
    return false;
  }

  // Does the value of `id` read the application at `path` (or inside it)?
  bool Reads(uint32_t id, const Place& place) const {
    std::vector<uint32_t> stack{id};
    uint32_t stamp = NextStamp();
    while (!stack.empty()) {
      uint32_t at = stack.back();
      stack.pop_back();
      if (seen_[at] == stamp) continue;
      seen_[at] = stamp;
      if (std::optional<Place> p = Locate(at)) {
        if (p->Within(place) || place.Within(*p)) return true;
        continue;
      }
      const Node& n = N(at);
      if (n.kind == NodeKind::kInput) return true;  // the application as a whole
      if (IsLoop(n.kind)) {
        stack.push_back(N(n.a).a);
        stack.push_back(n.b);
        continue;
      }
      if (n.kind == NodeKind::kBinder) {
        stack.push_back(n.a);
        continue;
      }
      ForEachOperand(g_, n, [&](uint32_t op) { stack.push_back(op); });
    }
    return false;
  }

  // The licence use a node reads a field of (or is), or -1.
  int32_t LicenceOf(uint32_t id) const {
    for (int hops = 0; hops < 64; ++hops) {
      const Node& n = N(id);
      if (n.kind == NodeKind::kLicence) return static_cast<int32_t>(n.d);
      if (n.kind == NodeKind::kField) {
        id = n.a;
        continue;
      }
      if (n.kind == NodeKind::kCall && static_cast<dsl::Builtin>(n.op) == dsl::Builtin::kLicenceStatus && n.b == 1) {
        id = g_.operands[n.a];
        continue;
      }
      return -1;
    }
    return -1;
  }

  // The application place a node reads, when it reads one directly (a
  // field or an element: never the application as a whole).
  std::optional<Place> Locate(uint32_t id) const {
    Place p;
    if (!Trace(id, &p) || p.depth == 0) return std::nullopt;
    return p;
  }

  // Builds the place of `id` into `out` (in place: places are copied only
  // when a change keeps one). False when `id` reads no place.
  bool Trace(uint32_t id, Place* out) const {
    const Node& n = N(id);
    switch (n.kind) {
      case NodeKind::kInput: *out = Place{}; return true;
      case NodeKind::kField: {
        if (!Trace(n.a, out) || out->plan < 0 || out->depth == kMaxPlaceDepth) return false;
        for (const PlanField& f : g_.plan[out->plan].fields) {
          if (f.slot != n.b) continue;
          out->steps[out->depth++] = {f.slot, out->plan};
          out->type = f.type;
          out->plan = f.child;
          out->fixed = out->fixed || f.fixed;
          return true;
        }
        return false;
      }
      case NodeKind::kBinder:
      case NodeKind::kListIndex: {
        uint32_t k = UINT32_MAX;
        if (n.kind == NodeKind::kBinder) {
          k = binder_index_[id];
        } else {
          const Value& index = V(n.b);
          const Value& list = V(n.a);
          if (index.known() && index.kind == ValueKind::kInt && list.known() && index.i >= 0 && index.i < list.len) {
            k = static_cast<uint32_t>(index.i);
          }
        }
        if (k == UINT32_MAX || !Trace(n.a, out) || out->depth == 0 || out->depth == kMaxPlaceDepth) return false;
        if (out->type == nullptr || out->type->kind != dsl::TypeKind::kList) return false;
        out->steps[out->depth++] = {k, -1};
        out->type = out->type->elem;
        return true;
      }
      default: return false;
    }
  }

  // side = f(leaf) through steps that each have one varying operand (date ±
  // duration, x + c, -x, x ?? c, age(x, at), year(x), days_between, abs):
  // the leaf, with the chain from just above it up to `side` in `chain`.
  uint32_t ChainLeaf(uint32_t side, std::vector<uint32_t>* chain) const {
    std::vector<uint32_t> up;
    uint32_t at = side;
    for (int hops = 0; hops < 16; ++hops) {
      if (Locate(at)) {
        if (up.empty()) return kNoNode;
        chain->assign(up.rbegin(), up.rend());
        return at;
      }
      const Node& n = N(at);
      uint32_t next = kNoNode;
      auto pick = [&](std::initializer_list<uint32_t> ops) {
        for (uint32_t op : ops) {
          if (N(op).kind == NodeKind::kConst) continue;
          if (next != kNoNode) return false;  // two varying operands
          next = op;
        }
        return next != kNoNode;
      };
      bool ok = false;
      switch (n.kind) {
        case NodeKind::kArith: ok = static_cast<ArithClass>(n.cls) != ArithClass::kString && pick({n.a, n.b}); break;
        case NodeKind::kNeg: ok = pick({n.a}); break;
        case NodeKind::kCoalesce: ok = pick({n.a}); break;
        case NodeKind::kCall: {
          auto b = static_cast<dsl::Builtin>(n.op);
          bool numeric = b == dsl::Builtin::kAge || b == dsl::Builtin::kDaysBetween || b == dsl::Builtin::kYear ||
                         b == dsl::Builtin::kMonth || b == dsl::Builtin::kDay || b == dsl::Builtin::kAbs;
          if (!numeric) break;
          // The varying argument is the one at a place or above one; the
          // others must be known.
          for (uint32_t i = 0; i < n.b; ++i) {
            uint32_t arg = g_.operands[n.a + i];
            bool varies = Locate(arg).has_value() || N(arg).kind == NodeKind::kArith;
            if (varies && next == kNoNode) {
              next = arg;
            } else if (!V(arg).known()) {
              next = kNoNode;
              break;
            }
          }
          ok = next != kNoNode;
          break;
        }
        default: break;
      }
      if (!ok) return kNoNode;
      up.push_back(at);
      at = next;
    }
    return kNoNode;
  }

  // f(x) with x at `leaf`: the chain's nodes evaluated in order; the graph's
  // values are put back.
  Value Evaluate(uint32_t leaf, const std::vector<uint32_t>& chain, const Value& x) {
    saved_.clear();
    saved_.push_back(st_.values[leaf]);
    for (uint32_t id : chain) saved_.push_back(st_.values[id]);
    st_.values[leaf] = x;
    for (uint32_t id : chain) st_.values[id] = EvalNode(N(id), st_.values.data(), ctx_);
    Value result = st_.values[chain.back()];
    st_.values[leaf] = saved_[0];
    for (size_t i = 0; i < chain.size(); ++i) st_.values[chain[i]] = saved_[i + 1];
    return result;
  }

  // The value of the leaf nearest to where it is now (or to today, or 0)
  // for which f(leaf) op target: doubling steps out, then halving back,
  // which finds the boundary of anything monotone (the proposal is checked
  // by re-running the graph either way).
  std::optional<Value> Search(uint32_t leaf, const std::vector<uint32_t>& chain, uint32_t side, Compare op,
                              const Value& target, const dsl::Type* type) {
    if (type == nullptr) return std::nullopt;
    bool is_date = type->kind == dsl::TypeKind::kDate;
    bool is_int = type->kind == dsl::TypeKind::kInt;
    if (!is_date && !is_int && type->kind != dsl::TypeKind::kNumber) return std::nullopt;
    (void)side;
    const Value& have = V(leaf);
    int64_t start = 0;
    if (have.known()) {
      if (is_date || is_int) {
        start = is_date ? have.date : have.i;
      } else {
        double d = have.AsDouble();
        start = std::isfinite(d) && std::fabs(d) < 1e15 ? static_cast<int64_t>(std::llround(d)) : 0;
      }
    } else if (is_date) {
      start = run_.today;
    }
    const int64_t lo_limit = is_date ? dsl::DaysFromCivil({1, 1, 1}) : -(int64_t{1} << 50);
    const int64_t hi_limit = is_date ? dsl::DaysFromCivil({9999, 12, 31}) : (int64_t{1} << 50);
    start = std::clamp(start, lo_limit, hi_limit);  // steps from here cannot overflow
    auto make = [&](int64_t x) {
      return is_date  ? Value::Date(static_cast<int32_t>(x))
             : is_int ? Value::Int(x)
                      : Value::Number(static_cast<double>(x));
    };
    auto holds = [&](int64_t x) {
      Value f = Evaluate(leaf, chain, make(x));
      if (!f.known()) return false;
      std::optional<int> o = ops::Order(f, target);
      return o && ops::Satisfies(op, *o);
    };
    if (start >= lo_limit && start <= hi_limit && holds(start)) return make(start);
    for (int dir : {1, -1}) {
      int64_t inside = start;  // does not hold
      for (int d = 0; d < kMaxSearchDoublings; ++d) {
        int64_t step = int64_t{1} << d;
        int64_t x = std::clamp(start + dir * step, lo_limit, hi_limit);  // |start|, step <= 2^51: no overflow
        if (x == inside) break;                                          // at the limit already
        if (!holds(x)) {
          inside = x;
          continue;
        }
        int64_t near = inside, far = x;  // near fails, far holds
        while ((far - near) * dir > 1) {
          int64_t mid = near + (far - near) / 2;
          if (holds(mid)) {
            far = mid;
          } else {
            near = mid;
          }
        }
        return make(far);
      }
    }
    return std::nullopt;
  }

  // A node as the language writes it, with the application's paths in
  // place of loop variables and parameters where they are known.
  std::string Render(uint32_t id) const {
    render_calls_ = 0;
    return RenderNode(id);
  }
  // Shared subexpressions would render exponentially: past a budget, the
  // rest is its source text.
  std::string RenderNode(uint32_t id) const {
    if (std::optional<Place> p = Locate(id)) {
      return PathOf(*p);
    }
    if (++render_calls_ > 200) return Label(id);
    const Node& n = N(id);
    auto wrap = [&](uint32_t op) {
      std::string s = RenderNode(op);
      const Node& o = N(op);
      bool simple = o.kind == NodeKind::kConst || o.kind == NodeKind::kField || o.kind == NodeKind::kCall ||
                    o.kind == NodeKind::kToday || Locate(op).has_value();
      return simple ? s : "(" + s + ")";
    };
    switch (n.kind) {
      case NodeKind::kConst: return LiteralText(V(id));
      case NodeKind::kToday: return "today";
      case NodeKind::kArith: {
        static const char* kOps[] = {"+", "-", "*", "/", "%"};
        return wrap(n.a) + " " + kOps[n.op % 5] + " " + wrap(n.b);
      }
      case NodeKind::kCompare: return wrap(n.a) + " " + CompareText(static_cast<Compare>(n.op)) + " " + wrap(n.b);
      case NodeKind::kNeg: return "-" + wrap(n.a);
      case NodeKind::kCall: {
        std::string out = std::string(dsl::BuiltinName(static_cast<dsl::Builtin>(n.op))) + "(";
        for (uint32_t i = 0; i < n.b; ++i) out += (i ? ", " : "") + RenderNode(g_.operands[n.a + i]);
        return out + ")";
      }
      case NodeKind::kCoalesce: return wrap(n.a) + " ?? " + wrap(n.b);
      default: return Label(id);
    }
  }

  // "staff[1].health_cert_expires": the names from the plan, the indices.
  std::string PathOf(const Place& p) const {
    std::string out;
    for (uint32_t i = 0; i < p.depth; ++i) {
      const Step& s = p.steps[i];
      if (s.index()) {
        out += "[" + std::to_string(s.n) + "]";
        continue;
      }
      for (const PlanField& f : g_.plan[s.plan].fields) {
        if (f.slot != s.n) continue;
        if (!out.empty()) out += '.';
        out += f.name;
        break;
      }
    }
    return out;
  }

  // ---- Trying it -------------------------------------------------------

  bool ApplyAll(const Alt& alt, std::vector<Undo>* undo) {
    for (const Edit& e : alt.edits) {
      if (!e.has_example || e.licence >= 0) continue;
      if (!Write(e.place, e.example, undo)) return false;
    }
    return true;
  }

  // Writes `value` at the place `steps` lead to, making the records and
  // lists on the way (an index at a list's end appends).
  bool Write(const Place& place, const Value& value, std::vector<Undo>* undo) {
    const Step* steps = place.steps.data();
    const size_t depth = place.depth;
    if (depth == 0) return false;
    Value* slots = const_cast<Value*>(run_.input);
    Touch(slots);
    int32_t plan = 0;
    Value* at = nullptr;
    const dsl::Type* type = nullptr;
    for (size_t i = 0; i < depth; ++i) {
      const Step& s = steps[i];
      if (!s.index()) {
        if (plan < 0 || slots == nullptr) return false;
        const PlanRecord& rec = g_.plan[plan];
        const PlanField* field = nullptr;
        for (const PlanField& f : rec.fields) field = f.slot == s.n ? &f : field;
        if (field == nullptr) return false;
        at = &slots[s.n];
        type = field->type;
        plan = field->child;
      } else {
        if (at == nullptr || type == nullptr || type->kind != dsl::TypeKind::kList) return false;
        if (!at->known()) Set(at, Value::List(nullptr, 0), undo);
        if (at->kind != ValueKind::kList || s.n > at->len) return false;
        if (s.n == at->len) {  // append
          Value* grown = st_.slots.Allocate(at->len + 1);
          std::copy(at->list, at->list + at->len, grown);
          grown[at->len] = Value::Unknown(0);
          Set(at, Value::List(grown, at->len + 1), undo);
        }
        Touch(at->list);
        at = const_cast<Value*>(&at->list[s.n]);
        type = type->elem;
      }
      bool last = i + 1 == depth;
      if (last) break;
      if (!steps[i + 1].index()) {  // a record must be here
        if (!at->known()) {
          if (plan < 0) return false;
          uint32_t size = g_.plan[plan].size;
          Value* fresh = st_.slots.Allocate(size);
          for (uint32_t k = 0; k < size; ++k) fresh[k] = Value::Unknown(0);
          Set(at, Value::Record(fresh), undo);
        }
        if (at->kind != ValueKind::kRecord) return false;
        slots = const_cast<Value*>(at->record);
        Touch(slots);
      }
    }
    Set(at, value, undo);
    return true;
  }

  // Records and lists written into (kept for the whole computation: undoing
  // writes into them again).
  void Touch(const Value* array) {
    if (std::find(touched_.begin(), touched_.end(), array) == touched_.end()) touched_.push_back(array);
  }

  static void Set(Value* at, const Value& v, std::vector<Undo>* undo) {
    undo->push_back({at, *at});
    *at = v;
  }
  static void Restore(std::vector<Undo>* undo) { RestoreTo(undo, 0); }
  static void RestoreTo(std::vector<Undo>* undo, size_t mark) {
    while (undo->size() > mark) {
      *undo->back().at = undo->back().old;
      undo->pop_back();
    }
  }

  // ---- The answer --------------------------------------------------------

  RemedyChange ToChange(const Edit& e) const {
    RemedyChange c;
    if (e.licence >= 0) {
      const LicenceUse& use = g_.licences[e.licence];
      c.licence = use.type;
      c.licence_title = use.title;
      c.problem = e.licence_found ? "condition" : std::string(LicenceProblemWord(e.problem));
      if (c.problem.empty()) c.problem = e.problem == LicenceProblem::kNoStore ? "no_library" : "library_error";
      c.need = e.need;
      c.ways = LicenceWays(e.problem, e.licence_found, use.title);
      return c;
    }
    c.path = PathOf(e.place);
    c.have = e.have;
    c.need = e.need;
    c.condition = e.condition;
    if (e.provide) {
      c.type = dsl::TypeName(e.place.type, true);
      c.problem = e.wrong_type ? "wrong_type" : "missing";
    }
    if (e.has_example) c.example = ValueJson(e.example);
    return c;
  }

  const CompiledItem& item_;
  const CompiledPack& pack_;
  const Graph& g_;
  EvalState& st_;
  RunInputs run_;
  NodeContext ctx_;
  std::vector<uint32_t> binder_index_;  // per binder node: the element index bound, or UINT32_MAX
  std::vector<Value> saved_;
  size_t goals_ = 0;
  size_t rerun_nodes_ = 0;
  uint64_t loop_work_seen_ = 0;  // st_.loop_work already charged to rerun_nodes_
  bool bound_ = false;
  mutable std::vector<uint32_t> seen_;  // walks over the graph: the stamp of the last visit
  std::vector<std::optional<std::vector<Value>>> sorted_sets_;
  std::vector<uint32_t> licence_nodes_;  // the graph's licence lookups
  std::vector<const Value*> touched_;    // arrays of records and lists written into
  mutable size_t render_calls_ = 0;
  mutable uint32_t stamp_ = 0;
};

}  // namespace

void ComputeRemedies(const CompiledItem& item, const CompiledPack& pack, const RunInputs& run, EvalState& state,
                     std::vector<Remedy>* out) {
  Remedier(item, pack, run, state).Run(out);
}

}  // namespace miaopi::engine
