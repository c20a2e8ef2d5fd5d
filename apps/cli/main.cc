// miaopi: check, evaluate, batch-run, test and inspect rule packs.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "apps/cli/cli.h"

int main(int argc, char** argv) {
  using namespace miaopi::cli;
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
  AddBatch(app, common, &exit_code);
  AddTest(app, common, &exit_code);
  AddGraph(app, common, &exit_code);
  AddLicences(app, common, &exit_code);
  AddRepl(app, common, &exit_code);
  AddBench(app, common, &exit_code);
  app.parse_complete_callback([&] {
    auto logger = spdlog::stderr_color_mt("miaopi");
    logger->set_level(spdlog::level::from_str(log_level));
    logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
    spdlog::set_default_logger(logger);
    common.color = color == "always" || (color == "auto" && StderrIsTerminal());
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }
  return exit_code;
}
