// miaopi test PACK — run the pack's own test cases.
#include <iostream>

#include "apps/cli/cli.h"
#include "engine/pack_tests.h"

namespace miaopi::cli {

namespace {

struct TestOptions {
  std::string filter;
};

int Run(const Common& common, const TestOptions& options) {
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  TestReport report = RunPackTests(pack, common.pack_dir, options.filter);
  const char* red = common.color ? "\033[1;31m" : "";
  const char* green = common.color ? "\033[1;32m" : "";
  const char* reset = common.color ? "\033[0m" : "";
  for (const std::string& p : report.problems) std::cout << red << "ERROR" << reset << " " << p << "\n";
  for (const TestFailure& f : report.failures) {
    std::cout << red << "FAIL" << reset << " " << f.file << ": " << f.name << "\n";
    for (const std::string& line : f.lines) std::cout << "    " << line << "\n";
  }
  std::cout << (report.failed ? red : green) << report.passed << " passed, " << report.failed << " failed" << reset
            << "\n";
  return report.failed > 0 ? kFindings : kOk;
}

}  // namespace

void AddTest(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<TestOptions>();
  CLI::App* cmd = app.add_subcommand("test", "Run the pack's test cases (PACK/tests/*.json); exit 1 on any failure");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("--filter", options->filter, "only cases whose name contains this");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
