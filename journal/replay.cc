#include "journal/replay.h"

#include <rapidjson/document.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "engine/api/batch.h"
#include "journal/audit.h"
#include "journal/licence_capture.h"

namespace miaopi::journal {

bool DecideOptionsOf(const std::string& options_json, const std::string& date, const std::string& context,
                     DecideOptions* out, uint64_t* line, uint64_t* max_bytes) {
  *out = DecideOptions{};
  out->date = date;
  out->context = context;
  *line = 0;
  if (max_bytes != nullptr) *max_bytes = 0;
  if (options_json.empty()) return true;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(options_json.data(), options_json.size());
  if (doc.HasParseError() || !doc.IsObject()) return false;
  for (const auto& m : doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key == "explain" && m.value.IsBool()) {
      out->explain = m.value.GetBool();
    } else if (key == "remedies" && m.value.IsBool()) {
      out->remedies = m.value.GetBool();
    } else if (key == "notice" && m.value.IsBool()) {
      out->notice = m.value.GetBool();
    } else if (key == "item" && m.value.IsString()) {
      out->item.assign(m.value.GetString(), m.value.GetStringLength());
    } else if (key == "line" && m.value.IsUint64()) {
      *line = m.value.GetUint64();
    } else if (key == "max_bytes" && m.value.IsUint64()) {
      if (max_bytes != nullptr) *max_bytes = m.value.GetUint64();
    } else {
      return false;
    }
  }
  return true;
}

namespace {

// Archived packs, loaded once each, shared by the replaying threads.
class PackCache {
 public:
  explicit PackCache(std::string dir) : dir_(std::move(dir)) {}
  // The archived pack `hash`, loaded with the application size limit it
  // decided with (0: the default).
  std::shared_ptr<const Pack> Get(const std::string& hash, uint64_t max_bytes, std::string* why) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = hash + "/" + std::to_string(max_bytes);
    auto it = packs_.find(key);
    if (it == packs_.end()) {
      std::string folder = (std::filesystem::path(dir_) / "packs" / hash.substr(hash.find(':') + 1)).string();
      LoadOptions load;
      if (max_bytes > 0) load.limits.max_application_bytes = max_bytes;
      LoadResult loaded = LoadPack(folder, load);
      std::string problem;
      if (!loaded.ok()) {
        problem = "the archived pack " + hash +
                  " does not load: " + (loaded.io_error.empty() ? loaded.rendered : loaded.io_error);
      } else if (loaded.pack->identity().hash != hash) {
        problem = "the archived pack " + hash + " hashes to " + loaded.pack->identity().hash;
        loaded.pack = nullptr;
      }
      it = packs_.emplace(key, std::make_pair(loaded.pack, problem)).first;
    }
    *why = it->second.second;
    return it->second.first;
  }

 private:
  std::string dir_;
  std::mutex mutex_;
  std::map<std::string, std::pair<std::shared_ptr<const Pack>, std::string>> packs_;
};

}  // namespace

ReplayReport Replay(const std::string& dir, const ReplayOptions& options) {
  ReplayReport report;
  std::unique_ptr<JournalReader> reader = JournalReader::Open(dir, &report.error);
  if (!reader) return report;
  uint64_t total = std::min<uint64_t>(reader->size(), options.to);
  total = total > options.from ? total - options.from : 0;
  PackCache packs(dir);
  auto licences = std::make_shared<ReplayLicences>();
  using Evaluators = std::map<std::string, std::unique_ptr<Evaluator>>;
  tbb::enumerable_thread_specific<Evaluators> evaluators;
  int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  std::vector<Entry> chunk;
  uint64_t done = 0;
  auto flush = [&] {
    std::vector<std::string> replayed(chunk.size());
    std::vector<std::string> why(chunk.size());
    arena.execute([&] {
      tbb::parallel_for(size_t{0}, chunk.size(), [&](size_t i) {
        const Entry& e = chunk[i];
        DecideOptions decide;
        uint64_t line = 0, max_bytes = 0;
        if (!DecideOptionsOf(e.options, e.date, e.context, &decide, &line, &max_bytes)) {
          why[i] = "the entry's options are malformed";
          return;
        }
        std::shared_ptr<const Pack> pack = packs.Get(e.pack, max_bytes, &why[i]);
        if (!pack) return;
        std::string error;
        if (!SetReplayAnswers(e.licences, &error)) {
          why[i] = error;
          return;
        }
        std::unique_ptr<Evaluator>& evaluator = evaluators.local()[e.pack + "/" + std::to_string(max_bytes)];
        if (!evaluator) evaluator = std::make_unique<Evaluator>(pack, licences);
        // A batch's line (it has a number) is decided as batch decides
        // lines: a blank one is an "empty line" error record.
        if (line > 0) {
          DecideBatchLine(*evaluator, e.input, decide, line, &replayed[i]);
        } else {
          evaluator->DecideToJson(e.input, decide, line, &replayed[i]);
        }
      });
    });
    for (size_t i = 0; i < chunk.size(); ++i) {
      const Entry& e = chunk[i];
      ++report.decisions;
      if (why[i].empty() && replayed[i] == e.record) {
        ++report.identical;
        continue;
      }
      // An input over the limit was kept only up to the limit: its record
      // (which states the full size) is compared by its code.
      constexpr std::string_view kTooLarge = "\"error\":{\"code\":\"too_large\"";
      if (why[i].empty() && e.record.find(kTooLarge) != std::string::npos &&
          replayed[i].find(kTooLarge) != std::string::npos) {
        ++report.identical;
        continue;
      }
      ++report.different;
      if (report.differences.size() < options.max_differences) {
        report.differences.push_back({e.seq, e.pack, e.date, e.record, replayed[i], why[i]});
      }
    }
    done += chunk.size();
    chunk.clear();
    if (options.progress) options.progress(done, total);
  };
  bool ok = reader->ForEach(
      options.from, options.to,
      [&](const Entry& e, const std::string&) {
        if (e.kind != "decision") {
          ++report.reviews;
          ++done;
          return true;
        }
        chunk.push_back(e);
        if (chunk.size() >= 4096) flush();
        return true;
      },
      &report.error);
  if (ok) flush();
  return report;
}

}  // namespace miaopi::journal
