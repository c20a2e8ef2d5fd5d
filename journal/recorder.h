// Turning decisions into journal entries, for the writers: `eval` and
// `serve` one at a time, `batch` through its BatchObserver. This file's
// external interface is OptionsJson, DecisionEntry and BatchRecorder.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/api/batch.h"
#include "engine/include/miaopi/miaopi.h"
#include "journal/entry.h"
#include "journal/journal.h"

namespace miaopi::journal {

// The entry's `options` column: what differs from the default, as JSON.
// `max_bytes`: the application size limit the pack was loaded with, when
// it is not the default (0: the default), so a replay loads it the same way.
std::string OptionsJson(const DecideOptions& options, uint64_t line, size_t max_bytes = 0);

// A decision's entry (seq and time are set when it is written).
Entry DecisionEntry(const std::string& caller, const std::string& pack_hash, const DecideOptions& options,
                    uint64_t line, std::string input, std::string licences, std::string record, size_t max_bytes = 0);

// A person's review of decision entry `decision`: outcome "approve" or
// "reject". Empty with `error` when the decision cannot be reviewed.
struct Review {
  uint64_t decision = 0;
  std::string outcome, reviewer, note;
};
std::optional<Entry> ReviewEntry(Journal& journal, const Review& review, const std::string& caller, std::string* error);

// Keeps every line of a batch in the journal, in input order, each chunk
// before its records are written. The licence store of the batch must be a
// RecordingLicences (or none).
class BatchRecorder : public BatchObserver {
 public:
  BatchRecorder(Journal& journal, std::string caller, std::string pack_hash, DecideOptions options,
                size_t max_bytes = 0)
      : journal_(journal), caller_(std::move(caller)), pack_(std::move(pack_hash)), options_(std::move(options)),
        max_bytes_(max_bytes) {}
  void BeforeLine() override;
  std::string AfterLine() override;
  bool Chunk(uint64_t first_line, const std::vector<std::string_view>& lines, const std::vector<std::string>& kept,
             std::string_view records, std::string* error) override;
  uint64_t written() const { return written_; }

 private:
  Journal& journal_;
  std::string caller_, pack_;
  DecideOptions options_;
  size_t max_bytes_ = 0;
  uint64_t written_ = 0;
};

}  // namespace miaopi::journal
