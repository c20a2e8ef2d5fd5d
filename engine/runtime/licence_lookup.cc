#include "engine/runtime/licence_lookup.h"

#include <cstring>
#include <mutex>
#include <string>
#include <unordered_set>

#include "dsl/date.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/runtime/json_view.h"

namespace miaopi::engine {

namespace {

// A member's string, or nullopt when it is absent or not a string.
std::optional<std::string_view> Str(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

// A date member: absent or null is `absent`; a real day is that day; anything
// else (not a string, "2026-02-30") makes the record unreadable.
enum class DateField { kAbsent, kDay, kBroken };
DateField DateOf(const rapidjson::Value& v, const char* key, int32_t* day) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || it->value.IsNull()) return DateField::kAbsent;
  if (!it->value.IsString()) return DateField::kBroken;
  std::optional<int32_t> d = dsl::ParseIsoDate({it->value.GetString(), it->value.GetStringLength()});
  if (!d) return DateField::kBroken;
  *day = *d;
  return DateField::kDay;
}

enum class Visibility { kVisible, kHidden, kUnreadable };

Visibility VisibleTo(const rapidjson::Value& l, std::string_view kind, std::string_view id) {
  auto holder = l.FindMember("holder");
  if (holder == l.MemberEnd() || !holder->value.IsObject()) return Visibility::kUnreadable;
  std::optional<std::string_view> holder_kind = Str(holder->value, "kind"), holder_id = Str(holder->value, "id");
  if (!holder_kind || !holder_id) return Visibility::kUnreadable;
  if (*holder_kind != kind) return Visibility::kHidden;
  if (*holder_id == id) return Visibility::kVisible;
  auto related = l.FindMember("related");
  if (related == l.MemberEnd() || !related->value.IsArray()) return Visibility::kHidden;
  for (const auto& party : related->value.GetArray()) {
    if (party.IsObject() && Str(party, "id") == id) return Visibility::kVisible;
  }
  return Visibility::kHidden;
}

// Reports each unreadable record once per process (a library with a corrupt
// row would otherwise log at every decision that reads it), by where the
// store keeps it: a record holds personal data, which never goes to a log.
void ReportUnreadable(std::string_view type, const LicenceRecord& record, std::string_view why) {
  static std::mutex mu;
  static std::unordered_set<std::string> seen;
  std::string row = record.row.empty() ? "a record" : record.row;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (seen.size() > 10000 || !seen.insert(std::string(type) + '\n' + row).second) return;
  }
  LogWarning("licence library: the " + std::string(type) + " licence at " + row + " cannot be read (" +
             std::string(why) + "); it counts as not in force");
}

}  // namespace

std::optional<LicenceProblem> LicenceNotInForce(const rapidjson::Value& l, int32_t today) {
  std::optional<std::string_view> status = Str(l, "status");
  if (!status) return LicenceProblem::kUnreadable;
  if (*status == "revoked") return LicenceProblem::kRevoked;
  if (*status == "cancelled") return LicenceProblem::kCancelled;
  if (*status == "suspended") return LicenceProblem::kSuspended;
  if (*status == "expired") return LicenceProblem::kExpired;
  if (*status != "valid") return LicenceProblem::kOtherStatus;
  int32_t issued = 0, expires = 0;
  DateField issued_field = DateOf(l, "issued", &issued), expires_field = DateOf(l, "expires", &expires);
  if (issued_field == DateField::kBroken || expires_field == DateField::kBroken) return LicenceProblem::kUnreadable;
  if (issued_field == DateField::kDay && issued > today) return LicenceProblem::kNotYetValid;
  if (expires_field == DateField::kDay && expires < today) return LicenceProblem::kExpired;
  return std::nullopt;
}

const rapidjson::Value* ChooseLicence(LicenceStore& store, std::string_view type, std::string_view key,
                                      std::string_view subject_kind, std::string_view subject_id, int32_t today,
                                      std::deque<rapidjson::Document>& documents, LicenceProblem* problem) {
  std::vector<LicenceRecord> found;
  bool answered = false;
  try {
    answered = store.Find(type, key, &found);
  } catch (...) {
    answered = false;
  }
  if (!answered) {
    *problem = LicenceProblem::kStoreError;
    return nullptr;
  }
  // Records are parsed per lookup, so cheaply, but no less strictly than an
  // application: no NUL byte, valid UTF-8, no recursion on deep text, and no
  // member given twice (a second "status" would be a second answer).
  thread_local DuplicateMemberCheck duplicates;
  const rapidjson::Value* best = nullptr;  // the latest issued in force
  std::string_view best_issued;
  // Of the visible ones not in force, the latest issued says why.
  std::optional<LicenceProblem> why_not;
  std::string_view why_issued;
  bool unreadable = false;
  for (const LicenceRecord& record : found) {
    rapidjson::Document& doc = documents.emplace_back();
    const char* broken = nullptr;
    if (std::memchr(record.json.data(), '\0', record.json.size()) != nullptr) {
      broken = "a NUL byte";
    } else {
      doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(record.json.data(),
                                                                                        record.json.size());
      if (doc.HasParseError()) {
        broken = "not JSON";
      } else if (!doc.IsObject()) {
        broken = "not an object";
      } else if (!duplicates.Find(RapidJsonView{&doc}).empty()) {
        broken = "a member given twice";
      }
    }
    if (broken != nullptr) {
      ReportUnreadable(type, record, broken);
      unreadable = true;
      continue;
    }
    if (Str(doc, "type") != type) continue;
    Visibility visible = VisibleTo(doc, subject_kind, subject_id);
    if (visible == Visibility::kHidden) continue;
    if (visible == Visibility::kUnreadable) {
      ReportUnreadable(type, record, "its holder is not {\"id\", \"kind\"}");
      unreadable = true;
      continue;
    }
    std::string_view issued = Str(doc, "issued").value_or("");
    std::optional<LicenceProblem> not_in_force = LicenceNotInForce(doc, today);
    if (not_in_force == LicenceProblem::kUnreadable) {
      ReportUnreadable(type, record, "its status is not a string, or a date is not a real day");
      unreadable = true;
      continue;
    }
    if (!not_in_force) {
      if (best == nullptr || issued > best_issued) {
        best = &doc;
        best_issued = issued;
      }
    } else if (!why_not || issued > why_issued) {
      why_not = not_in_force;
      why_issued = issued;
    }
  }
  if (best != nullptr) return best;
  *problem = why_not ? *why_not : unreadable ? LicenceProblem::kUnreadable : LicenceProblem::kNotFound;
  return nullptr;
}

}  // namespace miaopi::engine
