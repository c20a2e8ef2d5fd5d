// Which licence a subject may use: the rules of 免证办 in one place, shared
// by the evaluator and the reference evaluator. Visible are the subject's own
// licences and those listing it as a related party, and only of the subject's
// kind of login (a person's at a natural-person login, a company's at a
// legal-person login). Only a licence in force on the evaluation date is ever
// used: status "valid", issued on or before the date, not expired. When the
// subject has none in force, the answer is why (revoked, cancelled, expired,
// not yet valid, …, of the latest issued), and the licence is unknown: the
// application goes to review unless a rule says otherwise (licence_status).
// A record the engine cannot read counts as unreadable, never as in force,
// and is reported once to the log sink. This file's external interface is
// ChooseLicence.
#pragma once

#include <rapidjson/document.h>

#include <deque>
#include <string_view>

#include "engine/include/miaopi/licences.h"
#include "engine/runtime/causes.h"

namespace miaopi::engine {

// The chosen licence (parsed into `documents`), or null with `problem` set.
const rapidjson::Value* ChooseLicence(LicenceStore& store, std::string_view type, std::string_view key,
                                      std::string_view subject_kind, std::string_view subject_id, int32_t today,
                                      std::deque<rapidjson::Document>& documents, LicenceProblem* problem);

// Whether a licence record is in force on `today`: nullopt when it is, else
// why not (kUnreadable for a record of the wrong shape).
std::optional<LicenceProblem> LicenceNotInForce(const rapidjson::Value& licence, int32_t today);

}  // namespace miaopi::engine
