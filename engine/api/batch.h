// Batch runs: JSONL in, one record per input line out, in input order —
// a oneTBB pipeline (read chunk → decide chunk in parallel → write chunk).
// Every line gets a record; a bad line gets an error record with its line
// number and the run goes on. This file's external interface is RunBatch.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi {

struct BatchProgress {
  uint64_t lines = 0;
  uint64_t bytes = 0;  // input bytes consumed so far
  double seconds = 0;
};

struct OutcomeTally {
  uint64_t approve = 0, review = 0, reject = 0;
};

struct ReasonTally {
  uint64_t count = 0;
  Outcome outcome = Outcome::kReview;
  RuleStatus status = RuleStatus::kFail;
  std::string message;
};

struct BatchStats {
  uint64_t lines = 0;          // lines read, decided and written (every one of them whole)
  bool interrupted = false;    // BatchOptions::stop was set: reading stopped early
  bool output_failed = false;  // a write to `out` failed; reading stopped
  int output_errno = 0;        // errno of that write (EPIPE: the reader went away)
  std::string observer_error;  // BatchObserver::Chunk refused a chunk; reading stopped
  uint64_t approve = 0, review = 0, reject = 0, errors = 0;
  double seconds = 0;
  // With BatchOptions::tally: outcomes per item, and how often each rule
  // was among the reasons, failed ("ITEM RULE") or unknown ("ITEM RULE ?").
  std::map<std::string, OutcomeTally> by_item;
  std::map<std::string, ReasonTally> by_reason;
  // With BatchOptions::count, error records by code.
  std::map<std::string, uint64_t> by_error;
};

// Sees every line of a batch as it is decided and every chunk before its
// records are written: how the journal keeps a batch (journal/, above the
// engine). BeforeLine and AfterLine run on the deciding thread, around one
// line; Chunk runs in input order.
class BatchObserver {
 public:
  virtual ~BatchObserver() = default;
  virtual void BeforeLine() {}
  // Returns what to keep beside the line (the licence answers it used).
  virtual std::string AfterLine() { return {}; }
  // `lines` the inputs (valid during the call), `kept` what AfterLine returned, `records` one line
  // each ('\n'-terminated), all in input order. False (with `error`) stops
  // the run: that chunk's records are not written.
  virtual bool Chunk(uint64_t first_line, const std::vector<std::string_view>& lines,
                     const std::vector<std::string>& kept, std::string_view records, std::string* error) = 0;
};

struct BatchOptions {
  int threads = 0;  // 0: all cores
  DecideOptions decide;
  size_t lines_per_chunk = 256;            // unit of work handed to a thread
  bool tally = false;                      // fill BatchStats::by_item and by_reason
  bool count = false;                      // fill BatchStats::by_item and by_error, keeping the fast path
  std::shared_ptr<LicenceStore> licences;  // for `uses licence`; null: licences are unknown
  // Called from the writing stage, at most about ten times a second.
  std::function<void(const BatchProgress&)> progress;
  // Set (from a signal handler, another thread) to stop reading: the lines
  // already read are decided and written whole, then RunBatch returns.
  const std::atomic<bool>* stop = nullptr;
  BatchObserver* observer = nullptr;
};

BatchStats RunBatch(std::shared_ptr<const Pack> pack, std::istream& in, std::ostream& out, const BatchOptions& options);

// One JSONL line (without its line break) decided as RunBatch decides it —
// a blank line (spaces and tabs only) and one over the pack's size limit
// get RunBatch's error records — appended to `out` without a newline: for
// those that take lines one at a time (scale/'s workers). The decision, or
// nullopt for an error record.
// `line_bytes`, when not 0, is the line's real length when `line` is not
// all of it (a queue that could not carry it): over the limit it is
// batch's too_large record; under it, a too_large record naming the queue.
std::optional<Outcome> DecideBatchLine(Evaluator& evaluator, std::string_view line, const DecideOptions& options,
                                       uint64_t line_number, std::string* out, size_t line_bytes = 0);

}  // namespace miaopi
