// One journal entry: a decision as it was asked and answered, or a
// person's review of one. Stored as readable text columns; its leaf in the
// Merkle tree is the hash of EntryBytes, a length-prefixed encoding of every
// column, so a change to any byte of any column changes the leaf:
//   "miaopi-journal-entry/1\n" then, per field in this order,
//   "<name> <byte length>\n<bytes>\n"
//   seq kind time caller pack date options input context licences record
// This file's external interface is Entry, EntryBytes, EntryToJson and
// EntryFromJson.
#pragma once

#include <rapidjson/document.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace miaopi::journal {

struct Entry {
  uint64_t seq = 0;               // the leaf index: 0, 1, 2, …
  std::string kind = "decision";  // "decision" or "review"
  std::string time;               // UTC, RFC 3339 with microseconds
  std::string caller;             // the token's name; "cli" for the command line
  std::string pack;               // the deciding pack's hash ("sha256:…"); "" for a review
  std::string date;               // the evaluation date
  // How it was asked, as JSON: {"explain":…, "item":…, "line":…} (only
  // what differs from the default), or for a review {"decision": SEQ}.
  std::string options;
  std::string input;     // the application exactly as received
  std::string context;   // the request context JSON as received, or ""
  std::string licences;  // the licence library's answers the decision used (JSON array), or ""
  std::string record;    // the record as answered, or the review outcome
};

std::string EntryBytes(const Entry& e);
// LeafHash(EntryBytes(e)), computed without building the bytes.
std::array<uint8_t, 32> EntryLeafHash(const Entry& e);

// The entry as one JSON object (every field a string but seq): what proofs
// carry and `journal export` writes.
std::string EntryToJson(const Entry& e);
std::optional<Entry> EntryFromJson(std::string_view json, std::string* error);
// The same from a parsed object: exactly the eleven fields, or nullopt.
std::optional<Entry> EntryFromValue(const rapidjson::Value& v, std::string* error);

}  // namespace miaopi::journal
