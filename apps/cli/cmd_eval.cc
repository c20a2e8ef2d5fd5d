// miaopi eval PACK APP.json — decide one application.
#include <iostream>

#include "apps/cli/cli.h"

namespace miaopi::cli {

namespace {

struct EvalOptions {
  std::string app;
  std::string date;
  std::string item;
  bool explain = false;
  bool json = false;
};

void PrintHuman(const Record& r) {
  if (!r.ok) {
    std::cout << "error " << r.error.code << ": " << r.error.message << "\n";
    return;
  }
  const Decision& d = r.decision;
  const char* color = d.decision == Outcome::kApprove ? "\033[1;32m" : d.decision == Outcome::kReview ? "\033[1;33m" : "\033[1;31m";
  std::cout << color << OutcomeName(d.decision) << "\033[0m  " << d.item << " " << d.item_title << " (effective "
            << d.item_effective << ") on " << d.date;
  if (!d.id_json.empty()) std::cout << "  id " << d.id_json;
  std::cout << "\n";
  for (const Reason& reason : d.reasons) {
    std::cout << "  " << reason.rule << "  " << RuleStatusName(reason.status) << " → " << OutcomeName(reason.outcome)
              << "  " << reason.message << "\n";
    if (!reason.basis.empty()) std::cout << "      basis: " << reason.basis << "\n";
    for (const std::string& m : reason.missing) std::cout << "      missing: " << m << "\n";
    for (const std::string& n : reason.notes) std::cout << "      note: " << n << "\n";
  }
  if (!d.outputs.empty()) {
    std::cout << "outputs:";
    for (const auto& [name, value] : d.outputs) std::cout << " " << name << " = " << value;
    std::cout << "\n";
  }
  if (!d.trace.empty()) {
    std::cout << "trace:\n";
    for (const TraceRule& t : d.trace) {
      std::cout << "  " << t.rule << "  " << RuleStatusName(t.status) << "\n";
      for (const std::string& f : t.facts) std::cout << "      " << f << "\n";
    }
  }
  std::cout << "pack " << d.pack.name << " " << d.pack.version << " " << d.pack.hash << "\n";
}

int Run(const Common& common, const EvalOptions& options) {
  DecideOptions decide;
  if (!ResolveDate(options.date, &decide.date)) return kUsage;
  decide.explain = options.explain;
  decide.item = options.item;
  if (!ContextJson(common, &decide.context)) return kUsage;
  std::shared_ptr<LicenceStore> licences;
  if (!OpenLicences(common, &licences)) return kIoError;
  std::string text;
  if (!ReadInput(options.app, &text)) {
    std::cerr << "miaopi: cannot read " << options.app << "\n";
    return kIoError;
  }
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  Evaluator evaluator(pack, licences);
  Record record = evaluator.Decide(text, decide);
  if (options.json || !StdoutIsTerminal()) {
    std::cout << ToJson(record) << "\n";
  } else {
    PrintHuman(record);
  }
  return record.ok ? kOk : kFindings;
}

}  // namespace

void AddEval(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "Decide one application; the decision record goes to stdout");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("APP", options->app, "application JSON file, or - for stdin")->required();
  cmd->add_option("--date", options->date, "evaluation date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--item", options->item, "decide as this item (default: the application's \"item\")");
  cmd->add_flag("--explain", options->explain, "add a trace: every rule with the values that decided it");
  cmd->add_flag("--json", options->json, "JSON even on a terminal");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  AddContextOptions(cmd, common);
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
