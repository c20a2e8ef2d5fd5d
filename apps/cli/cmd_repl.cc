// miaopi repl PACK — the rule author's interactive session (apps/cli/repl.h):
// line editing and completion on a terminal, or commands from stdin.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "apps/cli/cli.h"
#include "apps/cli/line_editor.h"
#include "apps/cli/repl.h"

namespace miaopi::cli {

namespace {

struct ReplCliOptions {
  std::string date;
  std::string item;
  bool echo = false;
};

// A script line longer than this (a JSON paste, an expression) is skipped
// with an error, never held in memory whole.
constexpr size_t kMaxScriptLine = 8u << 20;

// std::getline with a bound: at most `max` bytes of the line are kept, the
// rest is read and dropped (*too_long). False at the end of input.
bool ReadBoundedLine(std::istream& in, size_t max, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  std::streambuf* buf = in.rdbuf();
  bool any = false;
  for (;;) {
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return any;
    }
    any = true;
    if (c == '\n') return true;
    if (line->size() < max) {
      line->push_back(static_cast<char>(c));
    } else {
      *too_long = true;
    }
  }
}

std::string HistoryPath() {
  if (const char* path = std::getenv("MIAOPI_HISTORY")) return path;
  if (const char* home = std::getenv("HOME")) return std::string(home) + "/.miaopi_history";
  return "";
}

int Run(const Common& common, const ReplCliOptions& cli) {
  ReplOptions options;
  options.pack_dir = common.pack_dir;
  options.load.disabled_passes = common.disabled_passes;
  if (!ResolveDate(cli.date, &options.date)) return kUsage;
  if (!ContextJson(common, &options.context)) return kUsage;
  if (!OpenLicences(common, &options.licences)) return kIoError;
  bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  options.color = interactive && common.color && std::getenv("NO_COLOR") == nullptr;
  ReplSession session(options);
  std::string banner;
  if (!session.Start(&banner)) {
    std::cerr << banner;
    return kPackErrors;
  }
  if (!cli.item.empty()) banner += session.Execute(":item " + cli.item);

  if (!interactive) {
    // Scripted: commands from stdin, only their output (with --echo, each
    // command too, after its prompt: a transcript).
    if (cli.echo) std::cout << banner;
    std::string line;
    bool too_long = false;
    uint64_t number = 0, skipped = 0;
    while (!session.quit() && ReadBoundedLine(std::cin, kMaxScriptLine, &line, &too_long)) {
      ++number;
      if (too_long) {
        ++skipped;
        std::cerr << "miaopi: line " << number << " of the script is longer than " << kMaxScriptLine
                  << " bytes; skipped\n";
        continue;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (cli.echo) std::cout << session.Prompt() << line << "\n";
      std::cout << session.Execute(line) << std::flush;
      if (!std::cout) break;  // the output is gone: main reports it
    }
    return session.errors() > 0 || skipped > 0 ? kFindings : kOk;
  }

  std::cout << banner;
  LineEditor editor(HistoryPath(),
                    [&session](std::string_view before, size_t* start) { return session.Complete(before, start); });
  while (!session.quit()) {
    std::string line;
    LineEditor::Read read = editor.ReadLine(session.Prompt(), &line);
    if (read == LineEditor::Read::kEnd) break;
    if (read == LineEditor::Read::kInterrupted) {
      session.CancelPaste();
      continue;
    }
    if (!session.pasting() && line.find_first_not_of(" \t") != std::string::npos && line[0] != '{') {
      editor.Remember(line);
    }
    std::cout << session.Execute(line) << std::flush;
  }
  return kOk;
}

}  // namespace

void AddRepl(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<ReplCliOptions>();
  CLI::App* cmd = app.add_subcommand("repl",
                                     "Try rules interactively: load an application, evaluate expressions, "
                                     "decide, trace (commands from stdin when it is not a terminal)");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("--date", options->date, "evaluation date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--item", options->item, "start with this item");
  cmd->add_flag("--echo", options->echo, "scripted: print each command after its prompt (a transcript)");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  AddContextOptions(cmd, common);
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
