#include "verify/verify.h"

#include <rapidjson/document.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "dsl/date.h"
#include "engine/compile/pack.h"
#include "engine/include/miaopi/licences.h"
#include "engine/runtime/request.h"
#include "engine/testing/reference.h"

namespace miaopi::verify {

namespace {

// The licence library of a counterexample: the records it gives for each
// (type, key), and the lookups it does not answer (a library that is down).
// Records go in as they are — an unreadable one is a corrupt row of a real
// library — so this is not MemoryLicences, which refuses those.
class WitnessStore : public LicenceStore {
 public:
  explicit WitnessStore(const Witness& w) : failing_(w.failing_lookups.begin(), w.failing_lookups.end()) {
    for (size_t i = 0; i < w.licences.size() && i < w.licence_keys.size(); ++i) {
      records_[w.licence_keys[i]].push_back({w.licences[i], "counterexample licence " + std::to_string(i + 1)});
    }
  }
  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override {
    std::pair<std::string, std::string> k(type, key);
    if (failing_.count(k)) return false;
    auto it = records_.find(k);
    if (it != records_.end()) out->insert(out->end(), it->second.begin(), it->second.end());
    return true;
  }

 private:
  std::map<std::pair<std::string, std::string>, std::vector<LicenceRecord>> records_;
  std::set<std::pair<std::string, std::string>> failing_;
};

std::shared_ptr<LicenceStore> StoreOf(const Witness& w, std::string*) { return std::make_shared<WitnessStore>(w); }

// What the engine decides for a witness.
struct Run {
  bool ok = false;
  Record record;
  std::string json, error;
  std::shared_ptr<LicenceStore> store;
};

Run Decide(const std::shared_ptr<const Pack>& pack, const std::string& item, const Witness& w) {
  Run run;
  run.store = StoreOf(w, &run.error);
  if (!run.store) return run;
  Evaluator evaluator(pack, run.store);
  DecideOptions options;
  options.date = w.date;
  options.item = item;
  options.context = w.context;
  run.record = evaluator.Decide(w.application, options);
  run.json = ToJson(run.record);
  run.ok = run.record.ok;
  if (!run.ok) run.error = "the engine answered with an error record: " + run.json;
  return run;
}

// What an item version decides for a witness on its date, in force or not
// (the reference evaluator; verify --versions).
Run DecideWithVersion(const std::shared_ptr<const Pack>& pack, const dsl::ItemVersion& version, const Witness& w) {
  Run run;
  run.store = StoreOf(w, &run.error);
  rapidjson::Document app, context;
  app.Parse(w.application.c_str());
  context.Parse(w.context.c_str());
  engine::Request request;
  engine::ParseDate(w.date, &request.date);
  request.context = &context;
  engine::ReferenceEvaluator reference(pack->impl(), run.store.get());
  run.record = reference.DecideVersion(version, app, request);
  run.json = ToJson(run.record);
  run.ok = run.record.ok;
  if (!run.ok) run.error = "the reference evaluator answered with an error record: " + run.json;
  return run;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string Version(const dsl::ItemVersion& v) { return dsl::FormatIsoDate(v.effective); }

z3::solver MakeSolver(z3::context& ctx, unsigned timeout_ms) {
  z3::solver solver(ctx);
  z3::params p(ctx);
  p.set("timeout", timeout_ms);
  solver.set(p);
  return solver;
}

// Every rule encoded (so the domain holds all the definitions), smallest
// first: the order links are added in.
std::vector<std::pair<ItemEncoder*, size_t>> Links(const std::vector<ItemEncoder*>& encoders) {
  std::vector<std::tuple<size_t, ItemEncoder*, size_t>> sized;
  for (ItemEncoder* enc : encoders) {
    for (size_t r = 0; r < enc->rule_count(); ++r) sized.emplace_back(enc->RuleSize(r), enc, r);
  }
  std::stable_sort(sized.begin(), sized.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  std::vector<std::pair<ItemEncoder*, size_t>> links;
  for (const auto& [size, enc, r] : sized) links.emplace_back(enc, r);
  return links;
}

// Why the last question on this thread had no answer.
thread_local std::string last_unknown;
// Solvers a time limit interrupted: never asked again (see below).
thread_local std::set<Z3_solver> interrupted;

// Z3's search on strings and arithmetic swings by orders of magnitude with
// its random seed (the sample's ADULT: 3 s with one seed, over 60 with
// another). So a question is asked with a short time limit, then again with
// another seed and twice the limit, until `budget_ms` is spent: restarts
// that keep the worst case near the best. Once a solver has been
// interrupted, restarts run on a fresh solver over the same assertions:
// Z3 4.8.12 has crashed (a SEGV inside Z3_solver_check) when an interrupted
// solver was asked again. `model` receives the model of a sat answer.
z3::check_result CheckWithRestarts(z3::solver& solver, unsigned budget_ms, std::optional<z3::model>* model) {
  auto start = std::chrono::steady_clock::now();
  last_unknown = "the time limit (--timeout) ran out";
  unsigned limit = std::min(budget_ms, 2000u);
  for (unsigned seed = 0;; ++seed) {
    unsigned spent = static_cast<unsigned>(Seconds(start) * 1000);
    unsigned left = spent >= budget_ms ? 0 : budget_ms - spent;
    if (left == 0) return z3::unknown;
    // The solver itself while it has never been interrupted (it keeps what
    // it learnt); a fresh copy of its assertions after that.
    bool fresh = interrupted.count(static_cast<Z3_solver>(solver)) > 0;
    z3::solver attempt = solver;
    if (fresh) {
      attempt = z3::solver(solver.ctx());
      for (const z3::expr& a : solver.assertions()) attempt.add(a);
    }
    z3::params p(solver.ctx());
    p.set("timeout", std::min(limit, left));
    p.set("random_seed", seed);
    attempt.set(p);
    z3::check_result r = attempt.check();
    if (r == z3::sat && model != nullptr) *model = attempt.get_model();
    if (r != z3::unknown) return r;
    std::string why = attempt.reason_unknown();
    if (why != "timeout" && why != "canceled") {
      last_unknown = why;
      return r;
    }
    interrupted.insert(static_cast<Z3_solver>(solver));
    limit *= 2;
  }
}

// Lazy refinement: the rules' status variables start free (an
// over-approximation: unsat is already a proof); while the model breaks a
// link between a status variable and what its rule computes, the smallest
// such link is added. A model that breaks none is a real answer.
z3::check_result SolveLazily(z3::solver& solver, std::vector<std::pair<ItemEncoder*, size_t>> pending,
                             std::optional<z3::model>* model, unsigned budget_ms) {
  bool trace = std::getenv("MIAOPI_VERIFY_TRACE") != nullptr;
  auto begin = std::chrono::steady_clock::now();
  for (;;) {
    auto start = std::chrono::steady_clock::now();
    unsigned spent = static_cast<unsigned>(Seconds(begin) * 1000);
    std::optional<z3::model> found;
    z3::check_result r = CheckWithRestarts(solver, spent >= budget_ms ? 1 : budget_ms - spent, &found);
    if (trace) std::fprintf(stderr, "verify: check %.2f s\n", Seconds(start));
    if (r != z3::sat) return r;
    const z3::model& m = *found;
    auto broken = std::find_if(pending.begin(), pending.end(), [&](const auto& link) {
      return !m.eval(link.first->Link(link.second), true).is_true();
    });
    if (broken == pending.end()) {
      *model = m;
      return z3::sat;
    }
    if (trace) {
      std::fprintf(stderr, "verify: link rule %s\n", broken->first->item().decl->rules[broken->second].code.c_str());
    }
    solver.add(broken->first->Link(broken->second));
    pending.erase(broken);
  }
}

std::string Bound(const ItemEncoder& enc, const VerifyOptions& options) {
  if (!enc.has_lists()) return "";
  return "for lists of up to " + std::to_string(options.encode.list_bound) + " elements";
}

PropertyResult CheckProperty(const std::shared_ptr<const Pack>& pack, const dsl::PropertyCheck& check,
                             const VerifyOptions& options) {
  auto start = std::chrono::steady_clock::now();
  const engine::CompiledPack& compiled = pack->impl();
  const dsl::Program& program = *compiled.program;
  const dsl::ItemVersion& version = program.items[check.item];
  PropertyResult result;
  result.item = check.decl->item;
  result.version = Version(version);
  result.code = check.decl->code;
  result.description = check.decl->description;
  try {
    z3::context ctx;
    ItemEncoder enc(ctx, compiled, check.item, options.encode);
    Sym property = enc.Property(check.cond);
    std::vector<std::pair<ItemEncoder*, size_t>> links = Links({&enc});
    z3::solver solver = MakeSolver(ctx, options.timeout_ms);
    solver.add(enc.Domain());
    // A property holds where it is known and true; false or unknown breaks it.
    solver.add(enc.Defined(!(property.known && property.v)));
    result.approximations.assign(enc.approximations().begin(), enc.approximations().end());
    result.list_bound = enc.has_lists() ? options.encode.list_bound : 0;
    std::optional<z3::model> model;
    z3::check_result answer = SolveLazily(solver, links, &model, options.timeout_ms);
    if (answer == z3::unsat) {
      result.verdict = Verdict::kProved;
      result.why = Bound(enc, options);
    } else if (answer == z3::unknown) {
      result.verdict = Verdict::kUnknown;
      result.why = "the solver gave up: " + last_unknown;
    } else {
      // A model that reads well, if the property breaks there too.
      for (const z3::expr& nicer : enc.Plausible()) {
        solver.push();
        solver.add(nicer);
        std::optional<z3::model> nice;
        bool found = SolveLazily(solver, links, &nice, std::min(options.timeout_ms, 10000u)) == z3::sat;
        solver.pop();
        if (found) {
          model = nice;
          break;
        }
      }
      Counterexample cx;
      cx.witness = enc.Read(*model);
      Run run = Decide(pack, version.decl->code, cx.witness);
      cx.record = run.json;
      bool confirmed = false;
      if (run.ok) {
        rapidjson::Document app, context;
        app.Parse(cx.witness.application.c_str());
        context.Parse(cx.witness.context.c_str());
        engine::Request request;
        engine::ParseDate(cx.witness.date, &request.date);
        request.context = &context;
        engine::ReferenceEvaluator reference(compiled, run.store.get());
        engine::ExprValue value =
            reference.Evaluate(version, check.cond, app, request, nullptr, 500, &run.record.decision);
        bool holds = value.known && value.value == "true";
        confirmed = !holds;
        cx.property_value = value.known ? value.value : "unknown";
        if (!value.known && !value.missing.empty()) {
          cx.property_value += " (missing: ";
          for (size_t i = 0; i < value.missing.size(); ++i) cx.property_value += (i ? ", " : "") + value.missing[i];
          cx.property_value += ")";
        }
      }
      if (confirmed) {
        result.verdict = Verdict::kViolated;
      } else {
        result.verdict = Verdict::kUnknown;
        if (!result.approximations.empty()) {
          result.why =
              "the solver's counterexample relies on a construct encoded by over-approximation and does "
              "not hold in the engine";
        } else {
          result.encoding_bug = true;
          result.why = "BUG in miaopi's encoding: the solver's counterexample does not confirm in the engine" +
                       (run.error.empty() ? std::string() : " (" + run.error + ")");
        }
      }
      result.counterexample = std::move(cx);
    }
  } catch (const NotEncoded& e) {
    result.verdict = Verdict::kUnknown;
    result.why = std::string("not encoded: ") + e.what();
  } catch (const z3::exception& e) {
    result.verdict = Verdict::kUnknown;
    result.why = std::string("the solver failed: ") + e.msg();
  }
  result.seconds = Seconds(start);
  return result;
}

template <typename F>
void ForEach(size_t n, unsigned threads, F&& f) {
  tbb::task_arena arena(threads == 0 ? tbb::task_arena::automatic : static_cast<int>(threads));
  arena.execute([&] { tbb::parallel_for(size_t{0}, n, [&](size_t i) { f(i); }); });
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kProved: return "proved";
    case Verdict::kViolated: return "violated";
    case Verdict::kUnknown: return "unknown";
  }
  return "unknown";
}

std::vector<PropertyResult> VerifyProperties(const std::shared_ptr<const Pack>& pack, const VerifyOptions& options) {
  const dsl::Program& program = *pack->impl().program;
  std::vector<const dsl::PropertyCheck*> chosen;
  for (const dsl::PropertyCheck& check : program.properties) {
    if (!check.ok) continue;
    if (!options.item.empty() && check.decl->item != options.item) continue;
    if (!options.property.empty() && check.decl->code != options.property) continue;
    chosen.push_back(&check);
  }
  std::vector<PropertyResult> results(chosen.size());
  ForEach(chosen.size(), options.threads, [&](size_t i) { results[i] = CheckProperty(pack, *chosen[i], options); });
  return results;
}

// ---------------------------------------------------------------- lint

std::vector<LintFinding> Lint(const std::shared_ptr<const Pack>& pack, const VerifyOptions& options) {
  const engine::CompiledPack& compiled = pack->impl();
  const dsl::Program& program = *compiled.program;
  std::vector<size_t> items;
  for (size_t i = 0; i < program.items.size(); ++i) {
    if (options.item.empty() || program.items[i].decl->code == options.item) items.push_back(i);
  }
  std::vector<std::vector<LintFinding>> per_item(items.size());
  ForEach(items.size(), options.threads, [&](size_t k) {
    const dsl::ItemVersion& version = program.items[items[k]];
    std::vector<LintFinding>& out = per_item[k];
    auto finding = [&](std::string kind, std::string message) {
      LintFinding f;
      f.item = version.decl->code;
      f.version = Version(version);
      f.kind = std::move(kind);
      f.message = std::move(message);
      return f;
    };
    try {
      z3::context ctx;
      ItemEncoder enc(ctx, compiled, items[k], options.encode);
      size_t rules = version.decl->rules.size();
      std::vector<z3::expr> status;
      for (size_t r = 0; r < rules; ++r) status.push_back(enc.ExactStatus(r));
      z3::expr decision = enc.Decision();
      std::vector<std::pair<ItemEncoder*, size_t>> links = Links({&enc});
      z3::solver solver = MakeSolver(ctx, options.timeout_ms);
      solver.add(enc.Domain());
      bool exact = enc.approximations().empty();
      // Whether `claim` can happen: false is a proof that it never does. A
      // claim on the decision links rules lazily; one on a rule's own status
      // needs no other rule.
      auto possible = [&](const z3::expr& claim, bool* undecided, bool lazily = false) {
        solver.push();
        solver.add(enc.Defined(claim));
        std::optional<z3::model> model;
        z3::check_result r = lazily ? SolveLazily(solver, links, &model, options.timeout_ms)
                                    : CheckWithRestarts(solver, options.timeout_ms, nullptr);
        solver.pop();
        *undecided = r == z3::unknown;
        return r != z3::unsat;
      };
      std::string bound = Bound(enc, options);
      std::string under = bound.empty() ? "" : " (" + bound + ")";
      bool undecided = false;
      if (!possible(decision == 0, &undecided, true) && !undecided) {
        out.push_back(finding("never_approves", "no application is ever approved" + under));
      }
      std::vector<bool> can_pass(rules), can_fail(rules);
      for (size_t r = 0; r < rules; ++r) {
        const std::string& code = version.decl->rules[r].code;
        bool u1 = false, u2 = false, u3 = false;
        can_pass[r] = possible(status[r] == 0, &u1);
        can_fail[r] = possible(status[r] == 1, &u2);
        bool can_be_known = possible(status[r] != 2, &u3);
        if (!can_be_known && !u3) {
          LintFinding f = finding("rule_always_unknown", "rule " + code + " is unknown for every application" + under);
          f.rule = code;
          out.push_back(f);
          continue;
        }
        if (!can_fail[r] && !u2) {
          LintFinding f = finding("rule_never_fails", "rule " + code + " never fails: it is redundant" + under);
          f.rule = code;
          out.push_back(f);
        }
        if (!can_pass[r] && !u1) {
          LintFinding f = finding("rule_never_passes", "rule " + code + " never passes" + under);
          f.rule = code;
          out.push_back(f);
        }
      }
      for (size_t a = 0; a < rules; ++a) {
        for (size_t b = 0; b < rules; ++b) {
          if (a == b || !can_pass[a] || !can_pass[b] || !can_fail[a] || !can_fail[b]) continue;
          bool u = false;
          // b passes whenever a passes: b adds nothing once a holds.
          if (!possible(status[a] == 0 && status[b] != 0, &u) && !u) {
            const std::string &ca = version.decl->rules[a].code, &cb = version.decl->rules[b].code;
            LintFinding f = finding("rule_implied", "rule " + cb + " passes whenever rule " + ca + " passes" + under);
            f.rule = ca;
            f.other_rule = cb;
            out.push_back(f);
          }
        }
      }
      if (!exact) {
        for (LintFinding& f : out) {
          f.message += " — under an over-approximation of: ";
          size_t n = 0;
          for (const std::string& a : enc.approximations()) f.message += (n++ ? ", " : "") + a;
        }
      }
    } catch (const NotEncoded& e) {
      out.push_back(finding("unknown", std::string("not encoded: ") + e.what()));
    } catch (const z3::exception& e) {
      out.push_back(finding("unknown", std::string("the solver failed: ") + e.msg()));
    }
  });
  std::vector<LintFinding> all;
  for (auto& v : per_item) all.insert(all.end(), v.begin(), v.end());
  // Decision-table rows no arguments ever select (once per table, over any
  // values of its parameters' types).
  if (!program.items.empty() && options.item.empty()) {
    for (uint32_t d = 0; d < program.decisions.size(); ++d) {
      const dsl::DecisionDecl& decl = *program.decisions[d];
      LintFinding f;
      f.decision = decl.name;
      try {
        z3::context ctx;
        ItemEncoder enc(ctx, compiled, 0, options.encode);
        std::vector<z3::expr> rows = enc.RowsChosen(d);
        z3::solver solver = MakeSolver(ctx, options.timeout_ms);
        solver.add(enc.Domain());
        for (size_t r = 0; r < rows.size(); ++r) {
          solver.push();
          solver.add(enc.Defined(rows[r]));
          z3::check_result answer = CheckWithRestarts(solver, options.timeout_ms, nullptr);
          solver.pop();
          if (answer != z3::unsat) continue;
          f.kind = "row_never_matches";
          f.row = static_cast<int>(r) + 1;
          f.message = "row " + std::to_string(r + 1) + " of decision table " + decl.name +
                      (decl.hit == dsl::HitPolicy::kFirst ? " is never the first row to match" : " never matches");
          all.push_back(f);
        }
      } catch (const NotEncoded& e) {
        f.kind = "unknown";
        f.message = "decision table " + decl.name + ": not encoded: " + e.what();
        all.push_back(f);
      } catch (const z3::exception& e) {
        f.kind = "unknown";
        f.message = "decision table " + decl.name + ": the solver failed: " + e.msg();
        all.push_back(f);
      }
    }
  }
  return all;
}

// ---------------------------------------------------------------- equivalence

// Compares two item versions (of two packs, or of one pack with `versions`)
// on one application, context, library and date.
EquivalenceResult ComparePair(const std::shared_ptr<const Pack>& old_pack, size_t old_item,
                              const std::shared_ptr<const Pack>& new_pack, size_t new_item, bool versions,
                              const VerifyOptions& options) {
  const dsl::ItemVersion& nv = new_pack->impl().program->items[new_item];
  const dsl::ItemVersion& ov = old_pack->impl().program->items[old_item];
  EquivalenceResult result;
  result.item = nv.decl->code;
  result.old_version = Version(ov);
  result.new_version = Version(nv);
  try {
    z3::context ctx;
    // The same names give the same Z3 constants: both encoders read one
    // application, context, date and licence library.
    EncodeOptions old_options = options.encode, new_options = options.encode;
    old_options.tag = "old";
    // Versions of one item are compared on the newer one's dates.
    old_options.date_in_validity = !versions;
    new_options.tag = "new";
    ItemEncoder old_enc(ctx, old_pack->impl(), old_item, old_options);
    ItemEncoder new_enc(ctx, new_pack->impl(), new_item, new_options);
    z3::expr d_old = old_enc.Decision(), d_new = new_enc.Decision();
    std::vector<std::pair<ItemEncoder*, size_t>> links = Links({&old_enc, &new_enc});
    z3::solver solver = MakeSolver(ctx, options.timeout_ms);
    solver.add(old_enc.Domain());
    solver.add(new_enc.Domain());
    result.list_bound = old_enc.has_lists() || new_enc.has_lists() ? options.encode.list_bound : 0;
    bool exact = old_enc.approximations().empty() && new_enc.approximations().empty();
    // Rules both packs compute alike (one Z3 term) have one status: implied
    // by the links, and it spares the solver proving it rule by rule. The
    // rules that differ are linked first: a change can only come from them.
    std::set<std::pair<ItemEncoder*, size_t>> shared;
    for (size_t o = 0; o < old_enc.rule_count(); ++o) {
      for (size_t n = 0; n < new_enc.rule_count(); ++n) {
        if (old_enc.ExactStatus(o).id() == new_enc.ExactStatus(n).id()) {
          solver.add(old_enc.RuleStatus(o) == new_enc.RuleStatus(n));
          shared.emplace(&old_enc, o);
          shared.emplace(&new_enc, n);
        }
      }
    }
    std::stable_partition(links.begin(), links.end(), [&](const auto& link) { return !shared.count(link); });
    bool any_unknown = false;
    for (int from = 0; from < 3; ++from) {
      for (int to = 0; to < 3; ++to) {
        if (from == to) continue;
        solver.push();
        solver.add(d_old == from && d_new == to);
        std::optional<z3::model> model;
        z3::check_result answer = SolveLazily(solver, links, &model, options.timeout_ms);
        if (answer == z3::unknown) {
          any_unknown = true;
          result.why = "the solver gave up: " + last_unknown;
        } else if (answer == z3::sat) {
          Change change;
          change.item = result.item;
          change.from = static_cast<Outcome>(from);
          change.to = static_cast<Outcome>(to);
          // Both encoders name the inputs alike; the new one reads them all
          // back (a field only the old pack has is not read by the new).
          change.witness = new_enc.Read(*model);
          Witness old_view = old_enc.Read(*model);
          if (old_view.application.size() > change.witness.application.size()) {
            change.witness.application = old_view.application;
          }
          for (const std::string& l : old_view.licences) change.witness.licences.push_back(l);
          for (const auto& k : old_view.licence_keys) change.witness.licence_keys.push_back(k);
          for (const auto& f : old_view.failing_lookups) change.witness.failing_lookups.push_back(f);
          // The older version of one pack is not in force on that date: the
          // reference evaluator decides with it anyway.
          Run old_run = versions ? DecideWithVersion(old_pack, ov, change.witness)
                                 : Decide(old_pack, result.item, change.witness);
          Run new_run = Decide(new_pack, result.item, change.witness);
          change.old_record = old_run.ok ? old_run.json : old_run.error;
          change.new_record = new_run.ok ? new_run.json : new_run.error;
          change.confirmed = old_run.ok && new_run.ok && old_run.record.decision.decision == change.from &&
                             new_run.record.decision.decision == change.to;
          if (!change.confirmed && exact) result.encoding_bug = true;
          result.changes.push_back(std::move(change));
        }
        solver.pop();
      }
    }
    bool confirmed_change = false;
    for (const Change& c : result.changes) confirmed_change |= c.confirmed;
    if (confirmed_change) {
      result.verdict = Verdict::kViolated;
    } else if (result.changes.empty() && !any_unknown) {
      result.verdict = Verdict::kProved;
      result.why = Bound(new_enc, options);
    } else {
      result.verdict = Verdict::kUnknown;
      if (result.encoding_bug)
        result.why = "BUG in miaopi's encoding: a change the engine does not confirm";
      else if (result.why.empty())
        result.why = "a change found under an over-approximation does not confirm";
    }
  } catch (const NotEncoded& e) {
    result.verdict = Verdict::kUnknown;
    result.why = std::string("not encoded: ") + e.what();
  } catch (const z3::exception& e) {
    result.verdict = Verdict::kUnknown;
    result.why = std::string("the solver failed: ") + e.msg();
  }
  return result;
}

std::vector<EquivalenceResult> Equivalent(const std::shared_ptr<const Pack>& old_pack,
                                          const std::shared_ptr<const Pack>& new_pack, const VerifyOptions& options) {
  const dsl::Program& old_program = *old_pack->impl().program;
  const dsl::Program& new_program = *new_pack->impl().program;
  // Every pair of versions of one item code whose validity overlaps.
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t n = 0; n < new_program.items.size(); ++n) {
    const dsl::ItemVersion& nv = new_program.items[n];
    if (!options.item.empty() && nv.decl->code != options.item) continue;
    for (size_t o = 0; o < old_program.items.size(); ++o) {
      const dsl::ItemVersion& ov = old_program.items[o];
      if (ov.decl->code != nv.decl->code) continue;
      int32_t far = dsl::DaysFromCivil({dsl::kMaxYear, 12, 31});
      if (std::max(ov.effective, nv.effective) <= std::min(ov.until.value_or(far), nv.until.value_or(far))) {
        pairs.emplace_back(o, n);
      }
    }
  }
  std::vector<EquivalenceResult> results(pairs.size());
  ForEach(pairs.size(), options.threads, [&](size_t k) {
    results[k] = ComparePair(old_pack, pairs[k].first, new_pack, pairs[k].second, false, options);
  });
  return results;
}

std::vector<EquivalenceResult> CompareVersions(const std::shared_ptr<const Pack>& pack, const VerifyOptions& options) {
  const dsl::Program& program = *pack->impl().program;
  // Each version against the one before it (by effective date).
  std::map<std::string, std::vector<size_t>> by_code;
  for (size_t i = 0; i < program.items.size(); ++i) {
    if (options.item.empty() || program.items[i].decl->code == options.item) {
      by_code[program.items[i].decl->code].push_back(i);
    }
  }
  std::vector<std::pair<size_t, size_t>> pairs;
  for (auto& [code, versions] : by_code) {
    std::sort(versions.begin(), versions.end(),
              [&](size_t a, size_t b) { return program.items[a].effective < program.items[b].effective; });
    for (size_t v = 1; v < versions.size(); ++v) pairs.emplace_back(versions[v - 1], versions[v]);
  }
  std::vector<EquivalenceResult> results(pairs.size());
  ForEach(pairs.size(), options.threads,
          [&](size_t k) { results[k] = ComparePair(pack, pairs[k].first, pack, pairs[k].second, true, options); });
  return results;
}

}  // namespace miaopi::verify
