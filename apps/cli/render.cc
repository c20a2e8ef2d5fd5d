#include "apps/cli/render.h"

namespace miaopi::cli {

std::string RenderReason(const Reason& reason, Colors c) {
  std::string s = "  " + std::string(c.Bold()) + reason.rule + c.Reset() + "  " + RuleStatusName(reason.status) +
                  " → " + c.Outcome(reason.outcome) + OutcomeName(reason.outcome) + c.Reset() + "  " + reason.message +
                  "\n";
  if (!reason.basis.empty()) s += std::string("      ") + c.Dim() + "basis: " + reason.basis + c.Reset() + "\n";
  for (const std::string& m : reason.missing) s += "      missing: " + m + "\n";
  for (const std::string& n : reason.notes) s += "      note: " + n + "\n";
  return s;
}

std::string RenderRecord(const Record& r, Colors c) {
  if (!r.ok) return std::string(c.Error()) + "error " + r.error.code + c.Reset() + ": " + r.error.message + "\n";
  const Decision& d = r.decision;
  std::string s = std::string(c.Outcome(d.decision)) + OutcomeName(d.decision) + c.Reset() + "  " + d.item + " " +
                  d.item_title + " (effective " + d.item_effective + ") on " + d.date;
  if (!d.id_json.empty()) s += "  id " + d.id_json;
  s += "\n";
  for (const Reason& reason : d.reasons) s += RenderReason(reason, c);
  if (!d.outputs.empty()) {
    s += "outputs:";
    for (const auto& [name, value] : d.outputs) s += " " + name + " = " + value;
    s += "\n";
  }
  if (!d.trace.empty()) {
    s += "trace:\n";
    for (const TraceRule& t : d.trace) {
      s += "  " + t.rule + "  " + RuleStatusName(t.status) + "\n";
      for (const std::string& f : t.facts) s += "      " + f + "\n";
    }
  }
  if (!d.remedies.empty()) s += "remedies:\n" + RenderRemedies(d.remedies, c);
  if (!d.notice.empty()) s += "\n" + d.notice + "\n";
  s += std::string(c.Dim()) + "pack " + d.pack.name + " " + d.pack.version + " " + d.pack.hash + c.Reset() + "\n";
  return s;
}

std::string RenderRemedies(const std::vector<Remedy>& remedies, Colors c) {
  std::string s;
  for (const Remedy& r : remedies) {
    s += "  " + std::string(c.Bold()) + r.rule + c.Reset() + "  " +
         (r.fixable ? std::string("fixable") : std::string(c.Error()) + "not fixable" + c.Reset()) + "  " + r.why +
         "\n";
    for (const RemedyChange& ch : r.changes) {
      if (!ch.licence.empty()) {
        s += "      licence " + ch.licence + " (" + ch.licence_title + "): " + ch.problem;
        if (ch.problem == "condition") s += ", need " + ch.need;
        s += "\n";
        for (const std::string& w : ch.ways) s += "        - " + w + "\n";
        continue;
      }
      s += "      " + ch.path;
      if (!ch.have.empty()) s += " = " + ch.have;
      if (ch.need == "provide") {
        s += ": provide " + ch.type;
        if (!ch.condition.empty()) s += ", " + ch.condition;
      } else {
        s += ": need " + ch.need;
      }
      if (!ch.example.empty()) s += std::string(c.Dim()) + "  e.g. " + ch.example + c.Reset();
      s += "\n";
    }
  }
  return s;
}

}  // namespace miaopi::cli
