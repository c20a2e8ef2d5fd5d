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
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/include/miaopi/licences.h"
#include "engine/runtime/causes.h"

namespace miaopi::engine {

// The chosen licence (parsed into `documents`), or null with `problem` set.
const rapidjson::Value* ChooseLicence(LicenceStore& store, std::string_view type, std::string_view key,
                                      std::string_view subject_kind, std::string_view subject_id, int32_t today,
                                      std::deque<rapidjson::Document>& documents, LicenceProblem* problem);

// What the choice reads of one record, read once (pointing into its document).
struct LicenceFacts {
  bool has_type = false, holder_ok = false;  // holder_ok: {"id", "kind"} both strings
  std::string_view type, holder_kind, holder_id, issued_text;
  std::vector<std::string_view> related;  // the related parties' ids
  // Why it is not in force whatever the date (a status other than "valid",
  // or kUnreadable), or nullopt; then the dates decide.
  std::optional<LicenceProblem> status;
  bool has_issued = false, has_expires = false;
  int32_t issued = 0, expires = 0;
};

// A store's answer to one lookup, each record parsed and read once.
struct LicenceAnswer {
  struct Record {
    rapidjson::Document doc;       // read when `broken` is null
    const char* broken = nullptr;  // why the record cannot be read: "not JSON", …
    LicenceFacts facts;
    std::string row;  // where the store keeps it (LicenceRecord::row)
  };
  std::string key;  // "type\nkey"
  std::vector<Record> records;
};

// The chosen licence of a parsed answer (pointing into it), or null with
// `problem` set: the same choice as above.
const rapidjson::Value* ChooseLicence(const LicenceAnswer& answer, std::string_view type, std::string_view subject_kind,
                                      std::string_view subject_id, int32_t today, LicenceProblem* problem);

// One thread's parsed answers, kept while the store's generation
// (LicenceStore::Generation) stays the same: a lookup then costs no query,
// no parse and no lock. A change anywhere in the library empties it before
// the next lookup, so no answer is served after the licences it came from
// changed.
class LicenceCache {
 public:
  // The answer for (type, key), or null when the store could not answer.
  // Valid until the evaluation ends (EndEvaluation).
  const LicenceAnswer* Find(LicenceStore& store, std::string_view type, std::string_view key);
  // Frees the answers no longer kept (those of an older generation, or of a
  // store that has none); called between evaluations.
  void EndEvaluation() { retired_.clear(); }

 private:
  struct Slot {
    uint64_t hash = 0;
    const LicenceAnswer* answer = nullptr;
  };
  const LicenceAnswer* Lookup(uint64_t hash, std::string_view type, std::string_view key) const;
  void Keep(uint64_t hash, std::unique_ptr<LicenceAnswer> answer);
  void Place(const Slot& slot);

  static constexpr size_t kMaxAnswers = 100000;
  uint64_t generation_ = 0;
  std::vector<Slot> slots_;  // open addressing, at most half full
  std::vector<std::unique_ptr<LicenceAnswer>> kept_, retired_;
  std::vector<LicenceRecord> found_;
};

// Whether a licence record is in force on `today`: nullopt when it is, else
// why not (kUnreadable for a record of the wrong shape).
std::optional<LicenceProblem> LicenceNotInForce(const rapidjson::Value& licence, int32_t today);

}  // namespace miaopi::engine
