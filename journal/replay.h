// `miaopi replay`: every decision in a journal decided again with the pack
// that decided it (from the archive), its evaluation date, its input and
// context as received and the licence answers it used, in parallel; the
// new record compared byte for byte with the one answered. This file's
// external interface is ReplayOptions and Replay.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::journal {

struct ReplayOptions {
  uint64_t from = 0;
  uint64_t to = UINT64_MAX;      // exclusive
  int threads = 0;               // 0: all cores
  size_t max_differences = 100;  // kept for the report; all are counted
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct ReplayDifference {
  uint64_t seq = 0;
  std::string pack, date;
  std::string journal_record, replayed_record;
  std::string why;  // when it could not be decided again (the pack is not archived, …)
};

struct ReplayReport {
  uint64_t decisions = 0;  // entries replayed
  uint64_t identical = 0;
  uint64_t different = 0;
  uint64_t reviews = 0;                       // review entries: nothing to decide
  std::vector<ReplayDifference> differences;  // the first max_differences, in seq order
  std::string error;                          // the journal could not be read
};

ReplayReport Replay(const std::string& dir, const ReplayOptions& options);

// DecideOptions from an entry's `options` column and date; false when the
// column is malformed. `line` receives the batch line the record names,
// `max_bytes` (when given) the application size limit (0: the default).
bool DecideOptionsOf(const std::string& options_json, const std::string& date, const std::string& context,
                     DecideOptions* out, uint64_t* line, uint64_t* max_bytes = nullptr);

}  // namespace miaopi::journal
