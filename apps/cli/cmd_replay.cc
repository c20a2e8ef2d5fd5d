// miaopi replay DIR — decide every journal entry again with its archived
// pack and compare the records byte for byte (docs/journal.md).
#include <cstdio>
#include <iostream>

#include "apps/cli/cli.h"
#include "journal/replay.h"

namespace miaopi::cli {

namespace {

struct ReplayCliOptions {
  std::string dir;
  uint64_t from = 0, to = UINT64_MAX;
  int threads = 0;
  bool progress = true;
};

int Run(const ReplayCliOptions& o) {
  journal::ReplayOptions options;
  options.from = o.from;
  options.to = o.to == UINT64_MAX ? o.to : o.to + 1;  // --to is inclusive
  options.threads = o.threads;
  bool progress = o.progress && StderrIsTerminal();
  if (progress) {
    options.progress = [](uint64_t done, uint64_t total) {
      std::fprintf(stderr, "\rreplaying %llu / %llu ", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
    };
  }
  journal::ReplayReport r = journal::Replay(o.dir, options);
  if (progress) std::fprintf(stderr, "\r%60s\r", "");
  if (!r.error.empty()) {
    std::cerr << "miaopi: " << r.error << "\n";
    return kIoError;
  }
  for (const journal::ReplayDifference& d : r.differences) {
    std::cout << "entry " << d.seq << " (pack " << d.pack << ", date " << d.date << "):";
    if (!d.why.empty()) {
      std::cout << " not decided again: " << d.why << "\n";
      continue;
    }
    std::cout << "\n  journal:  " << d.journal_record << "\n  replayed: " << d.replayed_record << "\n";
  }
  std::cout << r.decisions << " decisions replayed: " << r.identical << " byte-identical, " << r.different
            << " different" << (r.reviews ? ", " + std::to_string(r.reviews) + " review entries skipped" : "") << "\n";
  return r.different == 0 ? kOk : kFindings;
}

}  // namespace

void AddReplay(CLI::App& app, Common& common, int* exit_code) {
  auto o = std::make_shared<ReplayCliOptions>();
  CLI::App* cmd =
      app.add_subcommand("replay", "Decide a journal's entries again and compare the records byte for byte");
  cmd->add_option("DIR", o->dir, "journal folder")->required();
  cmd->add_option("--from", o->from, "first entry (seq)");
  cmd->add_option("--to", o->to, "last entry (seq, inclusive)");
  cmd->add_option("--threads", o->threads, "threads (default: all cores)")->check(CLI::Range(0, 1024));
  cmd->add_flag("!--no-progress", o->progress, "no progress on a terminal");
  cmd->callback([o, exit_code] { *exit_code = Run(*o); });
  (void)common;
}

}  // namespace miaopi::cli
