// The hand-written baseline: item FS-001 of samples/food_sales (twelve rules:
// dates, checksums, a regex, list membership, a blacklist table, any/all over
// lists) coded by hand in C++ against RapidJSON, the way a careful engineer
// would write it without an engine — including what the engine promises:
// missing or broken data is unknown, unknown goes to review, and every
// record names the missing paths. It reads the same JSONL and writes the
// same records, byte for byte, as `miaopi batch samples/food_sales`; the
// benchmark (bench/baseline_vs_batch.sh) checks that and times both.
//
//   baseline_food_sales PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bench/food_sales_rules.h"
#include "dsl/date.h"
#include "engine/runtime/checksums.h"

namespace {

namespace dsl = miaopi::dsl;

using baseline::And;
using baseline::Keys;
using baseline::KeySet;
using baseline::Of;
using baseline::Rule;
using baseline::Truth;

const std::vector<Rule>& kRules = baseline::kFoodSalesRules;

// A field read from the application: present with the right type, or the
// path that is missing (absent, null, duplicated or wrongly typed).
struct Reader {
  std::vector<std::string> missing;  // of the rule being evaluated

  const rapidjson::Value* Member(const rapidjson::Value* obj, const char* name) {
    if (obj == nullptr || !obj->IsObject()) return nullptr;
    const rapidjson::Value* found = nullptr;
    for (auto m = obj->MemberBegin(); m != obj->MemberEnd(); ++m) {
      if (std::strcmp(m->name.GetString(), name) == 0) {
        if (found != nullptr) return nullptr;  // a duplicated field is unknown
        found = &m->value;
      }
    }
    return found;
  }
  bool String(const rapidjson::Value* obj, const char* name, const std::string& path, std::string_view* out) {
    const rapidjson::Value* v = Member(obj, name);
    if (v == nullptr || !v->IsString()) return Miss(path);
    *out = {v->GetString(), v->GetStringLength()};
    return true;
  }
  bool Date(const rapidjson::Value* obj, const char* name, const std::string& path, int32_t* out) {
    std::string_view text;
    if (!String(obj, name, path, &text)) return false;
    auto d = dsl::ParseIsoDate(text);
    if (!d) return Miss(path);
    *out = *d;
    return true;
  }
  bool Number(const rapidjson::Value* obj, const char* name, const std::string& path, double* out) {
    const rapidjson::Value* v = Member(obj, name);
    if (v == nullptr || !v->IsNumber()) return Miss(path);
    *out = v->GetDouble();
    return true;
  }
  const rapidjson::Value* List(const rapidjson::Value* obj, const char* name, const std::string& path) {
    const rapidjson::Value* v = Member(obj, name);
    if (v == nullptr || !v->IsArray()) {
      Miss(path);
      return nullptr;
    }
    return v;
  }
  bool Miss(const std::string& path) {
    for (const std::string& m : missing) {
      if (m == path) return false;
    }
    missing.push_back(path);
    return false;
  }
};

bool PhoneOk(std::string_view p) {
  if (p.size() != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9') return false;
  for (size_t i = 2; i < 11; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
  }
  return true;
}

class Baseline {
 public:
  Baseline(const std::string& pack_dir, int32_t today, const std::string& hash)
      : blacklist_(Keys(pack_dir + "/tables/credit_blacklist.csv")),
        districts_(Keys(pack_dir + "/tables/foshan_districts.csv")), date_text_(dsl::FormatIsoDate(today)),
        tail_(std::string(
                  "\"item_version\":{\"title\":\"食品销售经营者备案（仅销售预包装食品）\",\"effective\":\"2026-09-01\","
                  "\"mode\":\"online\"},\"pack\":{\"name\":\"nanhai.market\",\"version\":\"2026.09.1\",\"hash\":\"") +
              hash + "\"}}\n") {}

  void Decide(const std::string& line, std::string* out) {
    doc_.Parse(line.c_str(), line.size());
    if (doc_.HasParseError() || !doc_.IsObject()) {
      *out += "{\"error\":\"not decided by the baseline\"}\n";
      return;
    }
    const rapidjson::Value* app = &doc_;
    Reader& r = reader_;
    r.missing.clear();
    Truth results[12];
    std::vector<std::string>* missing = missing_;
    auto finish = [&](int rule, Truth t) {
      results[rule] = t;
      missing[rule].swap(r.missing);
      r.missing.clear();
    };
    int32_t at = 0;
    const rapidjson::Value* applicant = r.Member(app, "applicant");
    const rapidjson::Value* business = r.Member(app, "business");

    {  // AGE: birth + 18 years <= at
      int32_t birth = 0;
      bool has_birth = r.Date(applicant, "birth_date", "applicant.birth_date", &birth);
      bool has_at = r.Date(app, "submitted_at", "submitted_at", &at);
      finish(0, has_birth && has_at ? Of(*dsl::AddMonths(birth, 18 * 12) <= at) : Truth::kUnknown);
    }
    std::string_view id;
    bool has_id = r.String(applicant, "id_number", "applicant.id_number", &id);
    finish(1, has_id ? Of(miaopi::engine::IdNumberValid(id)) : Truth::kUnknown);
    {  // ID_BIRTH
      has_id = r.String(applicant, "id_number", "applicant.id_number", &id);
      std::optional<int32_t> from_id = has_id ? miaopi::engine::IdNumberBirth(id) : std::nullopt;
      int32_t birth = 0;
      bool has_birth = r.Date(applicant, "birth_date", "applicant.birth_date", &birth);
      finish(2, from_id && has_birth ? Of(*from_id == birth) : Truth::kUnknown);
    }
    std::string_view uscc;
    bool has_uscc = r.String(business, "uscc", "business.uscc", &uscc);
    finish(3, has_uscc ? Of(miaopi::engine::UsccValid(uscc)) : Truth::kUnknown);
    has_uscc = r.String(business, "uscc", "business.uscc", &uscc);
    finish(4, has_uscc ? Of(blacklist_.find(uscc) == blacklist_.end()) : Truth::kUnknown);
    {  // DISTRICT
      std::string_view district;
      bool has = r.String(business, "district", "business.district", &district);
      finish(5, has ? Of(districts_.find(district) != districts_.end()) : Truth::kUnknown);
    }
    {  // SCOPE: any s in business.scope: contains(s, "预包装食品")
      const rapidjson::Value* scope = r.List(business, "scope", "business.scope");
      Truth any = scope ? Truth::kFalse : Truth::kUnknown;
      if (scope) {
        for (rapidjson::SizeType i = 0; i < scope->Size() && any != Truth::kTrue; ++i) {
          const rapidjson::Value& s = (*scope)[i];
          if (!s.IsString()) {
            r.Miss("business.scope[" + std::to_string(i) + "]");
            any = Truth::kUnknown;
          } else if (std::string_view(s.GetString(), s.GetStringLength()).find("预包装食品") !=
                     std::string_view::npos) {
            any = Truth::kTrue;
          }
        }
        if (any == Truth::kTrue) r.missing.clear();
      }
      finish(6, any);
    }
    {  // LICENCE: any l in licences: type, status, expires > at, holder == uscc
      has_uscc = r.String(business, "uscc", "business.uscc", &uscc);
      bool has_at = r.Date(app, "submitted_at", "submitted_at", &at);
      const rapidjson::Value* licences = r.List(app, "licences", "licences");
      Truth any = licences ? Truth::kFalse : Truth::kUnknown;
      std::vector<std::string> outer;
      outer.swap(r.missing);
      if (licences) {
        for (rapidjson::SizeType i = 0; i < licences->Size() && any != Truth::kTrue; ++i) {
          const rapidjson::Value& l = (*licences)[i];
          std::string at_path = "licences[" + std::to_string(i) + "]";
          std::string_view type, status, holder;
          int32_t expires = 0;
          Truth t = r.String(&l, "type", at_path + ".type", &type) ? Of(type == "business_licence") : Truth::kUnknown;
          if (t != Truth::kFalse) {
            t = And(t, r.String(&l, "status", at_path + ".status", &status) ? Of(status == "valid") : Truth::kUnknown);
          }
          if (t != Truth::kFalse) {
            bool has_expires = r.Date(&l, "expires", at_path + ".expires", &expires);
            t = And(t, has_expires && has_at ? Of(expires > at) : Truth::kUnknown);
          }
          if (t != Truth::kFalse) {
            bool has_holder = r.String(&l, "holder", at_path + ".holder", &holder);
            t = And(t, has_holder && has_uscc ? Of(holder == uscc) : Truth::kUnknown);
          }
          if (t == Truth::kTrue) any = Truth::kTrue;
          if (t == Truth::kUnknown) any = Truth::kUnknown;
        }
      }
      if (any == Truth::kTrue || any == Truth::kFalse) r.missing.clear();
      outer.insert(outer.end(), r.missing.begin(), r.missing.end());
      r.missing.swap(outer);
      finish(7, any == Truth::kTrue ? Truth::kTrue : any == Truth::kFalse ? Truth::kFalse : Truth::kUnknown);
    }
    {  // HEALTH: all s in staff: s.health_cert_expires > at
      bool has_at = r.Date(app, "submitted_at", "submitted_at", &at);
      const rapidjson::Value* staff = r.List(app, "staff", "staff");
      Truth all = staff ? Truth::kTrue : Truth::kUnknown;
      if (staff) {
        for (rapidjson::SizeType i = 0; i < staff->Size() && all != Truth::kFalse; ++i) {
          int32_t expires = 0;
          bool has = r.Date(&(*staff)[i], "health_cert_expires", "staff[" + std::to_string(i) + "].health_cert_expires",
                            &expires);
          if (has && has_at) {
            if (expires <= at) all = Truth::kFalse;
          } else {
            all = Truth::kUnknown;
          }
        }
        if (all == Truth::kFalse) r.missing.clear();
      }
      finish(8, all);
    }
    {  // STAFF_COUNT
      const rapidjson::Value* staff = r.List(app, "staff", "staff");
      finish(9, staff ? Of(staff->Size() >= 1 && staff->Size() <= 50) : Truth::kUnknown);
    }
    {  // AREA
      double area = 0;
      finish(10, r.Number(business, "area_m2", "business.area_m2", &area) ? Of(area >= 10) : Truth::kUnknown);
    }
    {  // PHONE: optional; absent or empty is fine
      const rapidjson::Value* phone = r.Member(applicant, "phone");
      if (phone == nullptr || phone->IsNull()) {
        finish(11, Truth::kTrue);
      } else if (!phone->IsString()) {
        r.Miss("applicant.phone");
        finish(11, Truth::kUnknown);
      } else {
        std::string_view p(phone->GetString(), phone->GetStringLength());
        finish(11, Of(p.empty() || PhoneOk(p)));
      }
    }

    // The record.
    int overall = 0;  // 0 approve, 1 review, 2 reject
    *out += "{";
    auto id_it = app->FindMember("id");
    if (id_it != app->MemberEnd() && id_it->value.IsString()) {
      *out += "\"id\":";
      Quote(std::string_view(id_it->value.GetString(), id_it->value.GetStringLength()), out);
      *out += ",";
    }
    *out += "\"item\":\"FS-001\",\"decision\":\"";
    size_t decision_at = out->size();
    *out += "approve\",\"date\":\"" + date_text_ + "\",\"reasons\":[";
    bool first = true;
    for (int i = 0; i < 12; ++i) {
      if (results[i] == Truth::kTrue) continue;
      const Rule& rule = kRules[i];
      bool unknown = results[i] == Truth::kUnknown;
      int outcome = unknown ? 1 : rule.reject ? 2 : 1;
      overall = std::max(overall, outcome);
      *out += first ? "{\"rule\":\"" : ",{\"rule\":\"";
      first = false;
      *out += rule.code;
      *out += outcome == 2 ? "\",\"outcome\":\"reject\",\"status\":\"" : "\",\"outcome\":\"review\",\"status\":\"";
      *out += unknown ? "unknown" : "fail";
      *out += "\",\"message\":\"";
      *out += rule.message;
      *out += "\",\"basis\":\"";
      *out += rule.basis;
      *out += "\"";
      if (unknown && !missing[i].empty()) {
        *out += ",\"missing\":[";
        for (size_t m = 0; m < missing[i].size(); ++m) {
          if (m) *out += ",";
          Quote(missing[i][m], out);
        }
        *out += "]";
      }
      *out += "}";
    }
    *out += "],";
    *out += tail_;
    static const char* kOutcomes[] = {"approve", "review", "reject"};
    out->replace(decision_at, 7, kOutcomes[overall]);
  }

 private:
  void Quote(std::string_view s, std::string* out) {
    buffer_.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer_);
    writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    out->append(buffer_.GetString(), buffer_.GetSize());
  }
  rapidjson::StringBuffer buffer_;

  KeySet blacklist_, districts_;
  std::string date_text_, tail_;
  rapidjson::Document doc_;
  Reader reader_;
  std::vector<std::string> missing_[12];
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: baseline_food_sales PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…\n";
    return 2;
  }
  std::string date = "2026-09-10", hash;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--date") date = argv[i + 1];
    if (std::string(argv[i]) == "--pack-hash") hash = argv[i + 1];
  }
  auto today = dsl::ParseIsoDate(date);
  if (!today) return 2;
  auto start = std::chrono::steady_clock::now();
  Baseline baseline(argv[1], *today, hash);
  std::ifstream in(argv[2], std::ios::binary);
  std::FILE* out = std::fopen(argv[3], "wb");
  if (!in || out == nullptr) return 2;
  std::string line, record;
  size_t count = 0;
  while (std::getline(in, line)) {
    record.clear();
    baseline.Decide(line, &record);
    std::fwrite(record.data(), 1, record.size(), out);
    ++count;
  }
  std::fclose(out);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "baseline: %zu applications in %.3f s (%.0f/s)\n", count, seconds, count / seconds);
  return 0;
}
