// gen_nanhai's world: JSON values, the district's towns, people and firms,
// licence records, and the faults an item's applications can carry. The
// items themselves are in people.cc and business.cc; main.cc writes the
// files. See main.cc for what the generator does.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "dsl/date.h"
#include "engine/runtime/checksums.h"

namespace gen_nanhai {

namespace dsl = miaopi::dsl;
namespace engine = miaopi::engine;

// ---------------------------------------------------------------- JSON values
// A small ordered JSON value: the generator builds applications as trees,
// lets a fault edit them by path, then prints them.
class Json {
 public:
  using Member = std::pair<std::string, Json>;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : v_(b) {}
  Json(int i) : v_(static_cast<int64_t>(i)) {}
  Json(int64_t i) : v_(i) {}
  Json(double d) : v_(d) {}
  Json(const char* s) : v_(std::string(s)) {}
  Json(std::string s) : v_(std::move(s)) {}

  static Json Object(std::initializer_list<Member> members) {
    Json j;
    j.v_ = std::vector<Member>(members);
    return j;
  }
  static Json Array(std::vector<Json> items = {}) {
    Json j;
    j.v_ = std::move(items);
    return j;
  }

  // The member at a '/'-separated path of object keys and array indexes,
  // created (as an object member) when absent.
  Json& At(std::string_view path) {
    Json* at = this;
    while (!path.empty()) {
      size_t slash = path.find('/');
      std::string_view step = path.substr(0, slash);
      path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
      if (auto* items = std::get_if<std::vector<Json>>(&at->v_)) {
        at = &(*items)[std::stoul(std::string(step))];
      } else {
        at = &at->Field(step);
      }
    }
    return *at;
  }
  void Erase(std::string_view path) {
    size_t slash = path.rfind('/');
    Json& parent = slash == std::string_view::npos ? *this : At(path.substr(0, slash));
    std::string_view key = slash == std::string_view::npos ? path : path.substr(slash + 1);
    auto& members = std::get<std::vector<Member>>(parent.v_);
    std::erase_if(members, [&](const Member& m) { return m.first == key; });
  }
  void Push(Json item) { std::get<std::vector<Json>>(v_).push_back(std::move(item)); }
  void PutFirst(std::string key, Json value) {
    auto& members = std::get<std::vector<Member>>(v_);
    members.insert(members.begin(), Member(std::move(key), std::move(value)));
  }
  const std::string& Str() const { return std::get<std::string>(v_); }

  void Write(std::string& out) const {
    switch (v_.index()) {
      case 0: out += "null"; break;
      case 1: out += std::get<bool>(v_) ? "true" : "false"; break;
      case 2: out += std::to_string(std::get<int64_t>(v_)); break;
      case 3: {
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, std::get<double>(v_));
        out.append(buf, r.ptr);
        break;
      }
      case 4: WriteString(std::get<std::string>(v_), out); break;
      case 5: {
        out += '[';
        const auto& items = std::get<std::vector<Json>>(v_);
        for (size_t i = 0; i < items.size(); ++i) {
          if (i) out += ", ";
          items[i].Write(out);
        }
        out += ']';
        break;
      }
      case 6: {
        out += '{';
        const auto& members = std::get<std::vector<Member>>(v_);
        for (size_t i = 0; i < members.size(); ++i) {
          if (i) out += ", ";
          WriteString(members[i].first, out);
          out += ": ";
          members[i].second.Write(out);
        }
        out += '}';
        break;
      }
    }
  }

 private:
  Json& Field(std::string_view key) {
    if (std::holds_alternative<std::nullptr_t>(v_)) v_ = std::vector<Member>();
    auto& members = std::get<std::vector<Member>>(v_);
    for (auto& m : members) {
      if (m.first == key) return m.second;
    }
    members.emplace_back(std::string(key), Json());
    return members.back().second;
  }
  static void WriteString(const std::string& s, std::string& out) {
    out += '"';
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
  }

  std::variant<std::nullptr_t, bool, int64_t, double, std::string, std::vector<Json>, std::vector<Member>> v_;
};

using Obj = std::initializer_list<Json::Member>;
inline Json O(Obj members) { return Json::Object(members); }
inline Json A(std::vector<Json> items = {}) { return Json::Array(std::move(items)); }

// ---------------------------------------------------------------- the district
struct Town {
  const char* code;  // 9-digit town code (context.town, 户籍 divisions)
  const char* name;
  const char* road;     // a road whose numbers 1-20 are in tables/std_addresses.csv
  const char* segment;  // a general sign zone on that road (tables/sign_zones.csv), or ""
  bool segment_lit;     // lit signs allowed there
};

// Nanhai's seven towns. Delegations (tables/delegations.csv): NH-P05 is not
// delegated to 九江 and NH-B04's delegation to 里水 ran out on 2025-12-31.
inline const Town kTowns[] = {
    {"440605011", "桂城", "南海大道北", "GC-NHDDB-001", true},
    {"440605121", "九江", "沙口路", "JJ-SKL-009", false},
    {"440605122", "西樵", "樵高路", "", false},
    {"440605123", "丹灶", "金宁路", "DZ-JNL-008", true},
    {"440605124", "狮山", "狮山大道", "SS-SSDD-007", true},
    {"440605125", "大沥", "广佛路", "", false},
    {"440605126", "里水", "里广路", "LS-LGL-005", true},
};
constexpr int kJiujiang = 1, kLishui = 6;
inline const char* kShunde = "440606003";  // a town of another district: no Nanhai delegation

inline const char* const kSurnames[] = {"陈", "黄", "李", "梁", "何", "张", "王", "刘",
                                        "吴", "林", "罗", "冯", "邓", "麦", "潘", "谭"};
inline const char* const kGiven[] = {"伟",   "芳",   "敏",   "静",   "丽",   "强",   "磊",   "洋",  "勇", "艳",
                                     "杰",   "娟",   "涛",   "明",   "超",   "霞",   "华",   "平",  "刚", "桂英",
                                     "志强", "建华", "嘉欣", "俊杰", "子轩", "梓涵", "浩然", "雨桐"};
inline const char* const kTradeNames[] = {"顺心", "丰达", "荣兴", "佳美", "恒昌", "利民",
                                          "汇通", "旺来", "金穗", "德盛", "鸿运", "新源"};
// Birthplaces of people who came to work in Nanhai (ID region codes).
inline const char* const kElsewhere[] = {"440304", "430102", "450103", "360102", "510104",
                                         "421002", "441502", "445202", "350102"};

struct Person {
  std::string id, name, birth;
  bool male = true;
};

struct Firm {
  std::string uscc, name, trade, address, division;  // division: 12-digit
  bool individual = true;                            // 个体工商户 (92…) or enterprise (91…)
  Person rep;
};

struct Label {
  std::string decision = "approve", rule, fault;
};

struct Case {
  Json app;
  Json subject;
  std::string town;
  std::vector<Json> licences;
  Label label;
};

class World {
 public:
  World(uint64_t seed, int32_t today) : rng_(seed), today_(today) {}

  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  int Between(int lo, int hi) { return lo + Pick(hi - lo + 1); }
  bool Chance(int percent) { return Pick(100) < percent; }
  template <typename T, size_t N>
  const T& Any(const T (&items)[N]) {
    return items[Pick(static_cast<int>(N))];
  }

  int32_t today() const { return today_; }
  int year() const { return dsl::CivilFromDays(today_).year; }
  std::string Day(int32_t days) const { return dsl::FormatIsoDate(days); }
  std::string DaysAgo(int n) const { return Day(today_ - n); }
  int32_t YearsAgo(int years, int extra_days) const { return *dsl::AddMonths(today_, -12 * years) - extra_days; }

  // A person born between min_age and max_age years ago, with an ID number of
  // the given region; male or female by the sequence digit.
  Person NewPerson(const std::string& region, int min_age, int max_age, int male = -1) {
    Person p;
    p.male = male < 0 ? Chance(50) : male == 1;
    for (;;) {
      int32_t birth = YearsAgo(min_age, Pick(365 * (max_age - min_age + 1)));
      p.birth = Day(birth);
      int seq = Pick(500) * 2 + (p.male ? 1 : 0);
      char seq_text[8];
      std::snprintf(seq_text, sizeof seq_text, "%03d", seq);
      std::string digits = region + p.birth.substr(0, 4) + p.birth.substr(5, 2) + p.birth.substr(8, 2) + seq_text;
      p.id = WithCheck(digits, "0123456789X", engine::IdNumberValid);
      if (used_.insert(p.id).second) break;
    }
    p.name = std::string(Any(kSurnames)) + Any(kGiven);
    return p;
  }
  Person NanhaiPerson(int min_age, int max_age, int male = -1) { return NewPerson("440605", min_age, max_age, male); }

  Firm NewFirm(const Town& town, bool individual, const char* suffix) {
    Firm f;
    f.individual = individual;
    const char* charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    for (;;) {
      std::string code = std::string(individual ? "92" : "91") + "440605";
      for (int i = 0; i < 9; ++i) code += charset[Pick(31)];
      f.uscc = WithCheck(code, charset, engine::UsccValid);
      if (used_.insert(f.uscc).second) break;
    }
    f.trade = std::string(Any(kTradeNames)) + suffix;
    f.name = std::string("佛山市南海区") + town.name + f.trade;
    f.division = std::string(town.code) + "000";
    f.address = std::string(town.road) + std::to_string(Between(1, 20)) + "号";
    f.rep = NanhaiPerson(25, 60);
    return f;
  }

  // prefix + the next serial number, zero-padded to width digits.
  std::string Serial(const char* prefix, int width) {
    std::string digits = std::to_string(++serial_);
    return prefix + std::string(std::max<int>(0, width - static_cast<int>(digits.size())), '0') + digits;
  }
  std::string Phone() { return "138" + std::to_string(10000000 + Pick(89999999)); }
  std::string BankAccount() { return "6222" + std::to_string(100000000 + Pick(899999999)) + "000000"; }

  // Firms that stand in the pack's tables: made once, so every application
  // naming them sees the same firm and the same licence record.
  Firm& Listed(const std::string& uscc, const Town& town, const char* suffix) {
    auto it = listed_.find(uscc);
    if (it != listed_.end()) return it->second;
    Firm f = NewFirm(town, uscc[1] == '2', suffix);
    used_.erase(f.uscc);
    f.uscc = uscc;
    return listed_.emplace(uscc, f).first->second;
  }

 private:
  // The body digits and the one check character that makes `valid` hold.
  static std::string WithCheck(const std::string& body, const char* charset, bool (*valid)(std::string_view)) {
    for (const char* c = charset; *c; ++c) {
      std::string candidate = body + *c;
      if (valid(candidate)) return candidate;
    }
    std::abort();  // every body has a check character
  }

  std::mt19937_64 rng_;
  int32_t today_;
  std::set<std::string> used_;
  std::map<std::string, Firm> listed_;
  int serial_ = 0;
};

// ---------------------------------------------------------------- licence records
inline Json Holder(const std::string& id, const char* kind, const std::string& name) {
  return O({{"id", id}, {"kind", kind}, {"name", name}});
}

inline Json IdCard(World& w, const Person& p) {
  int32_t issued = w.today() - w.Between(100, 3000);
  return O({{"type", "id_card"},
            {"number", p.id},
            {"holder", Holder(p.id, "natural_person", p.name)},
            {"status", "valid"},
            {"issued", w.Day(issued)},
            {"expires", w.Day(*dsl::AddMonths(issued, 240))},
            {"issuer", "佛山市公安局南海分局"},
            {"fields", O({{"name", p.name}, {"address", "广东省佛山市南海区"}})}});
}

inline Json BusinessLicence(World& w, const Firm& f, std::vector<Json> scope) {
  return O({{"type", "business_licence"},
            {"number", f.uscc},
            {"holder", Holder(f.uscc, "legal_person", f.name)},
            {"related", A({O({{"id", f.rep.id}, {"relation", "legal_representative"}})})},
            {"status", "valid"},
            {"issued", w.DaysAgo(w.Between(200, 3000))},
            {"issuer", "佛山市南海区市场监督管理局"},
            {"fields", O({{"name", f.name},
                          {"kind", f.individual ? "individual" : "enterprise"},
                          {"scope", A(std::move(scope))},
                          {"address", f.address},
                          {"division", f.division},
                          {"legal_representative", f.rep.name}})}});
}

inline Json DataSources(std::initializer_list<const char*> names) {
  Json list = A();
  for (const char* n : names) list.Push(O({{"name", n}, {"status", "ok"}}));
  return list;
}

inline Json Subject(const char* kind, const std::string& id, const char* auth) {
  return O({{"kind", kind}, {"id", id}, {"auth_level", auth}});
}

// A fault: what it is, the decision it must lead to and a rule among the
// reasons, and the edit that makes it.
struct Fault {
  const char* what;
  const char* decision;
  const char* rule;
  std::function<void(World&, Case&)> apply;
};

// ---------------------------------------------------------------- the items
// Each item builds a clean, approvable application and lists its faults.
struct Item {
  const char* code;
  int weight;  // share of applications
  std::function<Case(World&)> clean;
  std::vector<Fault> faults;
};

inline const Town& DelegatedTown(World& w, int except = -1) {
  for (;;) {
    int t = w.Pick(7);
    if (t != except) return kTowns[t];
  }
}

// Faults every item can meet; `data` is one of its required form fields.
inline std::vector<Fault> CommonFaults(const char* min_auth, const char* data, bool natural, bool town_item) {
  std::vector<Fault> faults;
  faults.push_back({"the wrong kind of login", "reject", "G01", [natural](World& w, Case& c) {
                      if (natural) {
                        Firm f = w.NewFirm(kTowns[0], true, "商行");
                        c.subject = Subject("legal_person", f.uscc, "face");
                      } else {
                        c.subject = Subject("natural_person", w.NanhaiPerson(25, 60).id, "face");
                      }
                    }});
  if (std::string(min_auth) != "password") {
    faults.push_back(
        {"a password-only login", "reject", "G02", [](World&, Case& c) { c.subject.At("auth_level") = "password"; }});
  }
  faults.push_back({"a required field left out", "reject", "G04", [data](World&, Case& c) { c.app.Erase(data); }});
  faults.push_back({"a data source did not answer", "review", "G06",
                    [](World&, Case& c) { c.app.At("data_sources/0/status") = "timeout"; }});
  if (town_item) {
    faults.push_back({"handled in a town outside Nanhai", "review", "G05", [](World&, Case& c) { c.town = kShunde; }});
  }
  return faults;
}

// The items, in the order their applications are drawn from.
std::vector<Item> PeopleItems();    // NH-P01 … NH-P05 (people.cc)
std::vector<Item> BusinessItems();  // NH-B01 … NH-B05 (business.cc)

}  // namespace gen_nanhai
