// miaopi bench PACK APPS.jsonl — the in-process load benchmark (load_bench.h).
#include <fstream>
#include <iostream>
#include <thread>

#include "apps/cli/cli.h"
#include "apps/cli/load_bench.h"

namespace miaopi::cli {

namespace {

struct BenchCliOptions {
  std::string apps;
  std::string date;
  int threads = 0;
  double seconds = 3;
  std::string json, svg;
};

int Run(const Common& common, const BenchCliOptions& cli) {
  LoadBenchOptions options;
  if (!ResolveDate(cli.date, &options.decide.date)) return kUsage;
  if (!ContextJson(common, &options.decide.context)) return kUsage;
  if (!OpenLicences(common, &options.licences)) return kIoError;
  std::ifstream in(cli.apps, std::ios::binary);
  if (!in) {
    std::cerr << "miaopi: cannot read " << cli.apps << "\n";
    return kIoError;
  }
  std::vector<std::string> apps;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) apps.push_back(std::move(line));
  }
  if (apps.empty()) {
    std::cerr << "miaopi: " << cli.apps << " holds no applications\n";
    return kUsage;
  }
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  int max_threads = cli.threads > 0 ? cli.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int t = 1; t < max_threads; t *= 2) options.threads.push_back(t);
  options.threads.push_back(max_threads);
  options.seconds = cli.seconds;
  std::cerr << "running " << options.threads.size() << " rounds of " << cli.seconds << " s over " << apps.size()
            << " applications…\n";
  LoadBenchResult result = RunLoadBench(pack, apps, options);
  std::cout << LoadBenchText(result);
  auto write = [](const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) std::cerr << "miaopi: cannot write " << path << "\n";
    return static_cast<bool>(out);
  };
  if (!cli.json.empty() && !write(cli.json, LoadBenchJson(result))) return kIoError;
  if (!cli.svg.empty() && !write(cli.svg, LoadBenchSvg(result))) return kIoError;
  return kOk;
}

}  // namespace

void AddBench(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<BenchCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Load benchmark: decide applications in-process for a while per thread count (1, 2, 4 … all cores); "
      "throughput and latency percentiles");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("APPS", options->apps, "JSONL applications, held in memory and cycled")->required();
  cmd->add_option("--date", options->date, "evaluation date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--threads", options->threads, "the most threads (default: all cores)")->check(CLI::Range(0, 1024));
  cmd->add_option("--seconds", options->seconds, "time per thread count (default 3)")->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--json", options->json, "write the results as JSON");
  cmd->add_option("--svg", options->svg, "write a chart of the results (SVG)");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  AddContextOptions(cmd, common);
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
