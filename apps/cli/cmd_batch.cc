// miaopi batch PACK [IN.jsonl|-] [-o OUT.jsonl] — decide many applications.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

#include "apps/cli/cli.h"
#include "apps/cli/output.h"
#include "engine/api/batch.h"
#include "journal/journal.h"
#include "journal/licence_capture.h"
#include "journal/recorder.h"

namespace miaopi::cli {

namespace {

struct BatchCliOptions {
  std::string input = "-";
  std::string output;
  std::string date;
  std::string item;
  int threads = 0;
  bool explain = false;
  bool remedies = false;
  bool notice = false;
  bool progress = true;
  bool summary = false;
  JournalFlags journal;
};

std::string Thousands(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

// A one-line progress bar on stderr, redrawn in place.
void DrawProgress(const BatchProgress& p, uint64_t total_bytes) {
  double rate = p.seconds > 0 ? p.lines / p.seconds : 0;
  if (total_bytes > 0) {
    double fraction = std::min(1.0, static_cast<double>(p.bytes) / static_cast<double>(total_bytes));
    int filled = static_cast<int>(fraction * 30);
    std::fprintf(stderr, "\r[%s%s] %3.0f%%  %s lines  %s/s ", std::string(filled, '#').c_str(),
                 std::string(30 - filled, '.').c_str(), fraction * 100, Thousands(p.lines).c_str(),
                 Thousands(static_cast<uint64_t>(rate)).c_str());
  } else {
    std::fprintf(stderr, "\r%s lines  %s/s ", Thousands(p.lines).c_str(),
                 Thousands(static_cast<uint64_t>(rate)).c_str());
  }
  std::fflush(stderr);
}

// Outcomes per item, then the rules most often among the reasons.
void PrintSummary(const BatchStats& stats) {
  std::fprintf(stderr, "\n%-12s %9s %9s %9s\n", "item", "approve", "review", "reject");
  for (const auto& [item, t] : stats.by_item) {
    std::fprintf(stderr, "%-12s %9s %9s %9s\n", item.c_str(), Thousands(t.approve).c_str(), Thousands(t.review).c_str(),
                 Thousands(t.reject).c_str());
  }
  std::vector<std::pair<std::string, const ReasonTally*>> reasons;
  for (const auto& [key, t] : stats.by_reason) reasons.emplace_back(key, &t);
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  if (reasons.empty()) return;
  std::fprintf(stderr, "\nmost frequent reasons (unknown: the rule could not be decided from the data):\n");
  for (size_t i = 0; i < reasons.size() && i < 10; ++i) {
    const ReasonTally& t = *reasons[i].second;
    std::string rule = reasons[i].first.substr(0, reasons[i].first.find(" ?"));
    const char* how = t.status == RuleStatus::kUnknown ? "unknown" : OutcomeName(t.outcome);
    std::fprintf(stderr, "%7s  %-12s %-7s %s\n", Thousands(t.count).c_str(), rule.c_str(), how, t.message.c_str());
  }
}

int Run(const Common& common, const BatchCliOptions& options) {
  BatchOptions batch;
  if (!ResolveDate(options.date, &batch.decide.date)) return kUsage;
  batch.decide.explain = options.explain;
  batch.decide.remedies = options.remedies;
  batch.decide.notice = options.notice;
  batch.decide.item = options.item;
  batch.threads = options.threads;
  batch.tally = options.summary;
  if (!ContextJson(common, &batch.decide.context)) return kUsage;
  if (!OpenLicences(common, &batch.licences)) return kIoError;
  // SIGINT and SIGTERM stop reading; the lines in flight are finished and
  // written whole, and the summary says where the run stopped.
  StopOnSignals stop_on_signals;
  batch.stop = &stop_on_signals.requested();
  int in_fd = STDIN_FILENO;
  uint64_t total_bytes = 0;
  struct stat in_stat {};
  bool have_in_stat = fstat(STDIN_FILENO, &in_stat) == 0;
  if (options.input != "-") {
    have_in_stat = stat(options.input.c_str(), &in_stat) == 0;
    if (have_in_stat && S_ISDIR(in_stat.st_mode)) {
      std::cerr << "miaopi: " << options.input << " is a directory, not a JSONL file\n";
      return kIoError;
    }
    in_fd = ::open(options.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) {
      std::cerr << "miaopi: cannot read " << options.input << ": " << std::strerror(errno) << "\n";
      return kIoError;
    }
    if (have_in_stat && S_ISREG(in_stat.st_mode)) total_bytes = static_cast<uint64_t>(in_stat.st_size);
  }
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (!options.output.empty() && options.output != "-") {
    // Opening the output truncates it: never when it is the input itself
    // (a hard link, a symlink or the same path), which would destroy it.
    struct stat out_stat {};
    if (stat(options.output.c_str(), &out_stat) == 0) {
      if (S_ISDIR(out_stat.st_mode)) {
        std::cerr << "miaopi: -o " << options.output << " is a directory\n";
        return kUsage;
      }
      if (have_in_stat && S_ISREG(in_stat.st_mode) && out_stat.st_dev == in_stat.st_dev &&
          out_stat.st_ino == in_stat.st_ino) {
        std::cerr << "miaopi: -o " << options.output << " is the input file; writing it would destroy the input\n";
        return kUsage;
      }
    }
    file_out.open(options.output, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      std::cerr << "miaopi: cannot write " << options.output << ": " << std::strerror(errno) << "\n";
      return kIoError;
    }
    out = &file_out;
  }
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  std::unique_ptr<journal::Journal> journal;
  if (!OpenJournal(options.journal, &journal)) return kIoError;
  std::unique_ptr<journal::BatchRecorder> recorder;
  if (journal) {
    std::string error;
    if (!journal->Archive(*pack, &error)) {
      std::cerr << "miaopi: the journal: " << error << "\n";
      return kIoError;
    }
    if (batch.licences) batch.licences = std::make_shared<journal::RecordingLicences>(batch.licences);
    recorder = std::make_unique<journal::BatchRecorder>(*journal, "cli", pack->identity().hash, batch.decide);
    batch.observer = recorder.get();
  }
  bool show_progress = options.progress && StderrIsTerminal();
  if (show_progress) batch.progress = [total_bytes](const BatchProgress& p) { DrawProgress(p, total_bytes); };
  StoppableInput in(in_fd, batch.stop);
  BatchStats stats = RunBatch(pack, in, *out, batch);
  if (in_fd != STDIN_FILENO) ::close(in_fd);
  if (show_progress) std::fprintf(stderr, "\r%80s\r", "");
  if (journal) {
    std::string error;
    bool closed = journal->Close(&error);
    if (!stats.observer_error.empty() || !closed) {
      std::cerr << "miaopi: the journal could not keep the decisions after line " << stats.lines
                << ", so no more were written: " << (stats.observer_error.empty() ? error : stats.observer_error)
                << "\n";
      return kIoError;
    }
    std::fprintf(stderr, "journal: %s entries in %s\n", Thousands(recorder->written()).c_str(),
                 options.journal.dir.c_str());
  }
  if (stats.output_failed || !*out) {
    int error = stats.output_errno;
    if (error == EPIPE) return kOk;  // the reader went away (`| head`): nothing to report
    std::cerr << "miaopi: writing the records failed after line " << stats.lines << ": " << std::strerror(error)
              << "\n";
    return kIoError;
  }
  double rate = stats.seconds > 0 ? stats.lines / stats.seconds : 0;
  std::fprintf(stderr, "%s applications in %.2f s (%s/s): %s approve, %s review, %s reject, %s errors%s\n",
               Thousands(stats.lines).c_str(), stats.seconds, Thousands(static_cast<uint64_t>(rate)).c_str(),
               Thousands(stats.approve).c_str(), Thousands(stats.review).c_str(), Thousands(stats.reject).c_str(),
               Thousands(stats.errors).c_str(),
               stats.interrupted ? ("; interrupted after line " + Thousands(stats.lines)).c_str() : "");
  if (options.summary) PrintSummary(stats);
  return stats.interrupted ? kInterrupted : kOk;
}

}  // namespace

void AddBatch(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<BatchCliOptions>();
  CLI::App* cmd = app.add_subcommand("batch", "Decide a JSONL file of applications, one record per line, in order");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("IN", options->input, "JSONL input, or - for stdin (default)");
  cmd->add_option("-o,--output", options->output, "record output (default stdout)");
  cmd->add_option("--date", options->date, "evaluation date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--item", options->item, "decide every line as this item");
  cmd->add_option("--threads", options->threads, "worker threads (default: all cores)")->check(CLI::Range(0, 1024));
  cmd->add_flag("--explain", options->explain, "add a trace to every record");
  cmd->add_flag("--remedies", options->remedies, "add remedies to every record that is not approve");
  cmd->add_flag("--notice", options->notice, "add the one-time notice to every record that is not approve");
  cmd->add_flag("!--no-progress", options->progress, "no progress bar on a terminal");
  cmd->add_flag("--summary", options->summary, "after the run, outcomes per item and the most frequent reasons");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  AddContextOptions(cmd, common);
  AddJournalOptions(cmd, options->journal);
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
