// Decisions for people: the outcome (coloured on a terminal), each reason
// with its basis, missing paths and notes, the outputs, the trace, the pack.
// Shared by `miaopi eval` on a terminal and the REPL.
#pragma once

#include <string>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::cli {

// ANSI colours, or nothing when `on` is false.
struct Colors {
  bool on = false;
  const char* Outcome(miaopi::Outcome o) const {
    return !on                              ? ""
           : o == miaopi::Outcome::kApprove ? "\033[1;32m"
           : o == miaopi::Outcome::kReview  ? "\033[1;33m"
                                            : "\033[1;31m";
  }
  const char* Error() const { return on ? "\033[1;31m" : ""; }
  const char* Dim() const { return on ? "\033[2m" : ""; }
  const char* Bold() const { return on ? "\033[1m" : ""; }
  const char* Reset() const { return on ? "\033[0m" : ""; }
};

// The whole record: outcome line, reasons, outputs, trace (when present), pack.
std::string RenderRecord(const Record& r, Colors c);
// One reason: "  R03  fail → reject  message" and its basis, missing and notes.
std::string RenderReason(const Reason& reason, Colors c);
// The remedies: per rule, fixable or why not, and each change
// ("business.area_m2 = 8, need >= 10, e.g. 10").
std::string RenderRemedies(const std::vector<Remedy>& remedies, Colors c);

}  // namespace miaopi::cli
