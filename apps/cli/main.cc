// miaopi: check, evaluate, batch-run, test and inspect rule packs.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <functional>

#include "apps/cli/cli.h"
#include "apps/cli/output.h"

int main(int argc, char** argv) {
  using namespace miaopi::cli;
  InstallStdout();
  CLI::App app{"miaopi — instant approval rule engine (秒批)", "miaopi"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "miaopi 0.1.0");
  std::string log_level = "warn";
  std::string color = "auto";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off (to stderr)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--color", color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  Common common;
  int exit_code = kOk;
  AddCheck(app, common, &exit_code);
  AddEval(app, common, &exit_code);
  AddNotice(app, common, &exit_code);
  AddBatch(app, common, &exit_code);
  AddTest(app, common, &exit_code);
  AddGraph(app, common, &exit_code);
  AddLicences(app, common, &exit_code);
  AddRepl(app, common, &exit_code);
  AddBench(app, common, &exit_code);
  AddServe(app, common, &exit_code);
  AddJournal(app, common, &exit_code);
  AddReplay(app, common, &exit_code);
  AddDiff(app, common, &exit_code);
  AddVerify(app, common, &exit_code);
  AddScale(app, common, &exit_code);
  app.parse_complete_callback([&] {
    // An option given an empty value (`--date ""`, `--licences ""`) is a
    // mistake, not a request for the default: every command refuses it.
    std::function<void(CLI::App*)> refuse_empty = [&](CLI::App* sub) {
      for (const CLI::Option* opt : sub->get_options()) {
        if (opt->count() == 0 || opt->get_type_size() == 0) continue;
        for (const std::string& value : opt->results()) {
          if (value.empty()) throw CLI::ValidationError(opt->get_name(), "an empty value is not allowed");
        }
      }
      for (CLI::App* nested : sub->get_subcommands()) refuse_empty(nested);
    };
    for (CLI::App* sub : app.get_subcommands()) refuse_empty(sub);
    auto logger = spdlog::stderr_color_mt("miaopi");
    logger->set_level(spdlog::level::from_str(log_level));
    logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
    spdlog::set_default_logger(logger);
    miaopi::SetWarningSink([](const std::string& message) { spdlog::warn("{}", message); });
    common.color = color == "always" || (color == "auto" && StderrIsTerminal());
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return FinishOutput(code == 0 ? kOk : kUsage);
  }
  return FinishOutput(exit_code);
}
