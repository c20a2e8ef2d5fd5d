// `miaopi journal stats`: what the journal says about the rules. Per item
// and per rule, how often a machine decision a person reviewed ended in
// approve or reject — the evidence that tells a rule too strict (people
// approve what it sends them) from one that catches real problems — and
// decisions per day, per outcome and per pack version. This file's
// external interface is JournalStats, ComputeStats, StatsText and
// StatsJson.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace miaopi::journal {

struct HumanTally {
  uint64_t decisions = 0;  // machine decisions (for a rule: that it did not pass)
  uint64_t reviewed = 0;   // of those, reviewed by a person (the latest review counts)
  uint64_t approved = 0, rejected = 0;
};

struct JournalStats {
  uint64_t decisions = 0, reviews = 0;
  std::map<std::string, std::array<uint64_t, 4>> by_item;  // approve, review, reject, error
  std::map<std::string, HumanTally> item_reviews;          // item → its machine reviews and what people made of them
  std::map<std::pair<std::string, std::string>, HumanTally> rule_reviews;  // (item, rule) among the reasons
  std::map<std::string, std::array<uint64_t, 4>> by_day;                   // YYYY-MM-DD of the entry's time
  std::map<std::string, uint64_t> by_pack;                                 // "name version (hash prefix)"
  std::string error;
};

JournalStats ComputeStats(const std::string& dir);
std::string StatsText(const JournalStats& stats);
std::string StatsJson(const JournalStats& stats);

}  // namespace miaopi::journal
