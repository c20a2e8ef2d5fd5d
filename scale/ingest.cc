#include "scale/ingest.h"

#include <charconv>
#include <chrono>
#include <filesystem>
#include <set>
#include <vector>

#include "journal/recorder.h"
#include "scale/packs.h"
#include "scale/worker.h"

namespace miaopi::scale {

namespace {

namespace fs = std::filesystem;

}  // namespace

bool IngestResults(Nats& nats, journal::Journal& journal, const IngestOptions& options, IngestStats* stats,
                   std::string* error) {
  uint64_t done = 0;
  if (std::optional<std::string> last = journal.Meta(kIngestedSeqKey)) done = DecimalOr0(*last);
  stats->first_seq = done + 1;
  uint64_t last_seq = 0, messages = 0;
  if (!nats.StreamState(Topology::kResults, &last_seq, &messages, error)) return false;
  if (!options.follow && last_seq <= done) return true;

  std::string cache_dir = options.cache_dir;
  std::string temp;
  if (cache_dir.empty()) {
    temp = (fs::temp_directory_path() / "miaopi-ingest-XXXXXX").string();
    if (!mkdtemp(temp.data())) {
      *error = "cannot make a temporary folder";
      return false;
    }
    cache_dir = temp;
  }
  struct RemoveTemp {
    std::string dir;
    ~RemoveTemp() {
      std::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  } remove_temp{temp};

  std::unique_ptr<StreamReader> reader = StreamReader::Open(nats, Topology::kResults, "results.>", done + 1, error);
  if (!reader) return false;
  std::set<std::string> archived;
  std::vector<journal::Entry> group;
  uint64_t group_last = done;
  auto commit = [&]() {
    if (group.empty()) return true;
    if (!journal.Append(&group, {{kIngestedSeqKey, std::to_string(group_last)}}, error)) return false;
    stats->entries += group.size();
    group.clear();
    return true;
  };
  auto last_progress = std::chrono::steady_clock::now();
  int quiet = 0;  // half-seconds without a message
  while (options.follow || group_last < last_seq) {
    if (options.stop && options.stop->load()) break;
    std::optional<Message> msg = reader->Next(0.5);
    if (!msg) {
      if (!commit()) return false;
      if (options.follow || ++quiet < 20) continue;
      // Ten seconds without a message: the rest is gone (expired, deleted)
      // or the stream is unreachable; say which rather than wait forever.
      uint64_t now_last = 0, now_count = 0;
      if (!nats.StreamState(Topology::kResults, &now_last, &now_count, error)) return false;
      *error = "RESULTS delivered nothing after sequence " + std::to_string(group_last) +
               " for 10 s though it ends at " + std::to_string(now_last) + " (" + std::to_string(now_count) +
               " messages kept)";
      return false;
    }
    quiet = 0;
    Message::Meta meta = msg->JetStreamMeta();
    uint64_t seq = meta.stream_seq;
    if (seq <= group_last) continue;  // the ordered consumer restarted and gave one again
    if (seq != group_last + 1) {
      // Records the journal never saw: they left the stream (max-age,
      // deleted) before an ingest read them. Never skipped silently.
      std::string gap =
          std::to_string(group_last + 1) + (seq - 1 > group_last + 1 ? "-" + std::to_string(seq - 1) : "");
      if (!options.allow_gaps) {
        *error = "RESULTS no longer holds sequence " + gap + ", which this journal never ingested; " +
                 "--allow-gaps ingests what is left and counts what is lost";
        commit();
        return false;
      }
      stats->lost += seq - group_last - 1;
    }
    std::string_view data = msg->data();
    size_t record_end = data.find('\n');
    size_t input_end = record_end == std::string_view::npos ? record_end : data.find('\n', record_end + 1);
    std::string pack(msg->Header(Headers::kPack));
    if (input_end == std::string_view::npos || pack.empty()) {
      *error = "RESULTS message " + std::to_string(seq) + " is not a miaopi record";
      commit();
      return false;
    }
    if (!archived.count(pack)) {
      std::shared_ptr<const Pack> p = FetchPack(nats, pack, cache_dir, LoadOptions{}, error);
      if (!p || !journal.Archive(*p, error)) {
        *error = "RESULTS message " + std::to_string(seq) + ": cannot archive its pack: " + *error;
        commit();
        return false;
      }
      archived.insert(pack);
      ++stats->packs;
    }
    DecideOptions decide;
    decide.date = std::string(msg->Header(Headers::kDate));
    decide.context = std::string(msg->Header(Headers::kContext));
    decide.item = std::string(msg->Header(Headers::kItem));
    group.push_back(journal::DecisionEntry(
        "nats:" + std::string(msg->Header(Headers::kWorker)), pack, decide, DecimalOr0(msg->Header(Headers::kLine)),
        std::string(data.substr(record_end + 1, input_end - record_end - 1)), std::string(data.substr(input_end + 1)),
        std::string(data.substr(0, record_end))));
    group_last = seq;
    if (group.size() >= options.group && !commit()) return false;
    if (!options.follow && meta.pending == 0 && group_last >= last_seq) break;
    auto now = std::chrono::steady_clock::now();
    if (options.progress && now - last_progress > std::chrono::milliseconds(100)) {
      options.progress(group_last - done, last_seq - done);
      last_progress = now;
    }
  }
  if (!commit()) return false;
  if (options.progress) options.progress(group_last - done, last_seq - done);
  return true;
}

}  // namespace miaopi::scale
