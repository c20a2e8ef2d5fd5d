// `miaopi diff OLD_PACK NEW_PACK INPUT`: what a new rule version would
// change. Every application of INPUT — a journal (each entry with its own
// date, context and licence answers) or a JSONL file (one date) — decided
// by both packs in parallel; the outcome transitions overall and per item,
// for each rule how many applications it newly fails or newly passes, and
// sample ids of each transition. Rendered as text, JSON, or a
// self-contained HTML page. This file's external interface is DiffOptions,
// DiffReport, RunDiff, DiffJson, DiffHtml and DiffText.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::journal {

// approve, review, reject, error: rows are the old pack's outcome, columns the new one's.
inline constexpr int kOutcomes = 4;
using Matrix = std::array<std::array<uint64_t, kOutcomes>, kOutcomes>;
const char* TransitionName(int outcome);  // "approve", "review", "reject", "error"

struct DiffOptions {
  std::string input;                       // a journal folder, a JSONL file, or "-"
  std::string date;                        // JSONL: the evaluation date (default today)
  std::string context;                     // JSONL: the request context, if any
  std::shared_ptr<LicenceStore> licences;  // JSONL: the licence library, if any
  int threads = 0;                         // 0: all cores
  size_t samples = 5;                      // sample ids kept per transition
  std::function<void(uint64_t done, uint64_t bytes_done, uint64_t bytes_total)> progress;
};

struct RuleChange {
  uint64_t newly_fail = 0;  // passed under the old pack, fails or is unknown under the new
  uint64_t newly_pass = 0;  // did not pass under the old pack, passes under the new
};

struct DiffReport {
  PackIdentity old_pack, new_pack;
  std::string input;
  uint64_t applications = 0;
  Matrix matrix{};
  std::map<std::string, Matrix> by_item;                            // item ("" for error records without one)
  std::map<std::pair<std::string, std::string>, RuleChange> rules;  // (item, rule)
  std::map<std::pair<int, int>, std::vector<std::string>> samples;  // transition → ids (in input order)
  double seconds = 0;
  std::string error;  // the input could not be read
};

DiffReport RunDiff(std::shared_ptr<const Pack> old_pack, std::shared_ptr<const Pack> new_pack,
                   const DiffOptions& options);

std::string DiffJson(const DiffReport& report);
std::string DiffHtml(const DiffReport& report);
std::string DiffText(const DiffReport& report);

}  // namespace miaopi::journal
