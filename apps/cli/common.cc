#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/cli/cli.h"
#include "dsl/date.h"

namespace miaopi::cli {

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }
bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

bool ReadInput(const std::string& path, std::string* out) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    ss << in.rdbuf();
  }
  *out = std::move(ss).str();
  return true;
}

bool ResolveDate(const std::string& flag, std::string* date) {
  if (flag.empty()) {
    *date = TodayUtc();
    return true;
  }
  if (!dsl::ParseIsoDate(flag)) {
    std::cerr << "miaopi: --date " << flag << " is not YYYY-MM-DD naming a real day\n";
    return false;
  }
  *date = flag;
  return true;
}

std::shared_ptr<const Pack> LoadOrReport(const Common& common, int* exit_code) {
  auto start = std::chrono::steady_clock::now();
  LoadOptions options;
  options.disabled_passes = common.disabled_passes;
  options.color_diagnostics = common.color;
  LoadResult result = LoadPack(common.pack_dir, options);
  if (!result.io_error.empty()) {
    std::cerr << "miaopi: " << result.io_error << "\n";
    *exit_code = kIoError;
    return nullptr;
  }
  if (!result.ok()) {
    std::cerr << result.rendered;
    size_t errors = 0;
    for (const Diagnostic& d : result.diagnostics) errors += d.severity == "error";
    std::cerr << "miaopi: pack " << common.pack_dir << " has " << errors << " error" << (errors == 1 ? "" : "s")
              << "; run `miaopi check " << common.pack_dir << "`\n";
    *exit_code = kPackErrors;
    return nullptr;
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("loaded pack {} {} ({}) in {:.1f} ms", result.pack->identity().name, result.pack->identity().version,
               result.pack->identity().hash, ms);
  return result.pack;
}

}  // namespace miaopi::cli
