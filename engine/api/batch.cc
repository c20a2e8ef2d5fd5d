#include "engine/api/batch.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/api/chunk_reader.h"
#include "engine/compile/pack.h"
#include "engine/runtime/decider.h"

namespace miaopi {

namespace {

struct Chunk {
  uint64_t first_line = 0;
  uint64_t count = 0;  // lines in the chunk
  uint64_t bytes_after = 0;
  TextBuffer text;                      // the lines, then simdjson's padding
  std::vector<std::string_view> lines;  // into `text`
  std::vector<size_t> dropped;
  std::vector<std::string> kept;  // BatchObserver::AfterLine, per line
  std::string output;
  uint64_t approve = 0, review = 0, reject = 0, errors = 0;
  std::map<std::string, OutcomeTally, std::less<>> by_item;
  std::map<std::string, ReasonTally> by_reason;
  std::map<std::string, uint64_t, std::less<>> by_error;

  void Reset() {
    first_line = count = bytes_after = 0;
    text.clear();
    lines.clear();
    dropped.clear();
    kept.clear();
    output.clear();
    approve = review = reject = errors = 0;
    by_item.clear();
    by_reason.clear();
    by_error.clear();
  }
};

// Written chunks go back to the reader, so their buffers (text, output)
// are reused instead of allocated, zeroed and freed per chunk.
class ChunkPool {
 public:
  std::unique_ptr<Chunk> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::make_unique<Chunk>();
    std::unique_ptr<Chunk> c = std::move(free_.back());
    free_.pop_back();
    return c;
  }
  void Give(std::unique_ptr<Chunk> c) {
    c->Reset();
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(c));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Chunk>> free_;
};

// BatchOptions::count: the item of a decision, or the code of an error
// record, read back from the record's line (a quote inside a JSON string is
// escaped, so the first match is the member).
void Count(std::string_view record, bool decided, Outcome outcome, Chunk* chunk) {
  std::string_view key = decided ? "\"item\":\"" : "\"error\":{\"code\":\"";
  size_t at = record.find(key);
  if (at == std::string_view::npos) return;
  at += key.size();
  std::string_view value = record.substr(at, record.find('"', at) - at);
  if (!decided) {
    auto it = chunk->by_error.find(value);
    if (it == chunk->by_error.end()) it = chunk->by_error.emplace(std::string(value), 0).first;
    ++it->second;
    return;
  }
  auto it = chunk->by_item.find(value);
  if (it == chunk->by_item.end()) it = chunk->by_item.emplace(std::string(value), OutcomeTally{}).first;
  (outcome == Outcome::kApprove  ? it->second.approve
   : outcome == Outcome::kReview ? it->second.review
                                 : it->second.reject)++;
}

Record TooLarge(size_t bytes, size_t limit) {
  Record r;
  r.error.code = "too_large";
  r.error.message = "the line has " + std::to_string(bytes) + " bytes; the limit is " + std::to_string(limit);
  return r;
}

Record EmptyLine() {
  Record r;
  r.error.code = "invalid_json";
  r.error.message = "empty line";
  return r;
}

bool Blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

void Tally(const Decision& d, Chunk* chunk) {
  OutcomeTally& item = chunk->by_item[d.item];
  (d.decision == Outcome::kApprove ? item.approve : d.decision == Outcome::kReview ? item.review : item.reject)++;
  for (const Reason& reason : d.reasons) {
    bool unknown = reason.status == RuleStatus::kUnknown;
    ReasonTally& t = chunk->by_reason[d.item + " " + reason.rule + (unknown ? " ?" : "")];
    if (t.count++ == 0) {
      t.outcome = reason.outcome;
      t.status = reason.status;
      t.message = reason.message;
    }
  }
}

}  // namespace

BatchStats RunBatch(std::shared_ptr<const Pack> pack, std::istream& in, std::ostream& out,
                    const BatchOptions& options) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  const Limits& limits = pack->impl().limits;
  ChunkReader reader(in, limits.max_application_bytes, options.lines_per_chunk);
  uint64_t next_line = 1;
  BatchStats stats;
  std::atomic<bool> output_failed{false};
  int output_errno = 0;
  std::string observer_error;  // written by the serial output stage only
  std::atomic<bool> observer_failed{false};
  bool interrupted = false;
  auto stop_reading = [&] {
    if (output_failed.load(std::memory_order_relaxed) || observer_failed.load(std::memory_order_relaxed)) return true;
    if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) interrupted = true;
    return interrupted;
  };
  auto last_progress = start;
  tbb::enumerable_thread_specific<std::unique_ptr<Evaluator>> evaluators(
      [&] { return std::make_unique<Evaluator>(pack, options.licences); });
  // One line's record appended to the chunk's output, its counts kept.
  auto decide_line = [&](Evaluator& e, Chunk* chunk, size_t i) {
    const std::string_view line = chunk->lines[i];
    const size_t capacity = static_cast<size_t>(chunk->text.data() + chunk->text.size() - line.data());
    bool blank = Blank(line);
    if (chunk->dropped[i] == 0 && !blank && !options.tally) {
      // The fast path: the record straight from the evaluation.
      size_t record_at = chunk->output.size();
      std::optional<Outcome> outcome =
          e.DecideToJson(line, options.decide, chunk->first_line + i, &chunk->output, capacity);
      if (options.count) {
        Count(std::string_view(chunk->output).substr(record_at), outcome.has_value(),
              outcome.value_or(Outcome::kReview), chunk);
      }
      chunk->output += '\n';
      if (!outcome)
        ++chunk->errors;
      else if (*outcome == Outcome::kApprove)
        ++chunk->approve;
      else if (*outcome == Outcome::kReview)
        ++chunk->review;
      else
        ++chunk->reject;
      return;
    }
    Record r;
    if (chunk->dropped[i] > 0) {
      r = TooLarge(line.size() + chunk->dropped[i], limits.max_application_bytes);
    } else if (blank) {
      r = EmptyLine();
    } else {
      r = e.Decide(line, options.decide);
    }
    if (!r.ok) {
      r.error.line = chunk->first_line + i;
      ++chunk->errors;
    } else if (r.decision.decision == Outcome::kApprove) {
      ++chunk->approve;
    } else if (r.decision.decision == Outcome::kReview) {
      ++chunk->review;
    } else {
      ++chunk->reject;
    }
    if (r.ok && options.tally) Tally(r.decision, chunk);
    size_t record_at = chunk->output.size();
    chunk->output += ToJson(r);
    if (options.count && !(r.ok && options.tally)) {
      Count(std::string_view(chunk->output).substr(record_at), r.ok, r.decision.decision, chunk);
    }
    chunk->output += '\n';
  };
  ChunkPool pool;
  int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<size_t>(threads) * 4,
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> Chunk* {
          if (stop_reading()) {
            fc.stop();
            return nullptr;
          }
          std::unique_ptr<Chunk> chunk = pool.Take();
          chunk->first_line = next_line;
          if (!reader.Fill(&chunk->text, &chunk->lines, &chunk->dropped)) {
            pool.Give(std::move(chunk));
            stop_reading();  // records why reading ended
            fc.stop();
            return nullptr;
          }
          chunk->count = chunk->lines.size();
          next_line += chunk->count;
          chunk->bytes_after = reader.bytes();
          return chunk.release();
        }) & tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel, [&](Chunk* chunk) -> Chunk* {
          Evaluator& e = *evaluators.local();
          if (options.observer != nullptr) chunk->kept.resize(chunk->lines.size());
          for (size_t i = 0; i < chunk->lines.size(); ++i) {
            if (options.observer != nullptr) options.observer->BeforeLine();
            decide_line(e, chunk, i);
            if (options.observer != nullptr) chunk->kept[i] = options.observer->AfterLine();
          }
          if (options.observer == nullptr) chunk->lines.clear();
          return chunk;
        }) & tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, [&](Chunk* raw) {
          std::unique_ptr<Chunk> chunk(raw);
          struct GiveBack {
            ChunkPool& pool;
            std::unique_ptr<Chunk>& chunk;
            ~GiveBack() { pool.Give(std::move(chunk)); }
          } give_back{pool, chunk};
          if (!out) return;  // a failed output: nothing more is written (or counted)
          if (options.observer != nullptr && observer_error.empty() &&
              !options.observer->Chunk(chunk->first_line, chunk->lines, chunk->kept, chunk->output, &observer_error)) {
            if (observer_error.empty()) observer_error = "the batch observer refused a chunk";
            observer_failed = true;
          }
          if (!observer_error.empty()) return;  // nothing more is written (or counted)
          out.write(chunk->output.data(), static_cast<std::streamsize>(chunk->output.size()));
          if (!out) {
            output_errno = errno;
            output_failed = true;
            return;
          }
          stats.lines += chunk->count;
          stats.approve += chunk->approve;
          stats.review += chunk->review;
          stats.reject += chunk->reject;
          stats.errors += chunk->errors;
          for (const auto& [item, t] : chunk->by_item) {
            OutcomeTally& sum = stats.by_item[item];
            sum.approve += t.approve;
            sum.review += t.review;
            sum.reject += t.reject;
          }
          for (const auto& [code, n] : chunk->by_error) stats.by_error[code] += n;
          for (const auto& [key, t] : chunk->by_reason) {
            ReasonTally& sum = stats.by_reason[key];
            if (sum.count == 0)
              sum = t;
            else
              sum.count += t.count;
          }
          auto now = Clock::now();
          if (options.progress && now - last_progress > std::chrono::milliseconds(100)) {
            last_progress = now;
            options.progress({stats.lines, chunk->bytes_after, std::chrono::duration<double>(now - start).count()});
          }
        }));
  });
  if (out) {
    out.flush();
    if (!out) output_errno = errno;
  }
  stats.output_failed = output_failed || !out;
  stats.observer_error = observer_error;
  stats.output_errno = output_errno;
  stats.interrupted = interrupted;
  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return stats;
}

std::optional<Outcome> DecideBatchLine(Evaluator& evaluator, std::string_view line, const DecideOptions& options,
                                       uint64_t line_number, std::string* out, size_t line_bytes) {
  size_t limit = evaluator.pack().impl().limits.max_application_bytes;
  size_t bytes = std::max(line_bytes, line.size());
  if (line_bytes == 0 && bytes <= limit && !Blank(line)) {
    return evaluator.DecideToJson(line, options, line_number, out);
  }
  Record r;
  if (bytes > limit) {
    r = TooLarge(bytes, limit);
  } else if (line_bytes > 0) {
    r.error.code = "too_large";
    r.error.message = "the line has " + std::to_string(bytes) + " bytes; more than the queue's message limit";
  } else {
    r = EmptyLine();
  }
  r.error.line = line_number;
  *out += ToJson(r);
  return std::nullopt;
}

}  // namespace miaopi
