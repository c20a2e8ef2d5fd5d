// Which licence a subject may use: the rules of 免证办 in one place, shared
// by the evaluator and the reference evaluator. Visible are the subject's own
// licences and those listing it as a related party, and only of the subject's
// kind of login (a person's at a natural-person login, a company's at a
// legal-person login); of those, one in force (status valid, not expired)
// before one that is not, then the latest issued. This file's external
// interface is ChooseLicence.
#pragma once

#include <rapidjson/document.h>

#include <deque>
#include <string_view>

#include "engine/causes.h"
#include "engine/include/miaopi/licences.h"

namespace miaopi::engine {

// The chosen licence (parsed into `documents`), or null with `problem` set:
// not found, expired, or the store failed.
const rapidjson::Value* ChooseLicence(LicenceStore& store, std::string_view type, std::string_view key,
                                      std::string_view subject_kind, std::string_view subject_id, int32_t today,
                                      std::deque<rapidjson::Document>& documents, LicenceProblem* problem);

}  // namespace miaopi::engine
