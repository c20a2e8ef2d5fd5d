// Fuzz target: any bytes as a REPL session over the sample pack — split into
// lines, each run as a command, an expression or pasted JSON — must give
// output for every line, never a crash, a hang or a sanitizer report. The
// session is fresh for each input (so inputs do not depend on each other).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "apps/cli/repl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace miaopi;
  cli::ReplOptions options;
  options.pack_dir = std::string(MIAOPI_SOURCE_DIR) + "/samples/food_sales";
  options.date = "2026-09-10";
  cli::ReplSession session(options);
  std::string banner;
  if (!session.Start(&banner)) {
    std::fprintf(stderr, "sample pack does not load:\n%s\n", banner.c_str());
    std::abort();
  }
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t lines = 0;
  while (!input.empty() && !session.quit() && lines < 200) {
    size_t nl = input.find('\n');
    std::string line(input.substr(0, nl));
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    ++lines;
    // `:reload` and `:load FILE` reach the disk: keep the fuzzer in memory.
    if (line.rfind(":reload", 0) == 0 || line.rfind(":load", 0) == 0) continue;
    session.Execute(line);
    std::vector<std::string> completions;
    size_t start = 0;
    completions = session.Complete(line, &start);
    if (start > line.size()) std::abort();
  }
  return 0;
}
