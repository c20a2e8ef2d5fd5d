// The constant parts of an item version's records (its code, each rule's
// reason with message and basis, the item version; the pack's part is the
// pack's, CompiledPack::record_end), escaped once when the pack is compiled
// (engine/compile/record_parts.cc) so that writing a record at run time
// (engine/runtime/record_writer.cc) is a few appends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::engine {

// What writing a record reads of each rule whatever its status, in one
// small array.
struct RuleRecord {
  uint32_t cond = 0;  // the rule's condition node
  Outcome failed = Outcome::kReview, unknown = Outcome::kReview;
};

struct RecordParts {
  // The parts every record has, in one string (one cache line or two, read
  // by every decision): the item, the obligation, the tail.
  std::string fixed;
  uint32_t item_len = 0, obligation_len = 0;
  std::string_view item() const { return {fixed.data(), item_len}; }  // "item":"FS-001","decision":"
  // ,"obligation":{…}  (mode original_check, on approve)
  std::string_view obligation() const { return {fixed.data() + item_len, obligation_len}; }
  // ,"item_version":{…} (the pack and the closing brace follow: CompiledPack::record_end)
  std::string_view tail() const { return std::string_view(fixed).substr(item_len + obligation_len); }
  std::vector<RuleRecord> rules;         // per rule
  std::vector<std::string> failed;       // per rule: {"rule":…,"status":"fail",…}
  std::vector<std::string> unknown;      // per rule: {"rule":…,"status":"unknown",… without the closing brace
  std::vector<std::string> output_keys;  // per output: "name":
  std::vector<std::pair<std::string, std::string>> licence_names;  // for CauseNames
  std::string effective, mode;                                     // as text, for Record's Decision
};

}  // namespace miaopi::engine
