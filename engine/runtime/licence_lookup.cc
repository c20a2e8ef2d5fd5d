#include "engine/runtime/licence_lookup.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_set>

#include "dsl/date.h"
#include "engine/graph/flat_map.h"
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

// Reports each unreadable record once per process (a library with a corrupt
// row would otherwise log at every decision that reads it), by where the
// store keeps it: a record holds personal data, which never goes to a log.
void ReportUnreadable(std::string_view type, std::string_view where, std::string_view why) {
  static std::mutex mu;
  static std::unordered_set<std::string> seen;
  std::string row = where.empty() ? "a record" : std::string(where);
  {
    std::lock_guard<std::mutex> lock(mu);
    if (seen.size() > 10000 || !seen.insert(std::string(type) + '\n' + row).second) return;
  }
  LogWarning("licence library: the " + std::string(type) + " licence at " + row + " cannot be read (" +
             std::string(why) + "); it counts as not in force");
}

// Records are parsed no less strictly than an application: no NUL byte,
// valid UTF-8, no recursion on deep text, and no member given twice (a
// second "status" would be a second answer). Null when the record reads,
// else why it does not.
const char* ParseRecord(std::string_view json, rapidjson::Document* doc) {
  thread_local DuplicateMemberCheck duplicates;
  if (std::memchr(json.data(), '\0', json.size()) != nullptr) return "a NUL byte";
  doc->Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc->HasParseError()) return "not JSON";
  if (!doc->IsObject()) return "not an object";
  if (!duplicates.Find(RapidJsonView{doc}).empty()) return "a member given twice";
  return nullptr;
}

// What the choice reads of a record, read once (the status as far as it
// does not depend on the date).
void ReadFacts(const rapidjson::Value& l, LicenceFacts* f) {
  *f = LicenceFacts{};
  if (std::optional<std::string_view> type = Str(l, "type")) {
    f->has_type = true;
    f->type = *type;
  }
  auto holder = l.FindMember("holder");
  if (holder != l.MemberEnd() && holder->value.IsObject()) {
    std::optional<std::string_view> kind = Str(holder->value, "kind"), id = Str(holder->value, "id");
    if (kind && id) {
      f->holder_ok = true;
      f->holder_kind = *kind;
      f->holder_id = *id;
    }
  }
  auto related = l.FindMember("related");
  if (related != l.MemberEnd() && related->value.IsArray()) {
    for (const auto& party : related->value.GetArray()) {
      if (!party.IsObject()) continue;
      if (std::optional<std::string_view> id = Str(party, "id")) f->related.push_back(*id);
    }
  }
  f->issued_text = Str(l, "issued").value_or("");
  std::optional<std::string_view> status = Str(l, "status");
  if (!status) {
    f->status = LicenceProblem::kUnreadable;
  } else if (*status == "revoked") {
    f->status = LicenceProblem::kRevoked;
  } else if (*status == "cancelled") {
    f->status = LicenceProblem::kCancelled;
  } else if (*status == "suspended") {
    f->status = LicenceProblem::kSuspended;
  } else if (*status == "expired") {
    f->status = LicenceProblem::kExpired;
  } else if (*status != "valid") {
    f->status = LicenceProblem::kOtherStatus;
  } else {
    DateField issued = DateOf(l, "issued", &f->issued), expires = DateOf(l, "expires", &f->expires);
    if (issued == DateField::kBroken || expires == DateField::kBroken) {
      f->status = LicenceProblem::kUnreadable;
    } else {
      f->has_issued = issued == DateField::kDay;
      f->has_expires = expires == DateField::kDay;
    }
  }
}

enum class Visibility { kVisible, kHidden, kUnreadable };

Visibility VisibleTo(const LicenceFacts& f, std::string_view kind, std::string_view id) {
  if (!f.holder_ok) return Visibility::kUnreadable;
  if (f.holder_kind != kind) return Visibility::kHidden;
  if (f.holder_id == id) return Visibility::kVisible;
  for (std::string_view party : f.related) {
    if (party == id) return Visibility::kVisible;
  }
  return Visibility::kHidden;
}

std::optional<LicenceProblem> NotInForce(const LicenceFacts& f, int32_t today) {
  if (f.status) return f.status;
  if (f.has_issued && f.issued > today) return LicenceProblem::kNotYetValid;
  if (f.has_expires && f.expires < today) return LicenceProblem::kExpired;
  return std::nullopt;
}

// The choice among read records: `for_each(f)` calls f(doc, facts, broken,
// row) for each record of the store's answer.
template <typename ForEach>
const rapidjson::Value* Choose(ForEach&& for_each, std::string_view type, std::string_view subject_kind,
                               std::string_view subject_id, int32_t today, LicenceProblem* problem) {
  const rapidjson::Value* best = nullptr;  // the latest issued in force
  std::string_view best_issued;
  // Of the visible ones not in force, the latest issued says why.
  std::optional<LicenceProblem> why_not;
  std::string_view why_issued;
  bool unreadable = false;
  for_each([&](const rapidjson::Value& doc, const LicenceFacts& facts, const char* broken, std::string_view row) {
    if (broken != nullptr) {
      ReportUnreadable(type, row, broken);
      unreadable = true;
      return;
    }
    if (!facts.has_type || facts.type != type) return;
    Visibility visible = VisibleTo(facts, subject_kind, subject_id);
    if (visible == Visibility::kHidden) return;
    if (visible == Visibility::kUnreadable) {
      ReportUnreadable(type, row, "its holder is not {\"id\", \"kind\"}");
      unreadable = true;
      return;
    }
    std::optional<LicenceProblem> not_in_force = NotInForce(facts, today);
    if (not_in_force == LicenceProblem::kUnreadable) {
      ReportUnreadable(type, row, "its status is not a string, or a date is not a real day");
      unreadable = true;
      return;
    }
    if (!not_in_force) {
      if (best == nullptr || facts.issued_text > best_issued) {
        best = &doc;
        best_issued = facts.issued_text;
      }
    } else if (!why_not || facts.issued_text > why_issued) {
      why_not = not_in_force;
      why_issued = facts.issued_text;
    }
  });
  if (best != nullptr) return best;
  *problem = why_not ? *why_not : unreadable ? LicenceProblem::kUnreadable : LicenceProblem::kNotFound;
  return nullptr;
}

// The store's answer, or false when it could not give one.
bool Ask(LicenceStore& store, std::string_view type, std::string_view key, std::vector<LicenceRecord>* found) {
  try {
    return store.Find(type, key, found);
  } catch (...) {
    return false;
  }
}

}  // namespace

std::optional<LicenceProblem> LicenceNotInForce(const rapidjson::Value& l, int32_t today) {
  LicenceFacts facts;
  ReadFacts(l, &facts);
  return NotInForce(facts, today);
}

const rapidjson::Value* ChooseLicence(LicenceStore& store, std::string_view type, std::string_view key,
                                      std::string_view subject_kind, std::string_view subject_id, int32_t today,
                                      std::deque<rapidjson::Document>& documents, LicenceProblem* problem) {
  std::vector<LicenceRecord> found;
  if (!Ask(store, type, key, &found)) {
    *problem = LicenceProblem::kStoreError;
    return nullptr;
  }
  auto for_each = [&](auto&& f) {
    LicenceFacts facts;
    for (const LicenceRecord& record : found) {
      rapidjson::Document& doc = documents.emplace_back();
      const char* broken = ParseRecord(record.json, &doc);
      if (broken == nullptr) ReadFacts(doc, &facts);
      f(doc, facts, broken, record.row);
    }
  };
  return Choose(for_each, type, subject_kind, subject_id, today, problem);
}

const rapidjson::Value* ChooseLicence(const LicenceAnswer& answer, std::string_view type, std::string_view subject_kind,
                                      std::string_view subject_id, int32_t today, LicenceProblem* problem) {
  auto for_each = [&](auto&& f) {
    for (const LicenceAnswer::Record& r : answer.records) f(r.doc, r.facts, r.broken, r.row);
  };
  return Choose(for_each, type, subject_kind, subject_id, today, problem);
}

namespace {

// Of (type, key), without joining them: a hit builds no string.
uint64_t KeyHash(std::string_view type, std::string_view key) {
  return HashBytes(key) ^ (HashBytes(type) * 0x9E3779B97F4A7C15ull);
}

// Whether `joined` ("type\nkey", LicenceAnswer::key) is (type, key).
bool SameKey(std::string_view joined, std::string_view type, std::string_view key) {
  return joined.size() == type.size() + 1 + key.size() && joined.starts_with(type) && joined[type.size()] == '\n' &&
         joined.ends_with(key);
}

}  // namespace

const LicenceAnswer* LicenceCache::Find(LicenceStore& store, std::string_view type, std::string_view key) {
  const uint64_t generation = store.Generation();
  const uint64_t hash = KeyHash(type, key);
  if (generation != 0 && generation == generation_) {
    if (const LicenceAnswer* hit = Lookup(hash, type, key)) return hit;
  } else if (generation != generation_) {
    // The library changed: nothing kept is served again. A licence chosen
    // earlier in this evaluation stays readable until it ends.
    for (auto& answer : kept_) retired_.push_back(std::move(answer));
    kept_.clear();
    slots_.clear();
    generation_ = generation;
  }
  found_.clear();
  if (!Ask(store, type, key, &found_)) return nullptr;
  auto answer = std::make_unique<LicenceAnswer>();
  answer->key.assign(type).append(1, '\n').append(key);
  answer->records.resize(found_.size());  // never resized again: the documents stay where they are
  for (size_t i = 0; i < found_.size(); ++i) {
    LicenceAnswer::Record& r = answer->records[i];
    r.broken = ParseRecord(found_[i].json, &r.doc);
    if (r.broken == nullptr) ReadFacts(r.doc, &r.facts);
    r.row = std::move(found_[i].row);
  }
  const LicenceAnswer* result = answer.get();
  // Kept only when nothing changed while it was read.
  if (generation != 0 && kept_.size() < kMaxAnswers && store.Generation() == generation) {
    Keep(hash, std::move(answer));
  } else {
    retired_.push_back(std::move(answer));
  }
  return result;
}

const LicenceAnswer* LicenceCache::Lookup(uint64_t hash, std::string_view type, std::string_view key) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    const Slot& s = slots_[at];
    if (s.answer == nullptr) return nullptr;
    if (s.hash == hash && SameKey(s.answer->key, type, key)) return s.answer;
  }
}

void LicenceCache::Keep(uint64_t hash, std::unique_ptr<LicenceAnswer> answer) {
  if ((kept_.size() + 1) * 2 > slots_.size()) {  // at most half full
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(64, old.size() * 2), Slot{});
    for (const Slot& s : old) {
      if (s.answer != nullptr) Place(s);
    }
  }
  Place({hash, answer.get()});
  kept_.push_back(std::move(answer));
}

void LicenceCache::Place(const Slot& slot) {
  const size_t mask = slots_.size() - 1;
  size_t at = slot.hash & mask;
  while (slots_[at].answer != nullptr) at = (at + 1) & mask;
  slots_[at] = slot;
}

}  // namespace miaopi::engine
