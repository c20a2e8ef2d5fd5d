// miaopi test PACK — run the pack's own test cases and report rule coverage.
#include <iostream>

#include "apps/cli/cli.h"
#include "engine/testing/pack_tests.h"

namespace miaopi::cli {

namespace {

struct TestCliOptions {
  std::string filter;
  bool require_coverage = false;
};

int Run(const Common& common, const TestCliOptions& options) {
  TestOptions test;
  test.filter = options.filter;
  if (!OpenLicences(common, &test.licences)) return kIoError;
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  TestReport report = RunPackTests(pack, common.pack_dir, test);
  const char* red = common.color ? "\033[1;31m" : "";
  const char* green = common.color ? "\033[1;32m" : "";
  const char* yellow = common.color ? "\033[1;33m" : "";
  const char* reset = common.color ? "\033[0m" : "";
  for (const std::string& p : report.problems) std::cout << red << "ERROR" << reset << " " << p << "\n";
  for (const TestFailure& f : report.failures) {
    std::cout << red << "FAIL" << reset << " " << f.file << ": " << f.name << "\n";
    for (const std::string& line : f.lines) std::cout << "    " << line << "\n";
  }
  size_t covered = report.Covered(), total = report.coverage.size();
  if (options.filter.empty() && total > 0) {
    std::cout << (covered == total ? green : yellow) << "rule coverage: " << covered << "/" << total
              << " rules seen passing and not passing (" << (100 * covered / total) << "%)" << reset << "\n";
    for (const RuleCoverage& c : report.coverage) {
      if (c.passed && c.not_passed) continue;
      std::cout << "    " << c.item << " (" << c.effective << ") " << c.rule << ": never "
                << (!c.passed && !c.not_passed ? "decided"
                    : !c.passed                ? "passed"
                                               : "failed or unknown")
                << "\n";
    }
  }
  std::cout << (report.failed ? red : green) << report.passed << " passed, " << report.failed << " failed" << reset
            << "\n";
  if (report.failed > 0) return kFindings;
  if (options.require_coverage && covered < total) return kFindings;
  return kOk;
}

}  // namespace

void AddTest(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<TestCliOptions>();
  CLI::App* cmd = app.add_subcommand("test", "Run the pack's test cases (PACK/tests/*.json); exit 1 on any failure");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("--filter", options->filter, "only cases whose name contains this");
  cmd->add_flag("--require-coverage", options->require_coverage,
                "exit 1 unless every rule was seen passing and not passing");
  cmd->add_option("--licences", common.licences_db,
                  "the licence library (default: PACK/tests/licences.jsonl when it exists)");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
