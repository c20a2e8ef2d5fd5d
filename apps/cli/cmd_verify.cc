// miaopi verify PACK [--item CODE] [--property CODE] [--json]
// miaopi verify PACK --lint
// miaopi verify --equivalent OLD_PACK NEW_PACK [--item CODE]
// Proves a pack's properties with Z3, or shows an application that breaks
// them, confirmed by the engine (docs/verify.md).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iostream>

#include "apps/cli/cli.h"
#include "verify/report_json.h"
#include "verify/verify.h"

namespace miaopi::cli {

namespace {

struct VerifyFlags {
  std::string item, property;
  bool json = false, lint = false, versions = false;
  std::vector<std::string> equivalent;
  uint32_t list_bound = 3;
  double timeout = 60;
  unsigned threads = 0;
};

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void PrintWitness(const verify::Witness& x) {
  std::cout << "    application: " << x.application << "\n";
  std::cout << "    context:     " << x.context << "\n";
  std::cout << "    date:        " << x.date << "\n";
  for (const std::string& l : x.licences) std::cout << "    licence:     " << l << "\n";
  for (const auto& [type, key] : x.failing_lookups) {
    std::cout << "    the licence library does not answer for " << type << " " << key << "\n";
  }
}

int Properties(const std::shared_ptr<const Pack>& pack, const VerifyFlags& flags,
               const verify::VerifyOptions& options) {
  std::vector<verify::PropertyResult> results = verify::VerifyProperties(pack, options);
  if (results.empty()) {
    std::cerr << "miaopi: no property to verify"
              << (flags.item.empty() && flags.property.empty() ? " (the pack declares none)" : " matches") << "\n";
    return flags.item.empty() && flags.property.empty() ? kOk : kUsage;
  }
  int exit_code = kOk;
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  size_t proved = 0, violated = 0, unknown = 0;
  for (const verify::PropertyResult& r : results) {
    if (r.verdict != verify::Verdict::kProved) exit_code = kFindings;
    (r.verdict == verify::Verdict::kProved ? proved : r.verdict == verify::Verdict::kViolated ? violated : unknown)++;
    if (r.encoding_bug) std::cerr << "miaopi: " << r.item << " " << r.code << ": " << r.why << "\n";
    if (flags.json) {
      verify::WritePropertyResult(w, r);
      continue;
    }
    std::cout << r.item << " (" << r.version << ") " << r.code << " " << r.description << ": "
              << verify::VerdictName(r.verdict);
    if (!r.why.empty()) std::cout << " — " << r.why;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " [%.2f s]", r.seconds);
    std::cout << seconds << "\n";
    if (!r.approximations.empty()) {
      std::cout << "    over-approximated (a proof stands; a counterexample is checked in the engine):";
      for (const std::string& a : r.approximations) std::cout << " " << a << ";";
      std::cout << "\n";
    }
    if (r.counterexample) {
      std::cout << "  counterexample" << (r.verdict == verify::Verdict::kViolated ? " (confirmed by the engine)" : "")
                << ":\n";
      PrintWitness(r.counterexample->witness);
      std::cout << "    the engine decided: " << r.counterexample->record << "\n";
      std::cout << "    the property is: " << r.counterexample->property_value << "\n";
    }
  }
  w.EndArray();
  if (flags.json) {
    std::cout << buf.GetString() << "\n";
  } else {
    std::cout << proved << " proved, " << violated << " violated, " << unknown << " unknown\n";
  }
  return exit_code;
}

int LintPack(const std::shared_ptr<const Pack>& pack, const VerifyFlags& flags, const verify::VerifyOptions& options) {
  std::vector<verify::LintFinding> findings = verify::Lint(pack, options);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const verify::LintFinding& f : findings) {
    if (flags.json) {
      w.StartObject();
      if (!f.item.empty()) {
        Str(w, "item", f.item);
        Str(w, "version", f.version);
      }
      if (!f.decision.empty()) Str(w, "decision", f.decision);
      if (f.row > 0) {
        w.Key("row");
        w.Int(f.row);
      }
      Str(w, "kind", f.kind);
      if (!f.rule.empty()) Str(w, "rule", f.rule);
      if (!f.other_rule.empty()) Str(w, "implied_rule", f.other_rule);
      Str(w, "message", f.message);
      w.EndObject();
    } else {
      if (f.item.empty()) {
        std::cout << "decision " << f.decision << " " << f.kind << ": " << f.message << "\n";
      } else {
        std::cout << f.item << " (" << f.version << ") " << f.kind << ": " << f.message << "\n";
      }
    }
  }
  w.EndArray();
  if (flags.json) {
    std::cout << buf.GetString() << "\n";
  } else {
    std::cout << findings.size() << (findings.size() == 1 ? " finding" : " findings")
              << (findings.empty() ? "" : ", each proved for every application") << "\n";
  }
  return findings.empty() ? kOk : kFindings;
}

int PrintChanges(const std::vector<verify::EquivalenceResult>& results, const VerifyFlags& flags) {
  int exit_code = kOk;
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const verify::EquivalenceResult& r : results) {
    if (r.verdict != verify::Verdict::kProved) exit_code = kFindings;
    if (flags.json) {
      w.StartObject();
      Str(w, "item", r.item);
      Str(w, "old_version", r.old_version);
      Str(w, "new_version", r.new_version);
      Str(w, "result",
          r.verdict == verify::Verdict::kProved     ? "equivalent"
          : r.verdict == verify::Verdict::kViolated ? "different"
                                                    : "unknown");
      if (!r.why.empty()) Str(w, "why", r.why);
      w.Key("changes");
      w.StartArray();
      for (const verify::Change& c : r.changes) {
        w.StartObject();
        Str(w, "from", OutcomeName(c.from));
        Str(w, "to", OutcomeName(c.to));
        w.Key("confirmed");
        w.Bool(c.confirmed);
        verify::WriteWitness(w, c.witness);
        Str(w, "old_record", c.old_record);
        Str(w, "new_record", c.new_record);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
      continue;
    }
    std::cout << r.item << " (" << r.old_version << " → " << r.new_version << "): "
              << (r.verdict == verify::Verdict::kProved     ? "equivalent"
                  : r.verdict == verify::Verdict::kViolated ? "different"
                                                            : "unknown");
    if (!r.why.empty()) std::cout << " — " << r.why;
    std::cout << "\n";
    for (const verify::Change& c : r.changes) {
      std::cout << "  " << OutcomeName(c.from) << " → " << OutcomeName(c.to)
                << (c.confirmed ? " (confirmed: each side decided so)" : " (NOT confirmed)") << ":\n";
      PrintWitness(c.witness);
      std::cout << "    old pack: " << c.old_record << "\n    new pack: " << c.new_record << "\n";
    }
  }
  w.EndArray();
  if (flags.json) std::cout << buf.GetString() << "\n";
  return exit_code;
}

int Equivalence(const Common& common, const VerifyFlags& flags, const verify::VerifyOptions& options) {
  std::shared_ptr<const Pack> packs[2];
  for (int i = 0; i < 2; ++i) {
    Common one = common;
    one.pack_dir = flags.equivalent[i];
    int exit_code = kOk;
    packs[i] = LoadOrReport(one, &exit_code);
    if (!packs[i]) return exit_code;
  }
  std::vector<verify::EquivalenceResult> results = verify::Equivalent(packs[0], packs[1], options);
  if (results.empty()) {
    std::cerr << "miaopi: the two packs have no item version in force on a common date\n";
    return kFindings;
  }
  return PrintChanges(results, flags);
}

int Run(const Common& common, const VerifyFlags& flags) {
  verify::VerifyOptions options;
  options.item = flags.item;
  options.property = flags.property;
  options.encode.list_bound = flags.list_bound;
  options.timeout_ms = static_cast<unsigned>(flags.timeout * 1000);
  options.threads = flags.threads;
  if (!flags.equivalent.empty()) {
    if (!common.pack_dir.empty() || flags.lint || flags.versions || !flags.property.empty()) {
      std::cerr << "miaopi: --equivalent OLD NEW takes the two packs instead of PACK, and no --lint or --property\n";
      return kUsage;
    }
    return Equivalence(common, flags, options);
  }
  if (common.pack_dir.empty()) {
    std::cerr << "miaopi: verify needs a PACK (or --equivalent OLD NEW)\n";
    return kUsage;
  }
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  if (flags.lint) return LintPack(pack, flags, options);
  if (flags.versions) {
    std::vector<verify::EquivalenceResult> results = verify::CompareVersions(pack, options);
    if (results.empty()) {
      std::cerr << "miaopi: no item of the pack has two versions" << (flags.item.empty() ? "" : " (with --item)")
                << "\n";
      return kFindings;
    }
    return PrintChanges(results, flags);
  }
  return Properties(pack, flags, options);
}

}  // namespace

void AddVerify(CLI::App& app, Common& common, int* exit_code) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Prove the pack's properties for every application, or show one that breaks them (Z3)");
  cmd->add_option("PACK", common.pack_dir, "pack folder");
  cmd->add_option("--item", flags->item, "only this item code");
  cmd->add_option("--property", flags->property, "only this property code");
  cmd->add_flag("--json", flags->json, "one JSON array of results on stdout");
  cmd->add_flag("--lint", flags->lint,
                "built-in checks instead of the properties: items that never approve, rules that never fail, never "
                "pass or are always unknown, rules implied by others");
  cmd->add_flag("--versions", flags->versions,
                "each item version against the one before it, on the newer one's dates: does it decide alike?");
  cmd->add_option("--equivalent", flags->equivalent, "OLD_PACK NEW_PACK: do the two packs decide alike?")->expected(2);
  cmd->add_option("--list-bound", flags->list_bound, "lists hold at most this many elements (default 3)")
      ->check(CLI::Range(0, 16));
  cmd->add_option("--timeout", flags->timeout, "seconds per solver question (default 60)")
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_option("--threads", flags->threads, "properties verified at once (default: one per core)");
  cmd->callback([&common, flags, exit_code] { *exit_code = Run(common, *flags); });
}

}  // namespace miaopi::cli
