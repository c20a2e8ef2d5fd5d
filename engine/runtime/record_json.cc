// Records as one line of JSON each: the contract of LANGUAGE.md
// ("Decision records"), written with the pieces of
// engine/runtime/record_format.h, as the batch fast path writes them.
#include <rapidjson/stringbuffer.h>

#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/record_format.h"

namespace miaopi {

std::string ToJson(const Record& record) {
  namespace rec = engine::record;
  std::string out;
  if (!record.ok) {
    rec::Error(record.error, &out);
    return out;
  }
  const Decision& d = record.decision;
  rec::Open(d.id_json, &out);
  out += rec::ItemKey(d.item);
  rec::DecisionAndDate(OutcomeName(d.decision), d.date, &out);
  rapidjson::StringBuffer scratch;
  for (size_t i = 0; i < d.reasons.size(); ++i) {
    const Reason& r = d.reasons[i];
    if (i) out += ',';
    out += rec::ReasonOpen(r.rule, r.outcome, r.status, r.message, r.basis);
    rec::List("missing", r.missing, r.missing.size(), scratch, &out);
    rec::List("notes", r.notes, r.notes.size(), scratch, &out);
    out += '}';
  }
  out += ']';
  if (d.mode == "original_check" && d.decision == Outcome::kApprove) out += rec::Obligation();
  if (!d.outputs.empty()) {
    out += rec::kOutputsOpen;
    for (size_t i = 0; i < d.outputs.size(); ++i) {
      if (i) out += ',';
      out += rec::OutputKey(d.outputs[i].first);
      out += d.outputs[i].second;
    }
    out += '}';
  }
  out += rec::ItemVersion(d.item_title, d.item_effective, d.mode);
  rec::Trace(d.trace, &out);
  rec::Remedies(d.remedies, &out);
  rec::NoticeMember(d.notice, &out);
  out += rec::PackAndClose(d.pack);
  return out;
}

}  // namespace miaopi
