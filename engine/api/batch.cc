#include "engine/api/batch.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "engine/compile/pack.h"

namespace miaopi {

namespace {

// Reads lines, but never holds more than `max_line` bytes of one line: the
// rest of an oversized line is skipped and counted.
class LineReader {
 public:
  LineReader(std::istream& in, size_t max_line) : in_(in), max_line_(max_line) {}

  // False at the end of input. `*dropped` is the byte count past the limit.
  // A UTF-8 byte order mark before the first line is not part of it.
  bool Next(std::string* line, size_t* dropped) {
    line->clear();
    *dropped = 0;
    bool any = false;
    for (;;) {
      if (pos_ == end_) {
        in_.read(buffer_, sizeof buffer_);
        end_ = static_cast<size_t>(in_.gcount());
        pos_ = 0;
        if (end_ == 0) return any;
        if (bytes_ == 0 && !bom_checked_) {
          bom_checked_ = true;
          if (end_ >= 3 && std::memcmp(buffer_, "\xEF\xBB\xBF", 3) == 0) {
            pos_ = 3;
            bytes_ = 3;
            if (pos_ == end_) continue;
          }
        }
      }
      any = true;
      const char* start = buffer_ + pos_;
      const char* nl = static_cast<const char*>(memchr(start, '\n', end_ - pos_));
      size_t len = nl ? static_cast<size_t>(nl - start) : end_ - pos_;
      size_t room = line->size() < max_line_ ? max_line_ - line->size() : 0;
      line->append(start, std::min(len, room));
      *dropped += len - std::min(len, room);
      pos_ += len + (nl ? 1 : 0);
      bytes_ += len + (nl ? 1 : 0);
      if (nl) {
        if (!line->empty() && line->back() == '\r') line->pop_back();
        return true;
      }
    }
  }

  uint64_t bytes() const { return bytes_; }

 private:
  std::istream& in_;
  size_t max_line_;
  char buffer_[1 << 16];
  size_t pos_ = 0, end_ = 0;
  uint64_t bytes_ = 0;
  bool bom_checked_ = false;
};

struct Chunk {
  uint64_t first_line = 0;
  uint64_t count = 0;  // lines in the chunk
  uint64_t bytes_after = 0;
  std::vector<std::string> lines;
  std::vector<size_t> dropped;
  std::vector<std::string> kept;  // BatchObserver::AfterLine, per line
  std::string output;
  uint64_t approve = 0, review = 0, reject = 0, errors = 0;
  std::map<std::string, OutcomeTally, std::less<>> by_item;
  std::map<std::string, ReasonTally> by_reason;
  std::map<std::string, uint64_t, std::less<>> by_error;
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
  LineReader reader(in, limits.max_application_bytes);
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
    Record r;
    const std::string& line = chunk->lines[i];
    bool blank = line.find_first_not_of(" \t") == std::string::npos;
    if (chunk->dropped[i] == 0 && !blank && !options.tally) {
      // The fast path: the record straight from the evaluation.
      size_t record_at = chunk->output.size();
      std::optional<Outcome> outcome = e.DecideToJson(line, options.decide, chunk->first_line + i, &chunk->output);
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
    if (chunk->dropped[i] > 0) {
      r.error.code = "too_large";
      r.error.message = "the line has " + std::to_string(line.size() + chunk->dropped[i]) + " bytes; the limit is " +
                        std::to_string(limits.max_application_bytes);
    } else if (blank) {
      r.error.code = "invalid_json";
      r.error.message = "empty line";
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
          auto chunk = std::make_unique<Chunk>();
          chunk->first_line = next_line;
          std::string line;
          size_t dropped;
          while (chunk->lines.size() < options.lines_per_chunk && !stop_reading() && reader.Next(&line, &dropped)) {
            chunk->lines.push_back(std::move(line));
            chunk->dropped.push_back(dropped);
          }
          if (chunk->lines.empty()) {
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

}  // namespace miaopi
