// The `miaopi` command: shared pieces of its subcommands.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::journal {
class Journal;
}

namespace miaopi::cli {

// Exit codes (docs/cli.md).
enum ExitCode : int {
  kOk = 0,             // done; for eval, a decision record was written
  kFindings = 1,       // check found errors, tests failed, eval wrote an error record
  kUsage = 2,          // bad command line
  kPackErrors = 3,     // the pack does not compile (eval, batch, test, graph)
  kIoError = 4,        // an input could not be read or an output written
  kInterrupted = 130,  // SIGINT or SIGTERM stopped a batch (what was read is written whole)
};

// While alive, SIGINT and SIGTERM set requested() instead of ending the
// process (a blocked read is interrupted); the previous handlers come back
// when it is destroyed.
class StopOnSignals {
 public:
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
  const std::atomic<bool>& requested() const;
};

// Flushes stdout at the end of a command: a write that failed (a full disk)
// is reported and turns the exit code into kIoError; a reader that went away
// (`| head`, EPIPE) ends quietly with the code the command had.
int FinishOutput(int exit_code);

struct Common {
  std::string pack_dir;
  std::vector<std::string> disabled_passes;
  bool color = false;  // stderr is a terminal and colors are not off
  // The request context: --subject FILE.json (a subject, or a whole context)
  // and --town CODE; the licence library: --licences FILE.db.
  std::string subject_file, town, licences_db;
};

// Adds --subject, --context, --town and --licences to a command.
void AddContextOptions(CLI::App* cmd, Common& common);
// The request context JSON from --subject/--context and --town ("" when
// neither is given); false (with a message) when the file is unusable.
bool ContextJson(const Common& common, std::string* json);
// Opens --licences; null without the option. False (with a message) when
// the database cannot be opened.
bool OpenLicences(const Common& common, std::shared_ptr<LicenceStore>* store);

// --journal DIR and its options, on eval, batch and serve (docs/journal.md).
struct JournalFlags {
  std::string dir;
  std::string key_file;
  std::string sync = "full";
  uint64_t checkpoint_every = 1000;
  double checkpoint_seconds = 10;
};
void AddJournalOptions(CLI::App* cmd, JournalFlags& flags);
// Opens the journal when --journal is given (else leaves `out` null);
// false (with a message) when it cannot be opened.
bool OpenJournal(const JournalFlags& flags, std::unique_ptr<journal::Journal>* out);

// Loads the pack; on failure prints the diagnostics and returns null with
// *exit_code set.
std::shared_ptr<const Pack> LoadOrReport(const Common& common, int* exit_code);

bool StderrIsTerminal();
bool StdoutIsTerminal();
// The evaluation date from --date, or today; false (with a message) when bad.
bool ResolveDate(const std::string& flag, std::string* date);

void AddCheck(CLI::App& app, Common& common, int* exit_code);
void AddEval(CLI::App& app, Common& common, int* exit_code);
void AddNotice(CLI::App& app, Common& common, int* exit_code);
void AddBatch(CLI::App& app, Common& common, int* exit_code);
void AddTest(CLI::App& app, Common& common, int* exit_code);
void AddGraph(CLI::App& app, Common& common, int* exit_code);
void AddLicences(CLI::App& app, Common& common, int* exit_code);
void AddRepl(CLI::App& app, Common& common, int* exit_code);
void AddBench(CLI::App& app, Common& common, int* exit_code);
void AddServe(CLI::App& app, Common& common, int* exit_code);
void AddJournal(CLI::App& app, Common& common, int* exit_code);
void AddReplay(CLI::App& app, Common& common, int* exit_code);
void AddDiff(CLI::App& app, Common& common, int* exit_code);
void AddVerify(CLI::App& app, Common& common, int* exit_code);
// worker, publish-pack, submit, collect, and `journal ingest` (after AddJournal).
void AddScale(CLI::App& app, Common& common, int* exit_code);
// `diff` over NATS: the decisions of the RESULTS stream at `url` ingested
// into a new journal in a temporary folder, `dir` (the caller removes it).
// False (with a message) when that fails.
bool IngestToTemporaryJournal(const std::string& url, std::string* dir);

}  // namespace miaopi::cli
