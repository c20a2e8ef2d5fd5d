// `miaopi journal export`: the journal's entries as JSONL, for analysis or
// transfer. With masking, the input paths an item declares `private`, and
// the logged-in subject's id and name in the request context, are masked —
// ID numbers keep their region (first six characters) and check character,
// other text its first character — and the same values are masked wherever
// they appear in the record; licence answers are left out. Each line says
// what was masked. A masked entry no longer matches its leaf hash: the
// journal stays the evidence. This file's external interface is
// ExportOptions, ExportJournal and MaskText.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace miaopi::journal {

struct ExportOptions {
  bool mask = false;
  uint64_t from = 0, to = UINT64_MAX;
};

struct ExportReport {
  uint64_t entries = 0;
  uint64_t masked_values = 0;
  uint64_t left_out = 0;  // inputs left out whole: the item's private fields were not known
  std::string error;
};

ExportReport ExportJournal(const std::string& dir, const ExportOptions& options, std::ostream& out);

// The masked form of one personal value.
std::string MaskText(std::string_view text);

}  // namespace miaopi::journal
