// miaopi eval PACK APP.json — decide one application.
#include <iostream>

#include "apps/cli/cli.h"
#include "apps/cli/render.h"
#include "dsl/file_read.h"
#include "engine/compile/pack.h"
#include "journal/journal.h"
#include "journal/licence_capture.h"
#include "journal/recorder.h"

namespace miaopi::cli {

namespace {

struct EvalOptions {
  std::string app;
  std::string date;
  std::string item;
  bool explain = false;
  bool remedies = false;
  bool notice = false;
  bool json = false;
  JournalFlags journal;
};

int Run(const Common& common, const EvalOptions& options) {
  DecideOptions decide;
  if (!ResolveDate(options.date, &decide.date)) return kUsage;
  decide.explain = options.explain;
  decide.remedies = options.remedies;
  decide.notice = options.notice;
  decide.item = options.item;
  if (!ContextJson(common, &decide.context)) return kUsage;
  std::shared_ptr<LicenceStore> licences;
  if (!OpenLicences(common, &licences)) return kIoError;
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  std::unique_ptr<journal::Journal> journal;
  if (!OpenJournal(options.journal, &journal)) return kIoError;
  std::string journal_error;
  if (journal && !journal->Archive(*pack, &journal_error)) {
    std::cerr << "miaopi: the journal: " << journal_error << "\n";
    return kIoError;
  }
  // With a journal, the licence answers the decision used are kept with it.
  if (journal && licences) licences = std::make_shared<journal::RecordingLicences>(licences);
  // Never more than the application limit (and a byte) is read: a device or
  // a huge file is a too_large record, not gigabytes in memory.
  size_t limit = pack->impl().limits.max_application_bytes;
  dsl::BoundedRead input = dsl::ReadFileBounded(options.app, limit, dsl::FileKinds::kAnyReadable);
  if (!input.ok) {
    std::cerr << "miaopi: cannot read " << options.app << ": " << input.error << "\n";
    return kIoError;
  }
  Record record;
  if (input.too_large) {
    record.error.code = "too_large";
    record.error.message = "the application has " + std::string(input.size_known ? "" : "more than ") +
                           std::to_string(input.size_known ? input.size : limit) + " bytes; the limit is " +
                           std::to_string(limit);
  } else {
    Evaluator evaluator(pack, licences);
    journal::BeginCapture();
    record = evaluator.Decide(input.text, decide);
  }
  std::string licence_answers = journal::EndCapture();
  int exit_on_checkpoint = kOk;
  if (journal) {
    // Never a decision that is not kept: the record is shown only once the
    // journal holds it.
    std::vector<journal::Entry> entry{
        journal::DecisionEntry("cli", pack->identity().hash, decide, 0, input.text, licence_answers, ToJson(record))};
    if (!journal->Append(&entry, &journal_error)) {
      std::cerr << "miaopi: the journal could not keep the decision, so none is given: " << journal_error << "\n";
      return kIoError;
    }
    std::cerr << "journal: entry " << entry[0].seq << " in " << options.journal.dir << "\n";
    if (!journal->Close(&journal_error)) {
      // The decision is kept (and shown below); only its checkpoint is missing.
      std::cerr << "miaopi: the checkpoint covering entry " << entry[0].seq
                << " could not be written (the next writer writes one): " << journal_error << "\n";
      exit_on_checkpoint = kIoError;
    }
  }
  if (options.json || !StdoutIsTerminal()) {
    std::cout << ToJson(record) << "\n";
  } else {
    std::cout << RenderRecord(record, Colors{true});
  }
  if (exit_on_checkpoint != kOk) return exit_on_checkpoint;
  return record.ok ? kOk : kFindings;
}

}  // namespace

void AddEval(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "Decide one application; the decision record goes to stdout");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("APP", options->app, "application JSON file, or - for stdin")->required();
  cmd->add_option("--date", options->date, "evaluation date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--item", options->item, "decide as this item (default: the application's \"item\")");
  cmd->add_flag("--explain", options->explain, "add a trace: every rule with the values that decided it");
  cmd->add_flag("--remedies", options->remedies,
                "for a decision that is not approve: what would make each rule that did not pass, pass");
  cmd->add_flag("--notice", options->notice, "add the one-time notice for the applicant (implies --remedies)");
  cmd->add_flag("--json", options->json, "JSON even on a terminal");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  AddContextOptions(cmd, common);
  AddJournalOptions(cmd, options->journal);
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
