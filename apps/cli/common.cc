#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/cli/cli.h"
#include "apps/cli/output.h"
#include "dsl/date.h"
#include "dsl/file_read.h"
#include "engine/runtime/json_parse.h"
#include "journal/journal.h"

namespace miaopi::cli {

namespace {

std::atomic<bool> stop_requested{false};
struct sigaction previous_int, previous_term;

void RequestStop(int) { stop_requested.store(true); }

}  // namespace

StopOnSignals::StopOnSignals() {
  stop_requested.store(false);
  struct sigaction sa {};
  sa.sa_handler = RequestStop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a read blocked on a pipe returns, and reading stops
  sigaction(SIGINT, &sa, &previous_int);
  sigaction(SIGTERM, &sa, &previous_term);
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

const std::atomic<bool>& StopOnSignals::requested() const { return stop_requested; }

int FinishOutput(int exit_code) {
  int error = StdoutError();
  if (error == 0 || error == EPIPE) return exit_code;
  std::cerr << "miaopi: cannot write the output: " << std::strerror(error) << "\n";
  return kIoError;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }
bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

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

void AddContextOptions(CLI::App* cmd, Common& common) {
  cmd->add_option("--subject,--context", common.subject_file,
                  "the logged-in subject as JSON ({\"kind\", \"id\", \"auth_level\"}), or a whole context "
                  "({\"subject\": …, \"town\": …})");
  cmd->add_option("--town", common.town, "the handling town's code (context.town)");
  cmd->add_option("--licences", common.licences_db, "the electronic licence library (from `miaopi licences import`)");
}

bool ContextJson(const Common& common, std::string* json) {
  json->clear();
  if (common.subject_file.empty() && common.town.empty()) return true;
  rapidjson::Document context(rapidjson::kObjectType);
  auto& alloc = context.GetAllocator();
  if (!common.subject_file.empty()) {
    // --subject takes the JSON itself or a file holding it.
    std::string text;
    size_t first = common.subject_file.find_first_not_of(" \t\r\n");
    bool inline_json = first != std::string::npos && common.subject_file[first] == '{';
    std::string origin = inline_json ? "--subject" : common.subject_file;
    if (inline_json) {
      text = common.subject_file;
    } else {
      dsl::BoundedRead file =
          dsl::ReadFileBounded(common.subject_file, Limits{}.max_application_bytes, dsl::FileKinds::kAnyReadable);
      if (!file.ok || file.too_large) {
        std::cerr << "miaopi: cannot read --subject " << common.subject_file << ": "
                  << (file.ok ? "it is larger than 1 MiB" : file.error) << "\n";
        return false;
      }
      text = std::move(file.text);
    }
    // A UTF-8 byte order mark (editors on Windows write one) is not JSON.
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    rapidjson::Document doc;
    ErrorRecord error;
    if (!engine::ParseApplication(text, Limits{}, &doc, &error) || !doc.IsObject()) {
      std::cerr << "miaopi: " << origin << " is not a JSON object"
                << (error.message.empty() ? std::string() : ": " + error.message) << "\n";
      return false;
    }
    if (doc.HasMember("subject")) {
      context.CopyFrom(doc, alloc);
    } else {
      rapidjson::Value subject;
      subject.CopyFrom(doc, alloc);
      context.AddMember("subject", subject, alloc);
    }
  }
  if (!common.town.empty()) {
    context.RemoveMember("town");
    context.AddMember("town", rapidjson::Value(common.town.c_str(), alloc), alloc);
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  context.Accept(w);
  json->assign(buf.GetString(), buf.GetSize());
  return true;
}

bool OpenLicences(const Common& common, std::shared_ptr<LicenceStore>* store) {
  if (common.licences_db.empty()) return true;
  std::string error;
  *store = OpenSqliteLicences(common.licences_db, &error);
  if (!*store) {
    std::cerr << "miaopi: " << error << "\n";
    return false;
  }
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

void AddJournalOptions(CLI::App* cmd, JournalFlags& flags) {
  cmd->add_option("--journal", flags.dir, "keep every decision in this journal folder (docs/journal.md)");
  cmd->add_option("--journal-key", flags.key_file, "sign the journal's checkpoints with this key (journal keygen)");
  cmd->add_option("--journal-sync", flags.sync,
                  "full: a decision is on disk before it is answered (default); normal: survives a crash of "
                  "the process, not of the machine")
      ->check(CLI::IsMember({"full", "normal"}));
  cmd->add_option("--journal-checkpoint-every", flags.checkpoint_every, "entries between checkpoints (default 1000)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  cmd->add_option("--journal-checkpoint-seconds", flags.checkpoint_seconds,
                  "seconds at most between an entry and its checkpoint (default 10)")
      ->check(CLI::Range(0.01, 86400.0));
}

bool OpenJournal(const JournalFlags& flags, std::unique_ptr<journal::Journal>* out) {
  out->reset();
  if (flags.dir.empty()) return true;
  journal::JournalOptions options;
  options.dir = flags.dir;
  options.key_file = flags.key_file;
  options.sync = flags.sync == "normal" ? journal::SyncMode::kNormal : journal::SyncMode::kFull;
  options.checkpoint_every = flags.checkpoint_every;
  options.checkpoint_seconds = flags.checkpoint_seconds;
  std::string error;
  *out = journal::Journal::Open(options, &error);
  if (!*out) {
    std::cerr << "miaopi: cannot open the journal: " << error << "\n";
    return false;
  }
  return true;
}

}  // namespace miaopi::cli
