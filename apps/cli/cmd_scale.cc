// Scale-out on NATS JetStream (docs/scale.md): miaopi worker, publish-pack,
// submit, collect, and journal ingest — thin commands over scale/.
#include <nats/nats.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "apps/cli/cli.h"
#include "journal/journal.h"
#include "scale/ingest.h"
#include "scale/packs.h"
#include "scale/submit.h"
#include "scale/worker.h"

namespace miaopi::cli {

namespace {

struct ScaleCliOptions {
  scale::NatsOptions nats;
  // worker
  std::string name, stream = "APPS", consumer = "workers", cache_dir;
  int threads = 1, fetch = 512;
  double ack_wait = 30, idle_exit = 0;
  bool sync_publish = false;
  // submit / collect
  std::string input = "-", output, date, submission, item;
  uint64_t from = 1, count = 0;
  double timeout = 0, rate = 0;
  bool progress = true;
  // journal ingest
  bool follow = false, allow_gaps = false;
  JournalFlags journal;
};

// The command's own operational log on stderr, always shown: what an
// operator watches a worker by.
void Log(const std::string& message) {
  static std::mutex mutex;
  std::time_t now = std::time(nullptr);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", std::gmtime(&now));
  std::lock_guard<std::mutex> lock(mutex);
  std::fprintf(stderr, "[%s] %s\n", stamp, message.c_str());
  std::fflush(stderr);
}

void AddNatsOptions(CLI::App* cmd, scale::NatsOptions& nats) {
  cmd->add_option("--nats", nats.url, "NATS server URL; several, comma-separated, for a cluster")
      ->capture_default_str();
  cmd->add_option("--replicas", nats.replicas, "replicas of the streams it creates (3 in a cluster)")
      ->check(CLI::Range(1, 5))
      ->capture_default_str();
  cmd->add_option("--duplicate-window", nats.duplicate_window,
                  "seconds the streams it creates remember a de-duplication id")
      ->check(CLI::Range(1.0, 7 * 86400.0))
      ->capture_default_str();
}

std::unique_ptr<scale::Nats> Connect(const ScaleCliOptions& o, int* exit_code) {
  std::string error;
  std::unique_ptr<scale::Nats> nats = scale::Nats::Connect(o.nats, Log, &error);
  if (!nats || !nats->EnsureTopology(&error)) {
    std::cerr << "miaopi: " << error << "\n";
    *exit_code = kIoError;
    return nullptr;
  }
  return nats;
}

// Releases the client library's global state at the end of a command
// (threads and caches; otherwise reported as leaks).
struct NatsLibrary {
  ~NatsLibrary() { nats_CloseAndWait(2000); }
};

std::string Thousands(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

void DrawBar(const char* what, uint64_t done, uint64_t total, std::chrono::steady_clock::time_point start) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double rate = seconds > 0 ? done / seconds : 0;
  double fraction = total ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 1.0;
  int filled = static_cast<int>(fraction * 30);
  std::fprintf(stderr, "\r%s [%s%s] %3.0f%%  %s / %s  %s/s ", what, std::string(filled, '#').c_str(),
               std::string(30 - filled, '.').c_str(), fraction * 100, Thousands(done).c_str(), Thousands(total).c_str(),
               Thousands(static_cast<uint64_t>(rate)).c_str());
  std::fflush(stderr);
}

int Worker(const Common& common, const ScaleCliOptions& o) {
  NatsLibrary library;
  StopOnSignals stop;
  scale::WorkerOptions options;
  options.nats = o.nats;
  options.nats.stop = &stop.requested();
  options.name = o.name;
  options.stream = o.stream;
  options.consumer = o.consumer;
  options.threads = o.threads;
  options.fetch = o.fetch;
  options.ack_wait = o.ack_wait;
  options.sync_publish = o.sync_publish;
  options.idle_exit = o.idle_exit;
  options.cache_dir = o.cache_dir;
  options.load.disabled_passes = common.disabled_passes;
  options.stop = &stop.requested();
  options.log = Log;
  if (!OpenLicences(common, &options.licences)) return kIoError;
  scale::WorkerStats stats;
  std::string error;
  auto start = std::chrono::steady_clock::now();
  bool ok = scale::RunWorker(options, &stats, &error);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.1f", seconds);
  if (stats.started)
    Log("worker stopped: " + Thousands(stats.decided) + " applications decided in " + took + " s (" +
        Thousands(stats.redecided) + " delivered again, " + Thousands(stats.retried_batches) + " batches retried)");
  if (!ok) {
    std::cerr << "miaopi: " << error << "\n";
    return stop.requested() ? kInterrupted : kIoError;
  }
  return stop.requested() ? kInterrupted : kOk;
}

int PublishPackCmd(const Common& common, const ScaleCliOptions& o) {
  NatsLibrary library;
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;  // a pack with errors is never stored nor put in force
  std::unique_ptr<scale::Nats> nats = Connect(o, &exit_code);
  if (!nats) return exit_code;
  bool stored = false;
  std::string error;
  if (!scale::PublishPack(*nats, *pack, &stored, &error)) {
    std::cerr << "miaopi: " << error << "\n";
    return kIoError;
  }
  const PackIdentity& id = pack->identity();
  std::cout << "pack in force: " << id.name << " " << id.version << " " << id.hash
            << (stored ? " (stored)" : " (already stored)") << "\n";
  return kOk;
}

int SubmitCmd(const Common& common, const ScaleCliOptions& o) {
  NatsLibrary library;
  scale::SubmitOptions options;
  if (!ResolveDate(o.date, &options.date)) return kUsage;
  std::string context;
  if (!ContextJson(common, &context)) return kUsage;
  if (!context.empty()) {
    // Compact: it travels in a header, which holds no line break.
    rapidjson::Document doc;
    doc.Parse(context.data(), context.size());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    doc.Accept(w);
    options.context = buffer.GetString();
  }
  options.item = o.item;
  options.id = o.submission;
  options.rate = o.rate;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.input != "-") {
    file.open(o.input, std::ios::binary);
    if (!file) {
      std::cerr << "miaopi: cannot read " << o.input << "\n";
      return kIoError;
    }
    in = &file;
  }
  StopOnSignals stop;
  options.stop = &stop.requested();
  scale::NatsOptions nats_options = o.nats;
  nats_options.stop = &stop.requested();
  int exit_code = kOk;
  ScaleCliOptions connect = o;
  connect.nats = nats_options;
  std::unique_ptr<scale::Nats> nats = Connect(connect, &exit_code);
  if (!nats) return exit_code;
  auto start = std::chrono::steady_clock::now();
  bool bar = o.progress && StderrIsTerminal();
  if (bar) {
    options.progress = [&](uint64_t lines, uint64_t) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "\rsubmitted %s  %s/s ", Thousands(lines).c_str(),
                   Thousands(static_cast<uint64_t>(seconds > 0 ? lines / seconds : 0)).c_str());
    };
  }
  scale::SubmitStats stats;
  std::string error;
  bool ok = scale::Submit(*nats, *in, options, &stats, &error);
  if (bar) std::fprintf(stderr, "\n");
  if (!ok) {
    std::cerr << "miaopi: " << error << " (" << stats.lines << " lines read)\n";
    return kIoError;
  }
  uint64_t queued = stats.last_seq >= stats.first_seq ? stats.last_seq - stats.first_seq + 1 : 0;
  std::cerr << "submitted " << Thousands(stats.lines) << " applications as " << stats.id << " (date " << options.date
            << "), APPS sequences " << stats.first_seq << "-" << stats.last_seq;
  if (queued < stats.lines) {
    std::cerr << " (" << Thousands(stats.lines - queued) << " already queued under the same ids: not again)";
  }
  std::cerr << "; records: miaopi collect --nats " << o.nats.url << " --from " << stats.first_seq << " --count "
            << queued << " -o OUT.jsonl\n";
  return stats.interrupted ? kInterrupted : kOk;
}

int CollectCmd(const ScaleCliOptions& o) {
  NatsLibrary library;
  StopOnSignals stop;
  ScaleCliOptions connect = o;
  connect.nats.stop = &stop.requested();
  int exit_code = kOk;
  std::unique_ptr<scale::Nats> nats = Connect(connect, &exit_code);
  if (!nats) return exit_code;
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!o.output.empty() && o.output != "-") {
    file.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "miaopi: cannot write " << o.output << "\n";
      return kIoError;
    }
    out = &file;
  }
  scale::CollectOptions options;
  options.from = o.from;
  options.count = o.count;
  options.timeout = o.timeout;
  options.stop = &stop.requested();
  auto start = std::chrono::steady_clock::now();
  bool bar = o.progress && StderrIsTerminal();
  if (bar) options.progress = [&](uint64_t done, uint64_t total) { DrawBar("collect", done, total, start); };
  scale::CollectStats stats;
  std::string error;
  bool ok = scale::Collect(*nats, *out, options, &stats, &error);
  if (bar) std::fprintf(stderr, "\n");
  std::cerr << "collected " << Thousands(stats.written) << " of " << Thousands(stats.wanted) << " records"
            << (stats.duplicates
                    ? ", " + Thousands(stats.duplicates) + " later records of the same applications ignored"
                    : "")
            << "\n";
  if (stats.written > 0) {
    std::fprintf(stderr, "submit to record (stream times): median %.2f ms, p99 %.2f ms, max %.2f ms\n",
                 stats.latency_median_ms, stats.latency_p99_ms, stats.latency_max_ms);
  }
  if (!ok) {
    std::cerr << "miaopi: " << error << "\n";
    return stop.requested() ? kInterrupted : kFindings;
  }
  return kOk;
}

int IngestCmd(const ScaleCliOptions& o) {
  NatsLibrary library;
  StopOnSignals stop;
  ScaleCliOptions connect = o;
  connect.nats.stop = &stop.requested();
  int exit_code = kOk;
  std::unique_ptr<scale::Nats> nats = Connect(connect, &exit_code);
  if (!nats) return exit_code;
  std::unique_ptr<journal::Journal> journal;
  if (!OpenJournal(o.journal, &journal)) return kIoError;
  scale::IngestOptions options;
  options.follow = o.follow;
  options.allow_gaps = o.allow_gaps;
  options.stop = &stop.requested();
  auto start = std::chrono::steady_clock::now();
  bool bar = o.progress && StderrIsTerminal();
  if (bar) options.progress = [&](uint64_t done, uint64_t total) { DrawBar("ingest", done, total, start); };
  scale::IngestStats stats;
  std::string error;
  bool ok = scale::IngestResults(*nats, *journal, options, &stats, &error);
  if (bar) std::fprintf(stderr, "\n");
  std::string close_error;
  bool closed = journal->Close(&close_error);
  std::cerr << "ingested " << Thousands(stats.entries) << " records from RESULTS sequence " << stats.first_seq
            << " on; " << stats.packs << " pack(s) archived; the journal has " << Thousands(journal->size())
            << " entries" << (stats.lost ? "; " + Thousands(stats.lost) + " records were gone from the stream" : "")
            << "\n";
  if (!ok || !closed) {
    std::cerr << "miaopi: " << (ok ? close_error : error) << "\n";
    return kIoError;
  }
  return stop.requested() ? kInterrupted : kOk;
}

}  // namespace

bool IngestToTemporaryJournal(const std::string& url, std::string* dir) {
  NatsLibrary library;
  ScaleCliOptions o;
  o.nats.url = url;
  int exit_code = kOk;
  std::unique_ptr<scale::Nats> nats = Connect(o, &exit_code);
  if (!nats) return false;
  std::string pattern = (std::filesystem::temp_directory_path() / "miaopi-diff-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    std::cerr << "miaopi: cannot make a temporary folder\n";
    return false;
  }
  *dir = pattern;
  journal::JournalOptions options;
  options.dir = pattern;
  options.sync = journal::SyncMode::kNormal;  // a scratch copy
  std::string error;
  std::unique_ptr<journal::Journal> journal = journal::Journal::Open(options, &error);
  scale::IngestStats stats;
  if (!journal || !scale::IngestResults(*nats, *journal, {}, &stats, &error) || !journal->Close(&error)) {
    std::cerr << "miaopi: reading RESULTS from " << url << ": " << error << "\n";
    return false;
  }
  std::cerr << "diff: " << Thousands(stats.entries) << " decisions read from RESULTS at " << url << "\n";
  return true;
}

void AddScale(CLI::App& app, Common& common, int* exit_code) {
  auto o = std::make_shared<ScaleCliOptions>();

  CLI::App* worker = app.add_subcommand("worker", "Decide applications from NATS JetStream (docs/scale.md)");
  AddNatsOptions(worker, o->nats);
  worker->add_option("--name", o->name, "this worker's name in its records (default host:pid)");
  worker->add_option("--stream", o->stream, "the work-queue stream (APPS, or one made with one subject filter)")
      ->capture_default_str();
  worker->add_option("--consumer", o->consumer, "the durable consumer the workers share")->capture_default_str();
  worker->add_option("--threads", o->threads, "deciding threads")->check(CLI::Range(1, 1024))->capture_default_str();
  worker->add_option("--fetch", o->fetch, "applications asked for at once")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  worker->add_option("--ack-wait", o->ack_wait, "seconds before an unacknowledged application goes to another worker")
      ->check(CLI::Range(0.5, 3600.0))
      ->capture_default_str();
  worker->add_flag("--sync-publish", o->sync_publish, "wait for each record's acknowledgement (for measuring)");
  worker->add_option("--idle-exit", o->idle_exit, "stop after this many seconds without applications (0: never)")
      ->check(CLI::Range(0.0, 1e9));
  worker->add_option("--cache", o->cache_dir, "folder for fetched packs (default: a temporary folder)");
  worker->add_option("--licences", common.licences_db, "the electronic licence library (SQLite)");
  worker->callback([o, &common, exit_code] { *exit_code = Worker(common, *o); });

  CLI::App* publish =
      app.add_subcommand("publish-pack", "Compile a pack, store it in JetStream and put it in force for the workers");
  publish->add_option("PACK", common.pack_dir, "pack folder")->required();
  AddNatsOptions(publish, o->nats);
  publish->callback([o, &common, exit_code] { *exit_code = PublishPackCmd(common, *o); });

  CLI::App* submit = app.add_subcommand("submit", "Put a JSONL file's applications on the APPS work queue");
  submit->add_option("INPUT", o->input, "JSONL file, or - for stdin (default)");
  AddNatsOptions(submit, o->nats);
  submit->add_option("--date", o->date, "evaluation date YYYY-MM-DD sent with every application (default today)");
  submit->add_option("--item", o->item, "decide every application as this item");
  submit->add_option("--id", o->submission, "the submission's name in de-duplication ids (default: made up)");
  submit->add_option("--rate", o->rate, "applications a second, paced (default: as fast as the stream takes them)")
      ->check(CLI::Range(0.0, 1e7));
  submit->add_flag("!--no-progress", o->progress, "no progress on a terminal");
  submit->add_option("--subject,--context", common.subject_file,
                     "the request context sent with every application: a subject as JSON, or a whole context");
  submit->add_option("--town", common.town, "the handling town's code (context.town)");

  CLI::App* collect = app.add_subcommand("collect", "Write the records of submitted applications in input order");
  AddNatsOptions(collect, o->nats);
  collect->add_option("-o,--output", o->output, "output JSONL (default stdout)");
  collect->add_option("--from", o->from, "the first APPS sequence to collect")->capture_default_str();
  collect->add_option("--count", o->count, "records to collect (default: every application submitted so far)");
  collect->add_option("--timeout", o->timeout, "give up after this many seconds without a new record (default: wait)")
      ->check(CLI::Range(0.0, 1e9));
  collect->add_flag("!--no-progress", o->progress, "no progress bar on a terminal");
  collect->callback([o, exit_code] { *exit_code = CollectCmd(*o); });
  submit->callback([o, &common, exit_code] { *exit_code = SubmitCmd(common, *o); });

  CLI::App* journal = app.get_subcommand("journal");
  CLI::App* ingest = journal->add_subcommand("ingest", "Append the RESULTS stream's records to a journal (resumable)");
  ingest->add_option("DIR", o->journal.dir, "journal folder")->required();
  AddNatsOptions(ingest, o->nats);
  ingest->add_option("--journal-key", o->journal.key_file, "sign checkpoints with this key");
  ingest->add_option("--journal-checkpoint-every", o->journal.checkpoint_every, "entries between checkpoints");
  ingest->add_flag("--follow", o->follow, "keep reading new records until stopped");
  ingest->add_flag("--allow-gaps", o->allow_gaps,
                   "go on past records the stream no longer holds (expired, deleted), counting them");
  ingest->add_flag("!--no-progress", o->progress, "no progress bar on a terminal");
  ingest->callback([o, exit_code] { *exit_code = IngestCmd(*o); });
}

}  // namespace miaopi::cli
