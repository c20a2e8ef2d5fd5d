#include "engine/licence_lookup.h"

#include "dsl/date.h"

namespace miaopi::engine {

namespace {

std::string_view Str(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

bool Visible(const rapidjson::Value& l, std::string_view kind, std::string_view id) {
  auto holder = l.FindMember("holder");
  if (holder == l.MemberEnd() || !holder->value.IsObject()) return false;
  if (Str(holder->value, "kind") != kind) return false;
  if (Str(holder->value, "id") == id) return true;
  auto related = l.FindMember("related");
  if (related == l.MemberEnd() || !related->value.IsArray()) return false;
  for (const auto& party : related->value.GetArray()) {
    if (party.IsObject() && Str(party, "id") == id) return true;
  }
  return false;
}

bool InForce(const rapidjson::Value& l, int32_t today) {
  if (Str(l, "status") != "valid") return false;
  std::optional<int32_t> expires = dsl::ParseIsoDate(Str(l, "expires"));
  return !expires || *expires >= today;
}

}  // namespace

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
  const rapidjson::Value* best = nullptr;
  bool best_in_force = false;
  std::string_view best_issued;
  for (const LicenceRecord& record : found) {
    rapidjson::Document& doc = documents.emplace_back();
    doc.Parse(record.json.data(), record.json.size());
    if (doc.HasParseError() || !doc.IsObject() || Str(doc, "type") != type) continue;
    if (!Visible(doc, subject_kind, subject_id)) continue;
    bool in_force = InForce(doc, today);
    std::string_view issued = Str(doc, "issued");
    if (best == nullptr || (in_force && !best_in_force) || (in_force == best_in_force && issued > best_issued)) {
      best = &doc;
      best_in_force = in_force;
      best_issued = issued;
    }
  }
  if (best == nullptr) {
    *problem = LicenceProblem::kNotFound;
    return nullptr;
  }
  if (!best_in_force) {
    std::optional<int32_t> expires = dsl::ParseIsoDate(Str(*best, "expires"));
    if (expires && *expires < today) {
      *problem = LicenceProblem::kExpired;
      return nullptr;
    }
  }
  return best;
}

}  // namespace miaopi::engine
