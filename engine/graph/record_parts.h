// The constant parts of an item version's records (its code, each rule's
// reason with message and basis, the item version and the pack), escaped
// once when the pack is compiled (engine/compile/record_parts.cc) so that
// writing a record at run time (engine/runtime/record_writer.cc) is a few
// appends.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::engine {

struct RecordParts {
  std::string item;                  // "item":"FS-001","decision":"
  std::string obligation;            // ,"obligation":{…}  (mode original_check, on approve)
  std::string tail;                  // ,"item_version":{…},"pack":{…}}
  std::vector<std::string> failed;   // per rule: {"rule":…,"status":"fail",…}
  std::vector<std::string> unknown;  // per rule: {"rule":…,"status":"unknown",… without the closing brace
  std::vector<Outcome> failed_outcome, unknown_outcome;
  std::vector<std::string> output_keys;                            // per output: "name":
  std::vector<std::pair<std::string, std::string>> licence_names;  // for CauseNames
  std::string effective, mode;                                     // as text, for Record's Decision
  std::vector<uint32_t> rule_conds;                                // each rule's condition node, contiguous
};

}  // namespace miaopi::engine
