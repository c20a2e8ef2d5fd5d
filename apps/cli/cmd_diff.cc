// miaopi diff OLD_PACK NEW_PACK INPUT — what a new rule version would
// change, over a journal or a JSONL file (docs/journal.md).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "apps/cli/cli.h"
#include "journal/diff.h"

namespace miaopi::cli {

namespace {

struct DiffCliOptions {
  std::string old_pack, new_pack, input, date, html;
  int threads = 0;
  size_t samples = 5;
  bool json = false, progress = true;
};

// A folder removed when the command ends.
struct RemovedAtExit {
  std::string dir;
  ~RemovedAtExit() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

int Run(Common& common, const DiffCliOptions& o) {
  journal::DiffOptions options;
  options.input = o.input;
  RemovedAtExit stream_copy;
  if (o.input.rfind("nats://", 0) == 0) {
    // The decisions workers made, with their dates, contexts and licence
    // answers, read from RESULTS as a journal holds them.
    if (!IngestToTemporaryJournal(o.input, &stream_copy.dir)) return kIoError;
    options.input = stream_copy.dir;
  }
  options.threads = o.threads;
  options.samples = o.samples;
  if (!o.date.empty() && !ResolveDate(o.date, &options.date)) return kUsage;
  if (!ContextJson(common, &options.context)) return kUsage;
  if (!OpenLicences(common, &options.licences)) return kIoError;
  int exit_code = kOk;
  common.pack_dir = o.old_pack;
  std::shared_ptr<const Pack> old_pack = LoadOrReport(common, &exit_code);
  if (!old_pack) return exit_code;
  common.pack_dir = o.new_pack;
  std::shared_ptr<const Pack> new_pack = LoadOrReport(common, &exit_code);
  if (!new_pack) return exit_code;
  bool progress = o.progress && StderrIsTerminal();
  if (progress) {
    options.progress = [](uint64_t done, uint64_t, uint64_t) {
      std::fprintf(stderr, "\rdiff: %llu applications ", static_cast<unsigned long long>(done));
    };
  }
  journal::DiffReport report = journal::RunDiff(old_pack, new_pack, options);
  report.input = o.input;  // the stream, not its temporary copy
  if (progress) std::fprintf(stderr, "\r%60s\r", "");
  if (!report.error.empty()) {
    std::cerr << "miaopi: " << report.error << "\n";
    return kIoError;
  }
  if (!o.html.empty()) {
    std::ofstream html(o.html, std::ios::binary | std::ios::trunc);
    html << journal::DiffHtml(report);
    if (!html.flush()) {
      std::cerr << "miaopi: cannot write " << o.html << "\n";
      return kIoError;
    }
  }
  std::cout << (o.json || !StdoutIsTerminal() ? journal::DiffJson(report) : journal::DiffText(report));
  std::fprintf(stderr, "%llu applications decided by both packs in %.2f s\n",
               static_cast<unsigned long long>(report.applications), report.seconds);
  return kOk;
}

}  // namespace

void AddDiff(CLI::App& app, Common& common, int* exit_code) {
  auto o = std::make_shared<DiffCliOptions>();
  CLI::App* cmd = app.add_subcommand("diff", "What a new rule version would change, over a journal or a JSONL file");
  cmd->add_option("OLD_PACK", o->old_pack, "the pack in force")->required();
  cmd->add_option("NEW_PACK", o->new_pack, "the new version")->required();
  cmd->add_option("INPUT", o->input,
                  "a journal folder, a JSONL file of applications (- for stdin), or nats://HOST:PORT "
                  "(the RESULTS stream's decisions)")
      ->required();
  cmd->add_option("--date", o->date, "JSONL: the evaluation date (default today; a journal keeps each entry's own)");
  cmd->add_option("--threads", o->threads, "threads (default: all cores)")->check(CLI::Range(0, 1024));
  cmd->add_option("--samples", o->samples, "sample ids kept per transition (default 5)")
      ->check(CLI::Range(size_t{0}, size_t{10000}));
  cmd->add_flag("--json", o->json, "the report as JSON (the default when stdout is not a terminal)");
  cmd->add_option("--html", o->html, "also write the report as a self-contained HTML page");
  cmd->add_flag("!--no-progress", o->progress, "no progress on a terminal");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  AddContextOptions(cmd, common);
  cmd->callback([&common, o, exit_code] { *exit_code = Run(common, *o); });
}

}  // namespace miaopi::cli
