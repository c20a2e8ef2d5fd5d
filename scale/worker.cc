#include "scale/worker.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <nats/nats.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <vector>

#include "engine/api/batch.h"
#include "journal/licence_capture.h"
#include "scale/packs.h"

namespace miaopi::scale {

namespace {

namespace fs = std::filesystem;

// The UTC day of a time in nanoseconds since the epoch, YYYY-MM-DD.
std::string UtcDate(int64_t nanos) {
  if (nanos <= 0) return TodayUtc();
  std::time_t seconds = static_cast<std::time_t>(nanos / 1000000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

std::string DefaultName() {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// One thread's evaluator over the pack of the batch it is deciding.
struct Slot {
  const Pack* pack = nullptr;
  std::optional<Evaluator> evaluator;
};

struct Decided {
  std::string record;
  std::string licences;
  std::optional<Outcome> outcome;
  std::string date;
};

// A temporary folder removed with the worker.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "miaopi-worker-XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

bool RunWorker(const WorkerOptions& options, WorkerStats* stats, std::string* error) {
  auto log = options.log ? options.log : [](const std::string&) {};
  std::string name = options.name.empty() ? DefaultName() : options.name;
  std::unique_ptr<Nats> nats = Nats::Connect(options.nats, log, error);
  if (!nats) return false;
  if (!nats->EnsureTopology(error)) return false;

  TempDir temp;
  std::string cache_dir = options.cache_dir.empty() ? temp.path() : options.cache_dir;
  PackWatcher watcher(*nats, cache_dir, options.load);
  if (!watcher.WaitForPack(2, options.stop)) {
    log("no pack in force yet: waiting for `miaopi publish-pack`");
    if (!watcher.WaitForPack(1e9, options.stop)) {
      *error = "stopped before a pack was published";
      return false;
    }
  }

  // Another work queue (a re-evaluation kept apart from the day's work,
  // say) is read through its one subject filter.
  std::string subjects = "apps.>";
  if (options.stream != Topology::kApps) {
    std::vector<std::string> filters;
    uint64_t last = 0, count = 0;
    if (!nats->StreamState(options.stream.c_str(), &last, &count, error, &filters)) return false;
    if (filters.size() != 1) {
      *error = "stream " + options.stream + " has " + std::to_string(filters.size()) +
               " subject filters; a worker reads a stream with one (such as \"reeval.>\")";
      return false;
    }
    subjects = filters[0];
  }
  // One record per application needs RESULTS to remember an id longer
  // than an application can take to come back (the ack wait, and the wait
  // for the stream's acknowledgement before it).
  {
    uint64_t last = 0, count = 0;
    double window = 0;
    if (!nats->StreamState(Topology::kResults, &last, &count, error, nullptr, &window)) return false;
    if (window < 2 * options.ack_wait) {
      char text[256];
      std::snprintf(text, sizeof text,
                    "warning: RESULTS remembers de-duplication ids for %.0f s, less than twice the ack wait (%.0f s): "
                    "an application delivered again after that gets a second record; lower --ack-wait or widen the "
                    "stream's duplicate window",
                    window, options.ack_wait);
      log(text);
    }
  }
  PullConsumer::Config config;
  config.durable = options.consumer;
  config.ack_wait = options.ack_wait;
  std::unique_ptr<PullConsumer> consumer = PullConsumer::Open(*nats, options.stream.c_str(), subjects, config, error);
  if (!consumer) return false;
  stats->started = true;
  log("worker " + name + " deciding from " + options.stream + " (" + subjects + ") with " +
      std::to_string(options.threads) + " thread(s)");

  std::shared_ptr<LicenceStore> licences = options.licences;
  if (licences) licences = std::make_shared<journal::RecordingLicences>(licences);
  tbb::task_arena arena(std::max(1, options.threads));
  tbb::enumerable_thread_specific<Slot> slots;
  std::vector<Decided> decided;
  // A record and what the journal keeps beside it must fit in one message.
  const size_t max_payload =
      static_cast<size_t>(std::max<int64_t>(natsConnection_GetMaxPayload(nats->connection()), 0));
  double backoff = 0.25;
  auto idle_since = std::chrono::steady_clock::now();

  while (!(options.stop && options.stop->load())) {
    std::string fetch_error;
    std::vector<Message> batch = consumer->Fetch(options.fetch, 1.0, &fetch_error);
    if (!fetch_error.empty()) {
      // The server is away or electing a leader: the client reconnects by
      // itself; ask again after a pause that grows, never in a tight loop.
      log(fetch_error + "; asking again in " + std::to_string(backoff).substr(0, 4) + " s");
      SleepUnlessStopped(backoff, options.stop);
      backoff = std::min(backoff * 2, options.nats.max_backoff);
      continue;
    }
    backoff = 0.25;
    if (batch.empty()) {
      if (options.idle_exit > 0 &&
          std::chrono::steady_clock::now() - idle_since > std::chrono::duration<double>(options.idle_exit)) {
        break;
      }
      continue;
    }
    idle_since = std::chrono::steady_clock::now();

    // One pack for the whole batch: its records all name the same hash.
    std::shared_ptr<const Pack> pack = watcher.current();
    const std::string& hash = pack->identity().hash;
    decided.resize(batch.size());
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, batch.size(), 8), [&](const tbb::blocked_range<size_t>& r) {
        Slot& slot = slots.local();
        if (slot.pack != pack.get()) {
          slot.evaluator.reset();
          slot.evaluator.emplace(pack, licences);
          slot.pack = pack.get();
        }
        for (size_t i = r.begin(); i != r.end(); ++i) {
          const Message& msg = batch[i];
          Decided& d = decided[i];
          DecideOptions decide;
          decide.date = std::string(msg.Header(Headers::kDate));
          // Undated: the day the queue took it, the same for every worker
          // that decides it (a redelivery keeps its id).
          if (decide.date.empty()) decide.date = UtcDate(msg.JetStreamMeta().timestamp);
          decide.context = std::string(msg.Header(Headers::kContext));
          decide.item = std::string(msg.Header(Headers::kItem));
          d.record.clear();
          d.date = decide.date;
          if (licences) journal::BeginCapture();
          d.outcome = DecideBatchLine(*slot.evaluator, msg.data(), decide, DecimalOr0(msg.Header(Headers::kLine)),
                                      &d.record, DecimalOr0(msg.Header(Headers::kLineBytes)));
          d.licences = licences ? journal::EndCapture() : std::string();
        }
      });
    });

    bool published = true;
    std::string publish_error;
    for (size_t i = 0; i < batch.size() && published; ++i) {
      const Message& msg = batch[i];
      Decided& d = decided[i];
      Message::Meta meta = msg.JetStreamMeta();
      uint64_t input_seq = meta.stream_seq;
      if (meta.deliveries > 1) ++stats->redecided;
      std::string_view app_id = msg.Header(Headers::kMsgId);
      std::string id = app_id.empty() ? options.stream + "-" + std::to_string(input_seq) : std::string(app_id);
      // apps.<ITEM> (or <prefix>.<ITEM> on another queue) → results.<ITEM>
      std::string_view subject = msg.subject();
      size_t dot = subject.find('.');
      std::string_view item = dot == std::string_view::npos ? std::string_view() : subject.substr(dot + 1);
      Outgoing out;
      out.subject = "results." + std::string(item.empty() ? "_" : item);
      out.data.reserve(d.record.size() + msg.data().size() + d.licences.size() + 2);
      out.data = d.record;
      out.data += '\n';
      // Headers take a few hundred bytes; past the limit the application
      // and its licence answers stay out (said in a header), the record never.
      bool whole = max_payload == 0 || d.record.size() + msg.data().size() + d.licences.size() + 4096 <= max_payload;
      if (whole) {
        out.data += msg.data();
        out.data += '\n';
        out.data += d.licences;
      } else {
        out.data += '\n';
      }
      out.headers = {{Headers::kMsgId, id + "/" + hash + "/" + d.date},
                     {Headers::kPack, hash},
                     {Headers::kDate, d.date},
                     {Headers::kLine, std::string(msg.Header(Headers::kLine))},
                     {Headers::kInputSeq, std::to_string(input_seq)},
                     {Headers::kInputStream, options.stream},
                     {Headers::kWorker, name},
                     {Headers::kOutcome, d.outcome ? OutcomeName(*d.outcome) : "error"},
                     {Headers::kQueued, std::to_string(meta.timestamp)}};
      for (const char* passed : {Headers::kContext, Headers::kItem}) {
        if (std::string_view value = msg.Header(passed); !value.empty()) out.headers.emplace_back(passed, value);
      }
      if (!whole) out.headers.emplace_back(Headers::kInputOmitted, std::to_string(msg.data().size()));
      published = options.sync_publish ? nats->Publish(out, &publish_error) : nats->PublishAsync(out, &publish_error);
    }
    uint64_t failed = 0;
    std::string wait_error;
    // Waits less than the ack wait, so a slow stream does not have the batch
    // delivered elsewhere meanwhile; drains even after a failure.
    if (!options.sync_publish && !nats->WaitPublished(std::min(30.0, options.ack_wait / 2), &failed, &wait_error)) {
      if (published) publish_error = wait_error;
      published = false;
    }
    if (!published) {
      // Not one application of the batch is acknowledged: all come back,
      // and those whose records did reach the stream are de-duplicated.
      ++stats->retried_batches;
      log("records not all stored (" + publish_error + "); the batch of " + std::to_string(batch.size()) +
          " will be decided again");
      for (Message& msg : batch) msg.Nak();
      SleepUnlessStopped(backoff, options.stop);
      continue;
    }
    for (Message& msg : batch) msg.Ack();
    stats->decided += batch.size();
  }
  return true;
}

}  // namespace miaopi::scale
