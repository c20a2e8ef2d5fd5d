// gen_nanhai — writes N realistic applications for the ten Nanhai items
// (rules/nanhai) and the electronic-licence records they rely on.
//
//   gen_nanhai N --applications FILE --licences FILE [--labels FILE]
//              [--seed S] [--date YYYY-MM-DD]
//
// Every application line is an envelope {"application": …, "context":
// {"subject": …, "town": …}}: the login and the handling town come from the
// caller, never from the form. People get valid ID numbers (GB 11643) and
// firms valid credit codes (GB 32100), each with its own licences in the
// licence file. About 62% of applications are clean and approvable; the rest
// carry one fault a real counter sees — a weak or wrong login, a licence of
// someone else or none on file, a field left out, a database that did not
// answer, a town without the delegation, or a fact that fails one of the
// item's own rules. Deterministic per seed and date.
//
// --labels writes, per application, the decision its fault must lead to and
// the rule that must be among the reasons; the nanhai_samples test decides the
// applications and holds the engine to them. The faults lean on the pack's
// reference tables (credit lists, sign zones, standard addresses, industry
// policy): keep this file in step with rules/nanhai/tables.
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

namespace {

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
Json O(Obj members) { return Json::Object(members); }
Json A(std::vector<Json> items = {}) { return Json::Array(std::move(items)); }

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
const Town kTowns[] = {
    {"440605011", "桂城", "南海大道北", "GC-NHDDB-001", true}, {"440605121", "九江", "沙口路", "JJ-SKL-009", false},
    {"440605122", "西樵", "樵高路", "", false},                 {"440605123", "丹灶", "金宁路", "DZ-JNL-008", true},
    {"440605124", "狮山", "狮山大道", "SS-SSDD-007", true},      {"440605125", "大沥", "广佛路", "", false},
    {"440605126", "里水", "里广路", "LS-LGL-005", true},
};
constexpr int kJiujiang = 1, kLishui = 6;
const char* kShunde = "440606003";  // a town of another district: no Nanhai delegation

const char* kSurnames[] = {"陈", "黄", "李", "梁", "何", "张", "王", "刘", "吴", "林", "罗", "冯", "邓", "麦", "潘", "谭"};
const char* kGiven[] = {"伟", "芳", "敏", "静", "丽", "强", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞",
                        "华", "平", "刚", "桂英", "志强", "建华", "嘉欣", "俊杰", "子轩", "梓涵", "浩然", "雨桐"};
const char* kTradeNames[] = {"顺心", "丰达", "荣兴", "佳美", "恒昌", "利民", "汇通", "旺来", "金穗", "德盛", "鸿运", "新源"};
// Birthplaces of people who came to work in Nanhai (ID region codes).
const char* kElsewhere[] = {"440304", "430102", "450103", "360102", "510104", "421002", "441502", "445202", "350102"};

struct Person {
  std::string id, name, birth;
  bool male = true;
};

struct Firm {
  std::string uscc, name, trade, address, division;  // division: 12-digit
  bool individual = true;                             // 个体工商户 (92…) or enterprise (91…)
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
Json Holder(const std::string& id, const char* kind, const std::string& name) {
  return O({{"id", id}, {"kind", kind}, {"name", name}});
}

Json IdCard(World& w, const Person& p) {
  int32_t issued = w.today() - w.Between(100, 3000);
  return O({{"type", "id_card"}, {"number", p.id}, {"holder", Holder(p.id, "natural_person", p.name)},
            {"status", "valid"}, {"issued", w.Day(issued)}, {"expires", w.Day(*dsl::AddMonths(issued, 240))},
            {"issuer", "佛山市公安局南海分局"}, {"fields", O({{"name", p.name}, {"address", "广东省佛山市南海区"}})}});
}

Json BusinessLicence(World& w, const Firm& f, std::vector<Json> scope) {
  return O({{"type", "business_licence"}, {"number", f.uscc}, {"holder", Holder(f.uscc, "legal_person", f.name)},
            {"related", A({O({{"id", f.rep.id}, {"relation", "legal_representative"}})})},
            {"status", "valid"}, {"issued", w.DaysAgo(w.Between(200, 3000))},
            {"issuer", "佛山市南海区市场监督管理局"},
            {"fields", O({{"name", f.name}, {"kind", f.individual ? "individual" : "enterprise"},
                          {"scope", A(std::move(scope))}, {"address", f.address}, {"division", f.division},
                          {"legal_representative", f.rep.name}})}});
}

Json DataSources(std::initializer_list<const char*> names) {
  Json list = A();
  for (const char* n : names) list.Push(O({{"name", n}, {"status", "ok"}}));
  return list;
}

Json Subject(const char* kind, const std::string& id, const char* auth) {
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

const Town& DelegatedTown(World& w, int except = -1) {
  for (;;) {
    int t = w.Pick(7);
    if (t != except) return kTowns[t];
  }
}

// Faults every item can meet; `data` is one of its required form fields.
std::vector<Fault> CommonFaults(const char* min_auth, const char* data, bool natural, bool town_item) {
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
    faults.push_back({"a password-only login", "reject", "G02",
                      [](World&, Case& c) { c.subject.At("auth_level") = "password"; }});
  }
  faults.push_back({"a required field left out", "reject", "G04", [data](World&, Case& c) { c.app.Erase(data); }});
  faults.push_back({"a data source did not answer", "review", "G06",
                    [](World&, Case& c) { c.app.At("data_sources/0/status") = "timeout"; }});
  if (town_item) {
    faults.push_back({"handled in a town outside Nanhai", "review", "G05", [](World&, Case& c) { c.town = kShunde; }});
  }
  return faults;
}

// NH-P01 出生登记: a parent registers the newborn; the birth certificate
// and the parents' marriage certificate come from the licence library.
Case CleanP01(World& w) {
  const Town& town = DelegatedTown(w);
  Person father = w.NanhaiPerson(24, 40, 1), mother = w.NewPerson(w.Chance(70) ? "440605" : "440604", 22, 38, 0);
  bool by_father = w.Chance(70);
  const Person& applicant = by_father ? father : mother;
  std::string cert = w.Serial("Q44", 8);
  std::string child = std::string(father.name.substr(0, 3)) + w.Any(kGiven);  // surname: one 3-byte character
  std::string born = w.DaysAgo(w.Between(1, 25));
  bool boy = w.Chance(50);
  Case c;
  c.app = O({{"item", "NH-P01"},
             {"applicant", O({{"id_no", applicant.id}, {"name", applicant.name}, {"relation", by_father ? "father" : "mother"},
                              {"phone", w.Phone()}})},
             {"newborn", O({{"name", child}, {"sex", boy ? "M" : "F"}, {"birth_date", born}, {"birth_cert_no", cert},
                            {"birth_place_division", town.code}})},
             {"follow", "father"},
             {"father", O({{"id_no", father.id}, {"name", father.name}})},
             {"mother", O({{"id_no", mother.id}, {"name", mother.name}})},
             {"target_household", O({{"household_no", w.Serial("4406050", 5)}, {"division", town.code}})},
             {"hukou", O({{"followed_parent_division", town.code}, {"followed_household_type", "family"},
                          {"newborn_registered", false}, {"applicant_status", "normal"}})},
             {"data_sources", DataSources({"hukou", "birth_certificate"})}});
  c.subject = Subject("natural_person", applicant.id, "face");
  c.town = town.code;
  c.licences.push_back(O({{"type", "birth_certificate"}, {"number", cert}, {"holder", Holder(cert, "natural_person", child)},
                          {"related", A({O({{"id", father.id}, {"relation", "father"}}),
                                         O({{"id", mother.id}, {"relation", "mother"}})})},
                          {"status", "valid"}, {"issued", born}, {"issuer", "南海区人民医院"},
                          {"fields", O({{"child_name", child}, {"sex", boy ? "M" : "F"}, {"birth_date", born},
                                        {"mother_id", mother.id}, {"father_id", father.id}})}}));
  std::string married = w.DaysAgo(w.Between(400, 3000));
  c.licences.push_back(O({{"type", "marriage_certificate"}, {"number", w.Serial("J440605-", 7)},
                          {"holder", Holder(father.id, "natural_person", father.name)},
                          {"related", A({O({{"id", mother.id}, {"relation", "spouse"}})})},
                          {"status", "valid"}, {"issued", married}, {"issuer", "南海区民政局"},
                          {"fields", O({{"spouse_id", mother.id}, {"registered", married}})}}));
  return c;
}

std::vector<Fault> FaultsP01() {
  std::vector<Fault> f = CommonFaults("face", "newborn/name", true, false);
  f.push_back({"registered two months after the birth", "review", "R04", [](World& w, Case& c) {
                 std::string born = w.DaysAgo(w.Between(40, 120));
                 c.app.At("newborn/birth_date") = born;
                 c.licences[0].At("issued") = born;
                 c.licences[0].At("fields/birth_date") = born;
               }});
  f.push_back({"the father's household is a collective one", "review", "R06",
               [](World&, Case& c) { c.app.At("hukou/followed_household_type") = "collective"; }});
  f.push_back({"no marriage registration on file", "review", "R07", [](World&, Case& c) { c.licences.pop_back(); }});
  f.push_back({"the father's household is in Chancheng", "reject", "R05",
               [](World&, Case& c) { c.app.At("hukou/followed_parent_division") = "440604010"; }});
  f.push_back({"the child is already registered", "reject", "R08",
               [](World&, Case& c) { c.app.At("hukou/newborn_registered") = true; }});
  f.push_back({"a rare character in the name", "review", "R10", [](World&, Case& c) {
                 std::string name = c.app.At("newborn/name").Str().substr(0, 3) + "䶮";
                 c.app.At("newborn/name") = name;
                 c.licences[0].At("holder/name") = name;
                 c.licences[0].At("fields/child_name") = name;
               }});
  f.push_back({"the applicant's household status is abnormal", "review", "R11",
               [](World&, Case& c) { c.app.At("hukou/applicant_status") = "moved_out"; }});
  f.push_back({"the birth certificate of another couple's child", "review", "G07", [](World& w, Case& c) {
                 Person other = w.NanhaiPerson(24, 40, 1);
                 c.licences[0].At("related/0/id") = other.id;
                 c.licences[0].At("related/1/id") = w.NanhaiPerson(22, 38, 0).id;
               }});
  return f;
}

// NH-P02 高龄津贴: an elder of 80 or more, or a child of the same household
// for them; the household register comes from the licence library.
Case CleanP02(World& w) {
  const Town& town = DelegatedTown(w);
  Person elder = w.NanhaiPerson(80, 99);
  Case c;
  c.app = O({{"item", "NH-P02"},
             {"elder", O({{"id_no", elder.id}, {"name", elder.name}, {"phone", w.Phone()}})},
             {"payment", O({{"type", "social_security_card"}, {"bank_account", w.BankAccount()}, {"bank_name", "某银行佛山分行"}})},
             {"residence_division", town.code},
             {"consent", O({{"data_sharing", true}, {"annual_face_check", true}})},
             {"hukou", O({{"birth_date", elder.birth}, {"division", town.code}, {"death_record", false},
                          {"agent_same_household", true}})},
             {"benefits", O({{"receiving_nanhai", false}, {"receiving_elsewhere", false}})},
             {"face", O({{"elder_liveness", true}, {"home_visit", false}})},
             {"bank", O({{"account_holder_name", elder.name}})},
             {"custody", O({{"in_custody", false}})},
             {"data_sources", DataSources({"hukou", "benefits"})}});
  c.subject = Subject("natural_person", elder.id, "face");
  Person child = w.NanhaiPerson(45, 65);  // a child in the same household
  if (w.Chance(30)) {                     // applies for the elder
    c.app.At("agent") = O({{"id_no", child.id}, {"name", child.name}, {"relation", "child"}});
    c.subject = Subject("natural_person", child.id, "face");
  }
  c.town = town.code;
  c.licences.push_back(O({{"type", "household_register"}, {"number", w.Serial("HR-440605-", 6)},
                          {"holder", Holder(elder.id, "natural_person", elder.name)},
                          {"related", A({O({{"id", child.id}, {"relation", "child"}})})},
                          {"status", "valid"}, {"issued", w.DaysAgo(w.Between(1000, 9000))},
                          {"issuer", "佛山市公安局南海分局"},
                          {"fields", O({{"household_no", w.Serial("4406050", 5)}, {"division", town.code},
                                        {"household_type", "family"}})}}));
  return c;
}

std::vector<Fault> FaultsP02() {
  std::vector<Fault> f = CommonFaults("face", "payment/bank_account", true, true);
  auto age = [](World& w, Case& c, int lo, int hi) {
    Person p = w.NanhaiPerson(lo, hi);
    if (c.subject.At("id").Str() == c.app.At("elder/id_no").Str()) c.subject.At("id") = p.id;
    c.app.At("elder/id_no") = p.id;
    c.app.At("hukou/birth_date") = p.birth;
    c.licences[0].At("holder/id") = p.id;
  };
  f.push_back({"only 74 years old", "reject", "R01", [age](World& w, Case& c) { age(w, c, 70, 79); }});
  f.push_back({"a centenarian: a home visit first", "review", "R10", [age](World& w, Case& c) { age(w, c, 100, 103); }});
  f.push_back({"registered outside Nanhai", "reject", "R02",
               [](World&, Case& c) { c.app.At("hukou/division") = "440604010"; }});
  f.push_back({"the household birth date differs from the ID", "review", "R03", [](World& w, Case& c) {
                 c.app.At("hukou/birth_date") = w.Day(*dsl::ParseIsoDate(c.app.At("hukou/birth_date").Str()) - 40);
               }});
  f.push_back({"a death record", "review", "R04", [](World&, Case& c) { c.app.At("hukou/death_record") = true; }});
  f.push_back({"already receiving in Nanhai", "reject", "R05",
               [](World&, Case& c) { c.app.At("benefits/receiving_nanhai") = true; }});
  f.push_back({"receiving elsewhere in Guangdong", "review", "R06",
               [](World&, Case& c) { c.app.At("benefits/receiving_elsewhere") = true; }});
  f.push_back({"no face check yet", "review", "R07", [](World&, Case& c) { c.app.At("face/elder_liveness") = false; }});
  f.push_back({"a bank account in another name", "review", "R08",
               [](World& w, Case& c) { c.app.At("bank/account_holder_name") = w.NanhaiPerson(40, 60).name + "某"; }});
  f.push_back({"a neighbour applies for the elder", "review", "R09", [](World& w, Case& c) {
                 Person agent = w.NanhaiPerson(30, 60);
                 c.app.At("agent") = O({{"id_no", agent.id}, {"name", agent.name}, {"relation", "neighbour"}});
                 c.app.At("hukou/agent_same_household") = false;
                 c.subject.At("id") = agent.id;
               }});
  f.push_back({"in custody", "review", "R11", [](World&, Case& c) { c.app.At("custody/in_custody") = true; }});
  f.push_back({"no household register on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

// NH-P03 居住证: a person from outside Foshan living in Nanhai for half a
// year with a job, a home, a lease or a school place.
Case CleanP03(World& w) {
  const Town& town = DelegatedTown(w);
  Person p = w.NewPerson(w.Any(kElsewhere), 18, 50);
  Case c;
  c.app = O({{"item", "NH-P03"},
             {"applicant", O({{"id_no", p.id}, {"name", p.name}, {"phone", w.Phone()}})},
             {"address", O({{"division", std::string(town.code) + "000"}, {"road", town.road},
                            {"number", std::to_string(w.Between(1, 20)) + "号"},
                            {"room", std::to_string(w.Between(1, 9) * 100 + w.Between(1, 6))}})},
             {"basis", "employment"},
             {"hukou", O({{"division", p.id.substr(0, 6)}})},
             {"residence_registration", O({{"exists", true}, {"registered_on", w.DaysAgo(w.Between(190, 900))}})},
             {"stability", O({{"social_insurance_months", w.Between(6, 36)}, {"owns_property_in_nanhai", false},
                              {"lease_filed", false}, {"enrolled_in_nanhai", false}})},
             {"permits", O({{"has_valid_permit", false}, {"permit_address_same", false}})},
             {"photo_available", true},
             {"background_check", "normal"},
             {"data_sources", DataSources({"residence", "social_insurance"})}});
  int basis = w.Pick(4);
  if (basis == 0) {
    c.app.At("employment") = O({{"employer_uscc", w.NewFirm(town, false, "制造有限公司").uscc}});
  } else {
    c.app.At("stability/social_insurance_months") = w.Between(0, 5);
    c.app.At(basis == 1 ? "stability/lease_filed" : basis == 2 ? "stability/owns_property_in_nanhai"
                                                              : "stability/enrolled_in_nanhai") = true;
    c.app.At("basis") = basis == 1 ? "lease" : basis == 2 ? "property" : "study";
  }
  c.subject = Subject("natural_person", p.id, w.Chance(50) ? "sms" : "face");
  c.town = town.code;
  c.licences.push_back(IdCard(w, p));
  return c;
}

std::vector<Fault> FaultsP03() {
  std::vector<Fault> f = CommonFaults("sms", "address/road", true, false);
  f.push_back({"a Foshan household: no permit needed", "reject", "R01",
               [](World&, Case& c) { c.app.At("hukou/division") = "440606"; }});
  f.push_back({"registered three months ago", "reject", "R02A",
               [](World& w, Case& c) { c.app.At("residence_registration/registered_on") = w.DaysAgo(w.Between(20, 150)); }});
  f.push_back({"no residence registration", "review", "R02B", [](World&, Case& c) {
                 c.app.At("residence_registration/exists") = false;
                 c.app.Erase("residence_registration/registered_on");
               }});
  f.push_back({"no job, home, lease or school on record", "review", "R03", [](World&, Case& c) {
                 c.app.Erase("employment");
                 c.app.At("basis") = "employment";
                 c.app.At("stability") = O({{"social_insurance_months", 2}, {"owns_property_in_nanhai", false},
                                            {"lease_filed", false}, {"enrolled_in_nanhai", false}});
               }});
  f.push_back({"an address in Chancheng", "reject", "R04A",
               [](World&, Case& c) { c.app.At("address/division") = "440604010000"; }});
  f.push_back({"an address not in the standard address library", "review", "R04B",
               [](World&, Case& c) { c.app.At("address/number") = "888号"; }});
  f.push_back({"already holds a permit for this address", "reject", "R05", [](World&, Case& c) {
                 c.app.At("permits") = O({{"has_valid_permit", true}, {"permit_address_same", true}});
               }});
  f.push_back({"holds a permit for another address", "review", "R06", [](World&, Case& c) {
                 c.app.At("permits") = O({{"has_valid_permit", true}, {"permit_address_same", false}});
               }});
  f.push_back({"no photo on file", "review", "R08", [](World&, Case& c) { c.app.At("photo_available") = false; }});
  f.push_back({"the background check asks for a look", "review", "R09",
               [](World&, Case& c) { c.app.At("background_check") = "attention"; }});
  f.push_back({"a friend applies with his own login", "review", "R00",
               [](World& w, Case& c) { c.subject.At("id") = w.NewPerson(w.Any(kElsewhere), 18, 50).id; }});
  f.push_back({"no ID card on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

// NH-P04 城乡居民养老保险参保登记: a Nanhai resident of 16-59 without other
// pension insurance; the social security card is the payment account.
const int kGrades2026[] = {180, 240, 360, 600, 900, 1200, 1800, 2400, 3600, 4800};

Case CleanP04(World& w) {
  const Town& town = DelegatedTown(w);
  Person p = w.NanhaiPerson(20, 58);
  std::string account = w.BankAccount();
  Case c;
  c.app = O({{"item", "NH-P04"},
             {"applicant", O({{"id_no", p.id}, {"name", p.name}, {"phone", w.Phone()}})},
             {"hukou_division", town.code},
             {"contribution_grade", w.Any(kGrades2026)},
             {"payment", O({{"bank_account", account}})},
             {"declared_student", false},
             {"hukou", O({{"division", town.code}, {"birth_date", p.birth}, {"death_record", false}})},
             {"education", O({{"active_student", false}})},
             {"social_insurance", O({{"employee_pension_active", false}, {"institution_pension_active", false},
                                     {"resident_pension_nanhai", false}, {"resident_pension_elsewhere", false}})},
             {"data_sources", DataSources({"hukou", "social_insurance"})}});
  c.subject = Subject("natural_person", p.id, w.Chance(60) ? "sms" : "face");
  c.town = town.code;
  int32_t issued = w.today() - w.Between(100, 3000);
  c.licences.push_back(O({{"type", "social_security_card"}, {"number", "SSC-" + p.id},
                          {"holder", Holder(p.id, "natural_person", p.name)}, {"status", "valid"},
                          {"issued", w.Day(issued)}, {"expires", w.Day(*dsl::AddMonths(issued, 120))},
                          {"issuer", "佛山市人力资源和社会保障局"},
                          {"fields", O({{"bank_account", account}, {"bank_name", "某银行佛山分行"}})}}));
  return c;
}

std::vector<Fault> FaultsP04() {
  std::vector<Fault> f = CommonFaults("sms", "contribution_grade", true, true);
  auto flag = [](const char* path, bool value) { return [=](World&, Case& c) { c.app.At(path) = value; }; };
  f.push_back({"registered outside Nanhai", "reject", "R02",
               [](World&, Case& c) { c.app.At("hukou/division") = "440606003"; }});
  f.push_back({"an active student", "reject", "R03", flag("education/active_student", true)});
  f.push_back({"employee pension insurance", "review", "R04", flag("social_insurance/employee_pension_active", true)});
  f.push_back({"institution pension insurance", "review", "R05", flag("social_insurance/institution_pension_active", true)});
  f.push_back({"already enrolled in Nanhai", "reject", "R06", flag("social_insurance/resident_pension_nanhai", true)});
  f.push_back({"enrolled elsewhere: a transfer", "review", "R07", flag("social_insurance/resident_pension_elsewhere", true)});
  f.push_back({"a grade not in this year's list", "reject", "R08",
               [](World&, Case& c) { c.app.At("contribution_grade") = 500; }});
  f.push_back({"62 years old: special rules", "review", "R09", [](World& w, Case& c) {
                 Person p = w.NanhaiPerson(60, 70);
                 c.app.At("applicant/id_no") = p.id;
                 c.app.At("hukou/birth_date") = p.birth;
                 c.subject.At("id") = p.id;
                 c.licences[0].At("number") = "SSC-" + p.id;
                 c.licences[0].At("holder/id") = p.id;
               }});
  f.push_back({"a death record", "review", "R10", flag("hukou/death_record", true)});
  f.push_back({"no social security card on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

// NH-P05 重度残疾人护理补贴: a person with a level 1 or 2 disability (or a
// level 3 intellectual or mental one), or the guardian for them.
Case CleanP05(World& w) {
  const Town& town = DelegatedTown(w, kJiujiang);
  Person p = w.NanhaiPerson(8, 85);
  bool adult = dsl::AgeInYears(*dsl::ParseIsoDate(p.birth), w.today()) >= 18;
  int category = w.Between(1, 7), level = w.Between(1, 2);
  if (w.Chance(15)) {
    category = w.Between(5, 6);
    level = 3;
  }
  std::string cert = p.id + std::to_string(category) + std::to_string(level);
  Person guardian = w.NanhaiPerson(35, 65);
  Case c;
  c.app = O({{"item", "NH-P05"},
             {"person", O({{"id_no", p.id}, {"name", p.name}})},
             {"disability_cert_no", cert},
             {"care", "home"},
             {"payment", O({{"bank_account", w.BankAccount()}, {"account_holder_id", p.id}})},
             {"hukou", O({{"division", town.code}, {"death_record", false}, {"guardian_relation_verified", true}})},
             {"benefits", O({{"receiving_care_subsidy", false}, {"same_nature_benefit", false}, {"institutional_care", false}})},
             {"data_sources", DataSources({"disability"})}});
  c.subject = Subject("natural_person", p.id, "face");
  if (!adult || w.Chance(30)) {
    c.app.At("guardian") = O({{"id_no", guardian.id}, {"name", guardian.name}, {"relation", adult ? "child" : "parent"}});
    c.subject = Subject("natural_person", guardian.id, "face");
  }
  c.town = town.code;
  int32_t issued = w.today() - w.Between(100, 2500);
  c.licences.push_back(O({{"type", "disability_certificate"}, {"number", cert},
                          {"holder", Holder(p.id, "natural_person", p.name)},
                          {"related", A({O({{"id", guardian.id}, {"relation", "guardian"}})})}, {"status", "valid"},
                          {"issued", w.Day(issued)}, {"expires", w.Day(*dsl::AddMonths(issued, 120))},
                          {"issuer", "佛山市南海区残疾人联合会"},
                          {"fields", O({{"category", category}, {"level", level}})}}));
  return c;
}

std::vector<Fault> FaultsP05() {
  std::vector<Fault> f = CommonFaults("face", "payment/bank_account", true, true);
  auto flag = [](const char* path, bool value) { return [=](World&, Case& c) { c.app.At(path) = value; }; };
  f.push_back({"handled in Jiujiang, which has no delegation", "review", "G05",
               [](World&, Case& c) { c.town = kTowns[kJiujiang].code; }});
  f.push_back({"a certificate number typed wrong", "reject", "R01", [](World&, Case& c) {
                 std::string cert = c.app.At("disability_cert_no").Str();
                 c.app.At("disability_cert_no") = cert.substr(0, 18) + "9";
               }});
  f.push_back({"a cancelled certificate", "review", "R02", [](World&, Case& c) { c.licences[0].At("status") = "cancelled"; }});
  f.push_back({"a level 3 physical disability", "reject", "R03", [](World&, Case& c) {
                 std::string id = c.app.At("person/id_no").Str();
                 c.app.At("disability_cert_no") = id + "13";
                 c.licences[0].At("number") = id + "13";
                 c.licences[0].At("fields") = O({{"category", 1}, {"level", 3}});
               }});
  f.push_back({"registered outside Nanhai", "reject", "R04", [](World&, Case& c) { c.app.At("hukou/division") = "440607001"; }});
  f.push_back({"already receiving the subsidy", "reject", "R05", flag("benefits/receiving_care_subsidy", true)});
  f.push_back({"a benefit of the same nature", "review", "R06", flag("benefits/same_nature_benefit", true)});
  f.push_back({"in institutional care", "review", "R07", flag("benefits/institutional_care", true)});
  f.push_back({"a death record", "review", "R08", flag("hukou/death_record", true)});
  f.push_back({"paid into a third person's account", "review", "R09",
               [](World& w, Case& c) { c.app.At("payment/account_holder_id") = w.NanhaiPerson(30, 60).id; }});
  f.push_back({"a guardian the household register does not confirm", "review", "R10", [](World& w, Case& c) {
                 Person g = w.NanhaiPerson(35, 65);
                 c.app.At("guardian") = O({{"id_no", g.id}, {"name", g.name}, {"relation", "relative"}});
                 c.app.At("hukou/guardian_relation_verified") = false;
                 c.subject.At("id") = g.id;
                 c.licences[0].At("related/0/id") = g.id;
               }});
  return f;
}

// NH-B01 个体工商户设立登记: a person opens a shop at a standard address
// they own (property certificate) or lease.
const char* kShopSuffixes[] = {"便利店", "五金店", "文具店", "商行", "日用品店"};

Case CleanB01(World& w) {
  const Town& town = DelegatedTown(w);
  Person op = w.NewPerson(w.Chance(70) ? "440605" : w.Any(kElsewhere), 20, 60);
  Firm shop = w.NewFirm(town, true, w.Any(kShopSuffixes));
  bool own = w.Chance(40);
  std::string cert = w.Serial("粤(2021)佛南不动产权第", 7) + "号";
  Json scope = A({O({{"code", "S-0001"}, {"text", "日用百货销售"}})});
  if (w.Chance(40)) scope.Push(O({{"code", "S-0002"}, {"text", "食品销售（仅销售预包装食品）"}}));
  if (w.Chance(30)) scope.Push(O({{"code", "S-0006"}, {"text", "五金产品零售"}}));
  Case c;
  c.app = O({{"item", "NH-B01"},
             {"operator", O({{"id_no", op.id}, {"name", op.name}, {"phone", w.Phone()}})},
             {"composition", "individual"},
             {"family_members", A()},
             {"name", shop.name},
             {"premises", O({{"division", shop.division}, {"address", shop.address}, {"ownership", own ? "own" : "lease"}})},
             {"business_scope", scope},
             {"funds_cny", w.Between(1, 50) * 10000},
             {"employees", w.Between(0, 8)},
             {"hukou", O({{"birth_date", op.birth}, {"family_same_household", true}})},
             {"registry", O({{"name_exists", false}, {"address_usage_count", w.Between(0, 3)}})},
             {"data_sources", DataSources({"hukou", "registry"})}});
  if (own) {
    c.app.At("premises/property_cert_no") = cert;
  } else {
    c.app.At("premises/lease_file_id") = w.Serial("ZL-", 6);
  }
  if (w.Chance(20)) {
    Person spouse = w.NanhaiPerson(20, 60);
    c.app.At("composition") = "family";
    c.app.At("family_members") = A({O({{"id_no", spouse.id}, {"name", spouse.name}})});
  }
  c.subject = Subject("natural_person", op.id, "sms");
  c.town = town.code;
  c.licences.push_back(IdCard(w, op));
  if (own) {
    c.licences.push_back(O({{"type", "property_certificate"}, {"number", cert},
                            {"holder", Holder(op.id, "natural_person", op.name)}, {"status", "valid"},
                            {"issued", w.DaysAgo(w.Between(300, 4000))}, {"issuer", "佛山市南海区不动产登记中心"},
                            {"fields", O({{"address", shop.address}, {"division", shop.division}})}}));
  }
  return c;
}

std::vector<Fault> FaultsB01() {
  std::vector<Fault> f = CommonFaults("sms", "name", true, true);
  f.push_back({"a 17-year-old operator", "review", "R01B", [](World& w, Case& c) {
                 Person p = w.NanhaiPerson(16, 17);
                 c.app.At("operator/id_no") = p.id;
                 c.app.At("hukou/birth_date") = p.birth;
                 c.subject.At("id") = p.id;
                 c.licences[0] = IdCard(w, p);
                 if (c.licences.size() > 1) c.licences[1].At("holder/id") = p.id;
               }});
  f.push_back({"premises in Chancheng", "reject", "R02",
               [](World&, Case& c) { c.app.At("premises/division") = "440604010000"; }});
  f.push_back({"an address not in the standard address library", "review", "R03",
               [](World&, Case& c) { c.app.At("premises/address") = "某村某巷7号之二"; }});
  auto scope = [](const char* code, const char* text) {
    return [=](World&, Case& c) { c.app.At("business_scope").Push(O({{"code", code}, {"text", text}})); };
  };
  f.push_back({"a scope outside the catalogue", "review", "R04", scope("S-9999", "网红产品带货")});
  f.push_back({"courier services: for companies only", "reject", "R05", scope("S-0003", "快递服务")});
  f.push_back({"pharmacy: needs the permit first", "review", "R06", scope("S-0004", "药品零售")});
  f.push_back({"a prohibited word in the name", "reject", "R08", [](World&, Case& c) {
                 c.app.At("name") = "佛山市南海区中国" + c.app.At("name").Str().substr(std::string("佛山市南海区").size());
               }});
  f.push_back({"the name is already registered", "review", "R09",
               [](World&, Case& c) { c.app.At("registry/name_exists") = true; }});
  f.push_back({"the operator is a dishonest judgment debtor", "review", "R10", [](World& w, Case& c) {
                 // tables/credit_dishonest_debtors.csv
                 Person p{"440605196006060033", "何某", "1960-06-06", true};
                 c.app.At("operator") = O({{"id_no", p.id}, {"name", p.name}, {"phone", w.Phone()}});
                 c.app.At("hukou/birth_date") = p.birth;
                 c.subject.At("id") = p.id;
                 c.licences.resize(1);
                 c.licences[0] = IdCard(w, p);
                 c.app.At("premises/ownership") = "lease";
                 c.app.Erase("premises/property_cert_no");
                 c.app.At("premises/lease_file_id") = "ZL-DEBTOR";
               }});
  f.push_back({"six firms already at the address", "review", "R11",
               [](World&, Case& c) { c.app.At("registry/address_usage_count") = 6; }});
  f.push_back({"a family business the household register does not confirm", "review", "R12", [](World& w, Case& c) {
                 Person spouse = w.NanhaiPerson(20, 60);
                 c.app.At("composition") = "family";
                 c.app.At("family_members") = A({O({{"id_no", spouse.id}, {"name", spouse.name}})});
                 c.app.At("hukou/family_same_household") = false;
               }});
  f.push_back({"a property certificate of someone else", "review", "R13", [](World& w, Case& c) {
                 std::string cert = w.Serial("粤(2019)佛南不动产权第", 7) + "号";
                 c.app.At("premises/ownership") = "own";
                 c.app.Erase("premises/lease_file_id");
                 c.app.At("premises/property_cert_no") = cert;
                 Person owner = w.NanhaiPerson(40, 70);
                 c.licences.resize(1);
                 c.licences.push_back(O({{"type", "property_certificate"}, {"number", cert},
                                         {"holder", Holder(owner.id, "natural_person", owner.name)}, {"status", "valid"},
                                         {"issued", "2019-04-01"}, {"issuer", "佛山市南海区不动产登记中心"},
                                         {"fields", O({{"address", c.app.At("premises/address").Str()},
                                                       {"division", c.app.At("premises/division").Str()}})}}));
               }});
  f.push_back({"a family member's ID number with a wrong check digit", "reject", "G03", [](World& w, Case& c) {
                 std::string id = w.NanhaiPerson(20, 60).id;
                 id.back() = id.back() == '0' ? '1' : '0';
                 c.app.At("composition") = "family";
                 c.app.At("family_members") = A({O({{"id_no", id}, {"name", "某某"}})});
               }});
  return f;
}

// NH-B02 仅销售预包装食品备案: a firm whose business licence lists
// prepackaged food sales files before it starts selling.
Case CleanB02(World& w) {
  const Town& town = DelegatedTown(w);
  Firm shop = w.NewFirm(town, w.Chance(70), w.Any(kShopSuffixes));
  Person manager = w.Chance(50) ? shop.rep : w.NanhaiPerson(22, 55);
  Case c;
  c.app = O({{"item", "NH-B02"},
             {"entity", O({{"uscc", shop.uscc}, {"name", shop.name}})},
             {"premises", O({{"division", shop.division}, {"address", shop.address}})},
             {"categories", A({"prepackaged"})},
             {"special_foods", A()},
             {"cold_chain", false},
             {"online_sales", w.Chance(30)},
             {"food_safety_manager", O({{"id_no", manager.id}, {"name", manager.name}})},
             {"data_sources", DataSources({"market_registry"})}});
  c.subject = Subject("legal_person", shop.uscc, w.Chance(50) ? "password" : "sms");
  c.town = town.code;
  c.licences.push_back(BusinessLicence(w, shop, {"日用百货销售", "食品销售（仅销售预包装食品）"}));
  return c;
}

std::vector<Fault> FaultsB02() {
  std::vector<Fault> f = CommonFaults("password", "premises/address", false, true);
  f.push_back({"logged in as another firm", "reject", "R01",
               [](World& w, Case& c) { c.subject.At("id") = w.NewFirm(kTowns[0], true, "商行").uscc; }});
  f.push_back({"a revoked business licence", "reject", "R02", [](World&, Case& c) { c.licences[0].At("status") = "revoked"; }});
  f.push_back({"food sales not in the registered scope", "reject", "R03",
               [](World&, Case& c) { c.licences[0].At("fields/scope") = A({"日用百货销售"}); }});
  f.push_back({"premises in Sanshui", "reject", "R04",
               [](World&, Case& c) { c.app.At("premises/division") = "440607001000"; }});
  f.push_back({"already holds a food business permit", "reject", "R05", [](World& w, Case& c) {
                 std::string uscc = c.app.At("entity/uscc").Str();
                 c.licences.push_back(O({{"type", "food_permit"}, {"number", w.Serial("JY1440605", 7)},
                                         {"holder", Holder(uscc, "legal_person", c.app.At("entity/name").Str())},
                                         {"status", "valid"}, {"issued", w.DaysAgo(400)},
                                         {"expires", w.Day(w.today() + 1400)}, {"issuer", "佛山市南海区市场监督管理局"},
                                         {"fields", O({{"items", A({"预包装食品销售"})},
                                                       {"premises", c.app.At("premises/address").Str()}})}}));
               }});
  f.push_back({"a food safety manager banned from the trade", "reject", "R06", [](World&, Case& c) {
                 // tables/food_banned_persons.csv
                 c.app.At("food_safety_manager") = O({{"id_no", "440605197511110016"}, {"name", "某某"}});
               }});
  f.push_back({"infant formula on the shelves", "review", "R07",
               [](World&, Case& c) { c.app.At("special_foods") = A({"婴幼儿配方乳粉"}); }});
  f.push_back({"frozen food in the cold chain", "review", "R08", [](World&, Case& c) { c.app.At("cold_chain") = true; }});
  f.push_back({"a firm on the serious-dishonesty list", "review", "R09", [](World& w, Case& c) {
                 // tables/credit_serious_dishonest.csv
                 Firm& listed = w.Listed("92440605MA55AB0C3L", kTowns[0], "便利店");
                 c.app.At("entity") = O({{"uscc", listed.uscc}, {"name", listed.name}});
                 c.app.At("premises") = O({{"division", listed.division}, {"address", listed.address}});
                 c.subject.At("id") = listed.uscc;
                 c.licences[0] = BusinessLicence(w, listed, {"日用百货销售", "食品销售（仅销售预包装食品）"});
               }});
  f.push_back({"a credit code with a wrong check character", "reject", "G03", [](World&, Case& c) {
                 std::string uscc = c.app.At("entity/uscc").Str();
                 uscc.back() = uscc.back() == '0' ? '1' : '0';
                 c.app.At("entity/uscc") = uscc;
                 c.subject.At("id") = uscc;
               }});
  f.push_back({"no business licence on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

// NH-B03 食品经营许可延续: a permit holder renews one to six months before
// expiry with nothing changed.
Json FoodPermit(World& w, const Firm& f, const std::string& number, std::vector<Json> items) {
  int32_t expires = w.today() + w.Between(40, 180);
  return O({{"type", "food_permit"}, {"number", number}, {"holder", Holder(f.uscc, "legal_person", f.name)},
            {"status", "valid"}, {"issued", w.Day(*dsl::AddMonths(expires, -60))}, {"expires", w.Day(expires)},
            {"issuer", "佛山市南海区市场监督管理局"},
            {"fields", O({{"items", A(std::move(items))}, {"premises", f.address}})}});
}

Case CleanB03(World& w) {
  const Town& town = DelegatedTown(w);
  Firm f = w.NewFirm(town, w.Chance(50), w.Chance(50) ? "食品商行" : "餐饮店");
  std::string permit = w.Serial("JY1440605", 7);
  Case c;
  c.app = O({{"item", "NH-B03"},
             {"entity", O({{"uscc", f.uscc}})},
             {"permit_no", permit},
             {"declare_no_change", O({{"premises", true}, {"layout", true}, {"equipment", true}, {"items", true}})},
             {"contact", O({{"name", f.rep.name}, {"phone", w.Phone()}})},
             {"data_sources", DataSources({"permits"})}});
  c.subject = Subject("legal_person", f.uscc, "password");
  c.town = town.code;
  c.licences.push_back(BusinessLicence(w, f, {"食品销售", "餐饮服务"}));
  c.licences.push_back(FoodPermit(w, f, permit, w.Chance(50) ? std::vector<Json>{"预包装食品销售"}
                                                              : std::vector<Json>{"预包装食品销售", "热食类食品制售"}));
  return c;
}

std::vector<Fault> FaultsB03() {
  std::vector<Fault> f = CommonFaults("password", "contact/phone", false, true);
  f.push_back({"logged in as another firm", "reject", "R01",
               [](World& w, Case& c) { c.subject.At("id") = w.NewFirm(kTowns[0], true, "商行").uscc; }});
  f.push_back({"a revoked permit", "reject", "R03", [](World&, Case& c) { c.licences[1].At("status") = "revoked"; }});
  f.push_back({"less than 30 days before expiry", "review", "R05",
               [](World& w, Case& c) { c.licences[1].At("expires") = w.Day(w.today() + w.Between(1, 25)); }});
  f.push_back({"the kitchen was rebuilt", "review", "R06",
               [](World&, Case& c) { c.app.At("declare_no_change/layout") = false; }});
  f.push_back({"a revoked business licence", "reject", "R07", [](World&, Case& c) { c.licences[0].At("status") = "revoked"; }});
  f.push_back({"a serious food-safety penalty during the permit", "review", "R08", [](World& w, Case& c) {
                 // tables/food_penalties.csv
                 Firm& listed = w.Listed("91440605MA4WXY1297", kTowns[4], "食品有限公司");
                 std::string permit = c.app.At("permit_no").Str();
                 c.app.At("entity/uscc") = listed.uscc;
                 c.subject.At("id") = listed.uscc;
                 c.licences[0] = BusinessLicence(w, listed, {"食品销售"});
                 c.licences[1] = FoodPermit(w, listed, permit, {"预包装食品销售"});
               }});
  f.push_back({"a firm on the serious-dishonesty list", "review", "R09", [](World& w, Case& c) {
                 // tables/credit_serious_dishonest.csv
                 Firm& listed = w.Listed("91440605MA55AB0C3P", kTowns[5], "食品有限公司");
                 std::string permit = c.app.At("permit_no").Str();
                 c.app.At("entity/uscc") = listed.uscc;
                 c.subject.At("id") = listed.uscc;
                 c.licences[0] = BusinessLicence(w, listed, {"食品销售"});
                 c.licences[1] = FoodPermit(w, listed, permit, {"预包装食品销售"});
               }});
  f.push_back({"decorated cakes made on site", "review", "R10", [](World&, Case& c) {
                 c.licences[1].At("fields/items") = A({"预包装食品销售", "自制裱花蛋糕"});
               }});
  f.push_back({"another firm's permit number", "review", "G07", [](World& w, Case& c) {
                 Firm other = w.NewFirm(kTowns[4], false, "食品有限公司");
                 c.licences[1].At("holder") = Holder(other.uscc, "legal_person", other.name);
               }});
  f.push_back({"a permit that already expired", "review", "G07", [](World& w, Case& c) {
                 c.licences[1].At("expires") = w.DaysAgo(w.Between(1, 60));
               }});
  f.push_back({"a malformed permit number", "reject", "G03", [](World&, Case& c) {
                 c.app.At("permit_no") = "JY" + c.app.At("permit_no").Str().substr(2, 10);
               }});
  return f;
}

// NH-B04 招牌设置: a wall sign with the shop's name at its registered
// premises on a road where signs are allowed.
Case CleanB04(World& w) {
  const Town* town = nullptr;
  do {
    town = &DelegatedTown(w, kLishui);
  } while (!*town->segment);
  Firm shop = w.NewFirm(*town, w.Chance(70), w.Any(kShopSuffixes));
  double width = w.Between(20, 45) / 10.0, height = w.Between(6, 9) / 10.0;
  Case c;
  c.app = O({{"item", "NH-B04"},
             {"entity", O({{"uscc", shop.uscc}, {"name", shop.name}})},
             {"site", O({{"division", shop.division}, {"road_segment_id", town->segment}, {"address", shop.address}})},
             {"sign", O({{"text", shop.trade}, {"type", "wall"}, {"width_m", width}, {"height_m", height},
                         {"area_m2", static_cast<double>(static_cast<int>(width * height * 100 + 0.5)) / 100},
                         {"height_above_ground_m", w.Between(25, 45) / 10.0},
                         {"illuminated", town->segment_lit && w.Chance(50)}, {"count", 1}})},
             {"building_owner_consent_file", w.Serial("f-", 5)},
             {"register", O({{"existing_sign_at_premises", false}})},
             {"data_sources", DataSources({"sign_register"})}});
  c.subject = Subject("legal_person", shop.uscc, "password");
  c.town = town->code;
  c.licences.push_back(BusinessLicence(w, shop, {"日用百货销售"}));
  return c;
}

std::vector<Fault> FaultsB04() {
  std::vector<Fault> f = CommonFaults("password", "sign/text", false, true);
  f.push_back({"handled in Lishui, whose delegation ran out", "review", "G05",
               [](World&, Case& c) { c.town = kTowns[kLishui].code; }});
  f.push_back({"the firm's licence was revoked", "reject", "R01", [](World&, Case& c) { c.licences[0].At("status") = "revoked"; }});
  f.push_back({"a sign at another address", "review", "R02",
               [](World&, Case& c) { c.app.At("site/address") = c.app.At("site/address").Str() + "之一"; }});
  f.push_back({"an advertisement rather than the shop's name", "review", "R03",
               [](World&, Case& c) { c.app.At("sign/text") = "全场五折"; }});
  f.push_back({"a site in Chancheng", "reject", "R04", [](World&, Case& c) { c.app.At("site/division") = "440604010000"; }});
  f.push_back({"a road where signs are prohibited", "reject", "R05",
               [](World&, Case& c) { c.app.At("site/road_segment_id") = "XQ-SX-004"; }});
  f.push_back({"a strictly controlled road", "review", "R06", [](World&, Case& c) {
                 c.app.At("site/road_segment_id") = "GC-NHDDB-002";
                 c.app.At("sign/illuminated") = false;
                 c.app.At("sign/area_m2") = 2.0;
                 c.app.At("sign/height_above_ground_m") = 3.0;
               }});
  f.push_back({"a rooftop sign", "review", "R07", [](World&, Case& c) { c.app.At("sign/type") = "rooftop"; }});
  f.push_back({"a sign larger than the zone allows", "review", "R08", [](World&, Case& c) { c.app.At("sign/area_m2") = 18.5; }});
  f.push_back({"a second sign at the premises", "review", "R09",
               [](World&, Case& c) { c.app.At("register/existing_sign_at_premises") = true; }});
  f.push_back({"a heritage control zone", "review", "R10", [](World&, Case& c) {
                 c.app.At("site/road_segment_id") = "DL-GFL-003";
                 c.app.At("sign/illuminated") = false;
                 c.app.At("sign/area_m2") = 3.0;
                 c.app.At("sign/height_above_ground_m") = 3.0;
               }});
  f.push_back({"a lit sign on a road that allows none", "review", "R11", [](World&, Case& c) {
                 c.app.At("site/road_segment_id") = "GC-NHDDB-006";
                 c.app.At("sign/illuminated") = true;
                 c.app.At("sign/area_m2") = 3.0;
                 c.app.At("sign/height_above_ground_m") = 3.0;
               }});
  f.push_back({"no business licence on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

// NH-B05 企业投资项目备案: a firm files a project of an ordinary industry in
// a Nanhai industrial area.
struct Project {
  const char* code;
  const char* name;
  const char* scale;
};
const Project kProjects[] = {
    {"C3252", "铝型材深加工生产线建设项目", "新建厂房1万平方米，购置挤压、氧化生产设备50台（套）"},
    {"C3511", "智能矿山机械生产基地项目", "建设装配车间2栋，购置数控加工设备80台（套）"},
    {"C3130", "精密钢材压延技术改造项目", "改造现有生产线3条，新增冷轧设备12台（套）"},
    {"I6510", "工业软件研发中心建设项目", "装修研发办公场地5000平方米，购置服务器及研发设备"},
};

Case CleanB05(World& w) {
  const Town& town = DelegatedTown(w);
  Firm firm = w.NewFirm(town, false, "实业有限公司");
  const Project& p = w.Any(kProjects);
  int total = w.Between(5, 800) * 10;
  int start = w.year() + w.Pick(2);
  Case c;
  c.app = O({{"item", "NH-B05"},
             {"entity", O({{"uscc", firm.uscc}, {"name", firm.name}})},
             {"project", O({{"name", std::string(town.name) + p.name}, {"type", w.Chance(60) ? "new" : "expansion"},
                            {"location", O({{"division", firm.division}, {"address", firm.address}})},
                            {"industry_code", p.code}, {"content_scale", p.scale},
                            {"total_investment_wan", total}, {"fixed_asset_investment_wan", total * w.Between(50, 95) / 100},
                            {"start_year", start}, {"end_year", start + w.Pick(3)},
                            {"foreign_invested", false}, {"government_funds", false}})},
             {"policy_declaration_signed", true},
             {"data_sources", DataSources({"investment_platform"})}});
  c.subject = Subject("legal_person", firm.uscc, w.Chance(50) ? "sms" : "face");
  c.town = town.code;
  c.licences.push_back(BusinessLicence(w, firm, {"金属制品制造", "技术开发"}));
  return c;
}

std::vector<Fault> FaultsB05() {
  std::vector<Fault> f = CommonFaults("sms", "project/name", false, false);
  auto set = [](const char* path, Json value) { return [=](World&, Case& c) { c.app.At(path) = value; }; };
  f.push_back({"logged in as another firm", "reject", "R01",
               [](World& w, Case& c) { c.subject.At("id") = w.NewFirm(kTowns[0], false, "有限公司").uscc; }});
  f.push_back({"a project in Shunde", "reject", "R02", set("project/location/division", "440606003000")});
  f.push_back({"an industry code that does not exist", "reject", "R03", set("project/industry_code", "C9999")});
  f.push_back({"a power station: needs approval, not filing", "reject", "R04", set("project/industry_code", "D4411")});
  f.push_back({"an eliminated industry", "reject", "R05", set("project/industry_code", "C3110")});
  f.push_back({"a restricted industry", "review", "R06", set("project/industry_code", "C2511")});
  f.push_back({"fixed assets above the total", "reject", "R07", [](World&, Case& c) {
                 c.app.At("project/fixed_asset_investment_wan") = 9000;
                 c.app.At("project/total_investment_wan") = 8000;
               }});
  f.push_back({"a start year in the past", "reject", "R08", [](World& w, Case& c) {
                 c.app.At("project/start_year") = w.year() - 1;
               }});
  f.push_back({"the policy declaration unsigned", "reject", "R09", set("policy_declaration_signed", false)});
  f.push_back({"a foreign-invested project", "review", "R10", set("project/foreign_invested", true)});
  f.push_back({"a ten-billion project", "review", "R11", [](World&, Case& c) {
                 c.app.At("project/total_investment_wan") = 120000;
                 c.app.At("project/fixed_asset_investment_wan") = 100000;
               }});
  f.push_back({"government funds requested", "review", "R12", set("project/government_funds", true)});
  f.push_back({"no business licence on file", "review", "G07", [](World&, Case& c) { c.licences.clear(); }});
  return f;
}

std::vector<Item> Items() {
  return {
      {"NH-P01", 9, CleanP01, FaultsP01()},   {"NH-P02", 12, CleanP02, FaultsP02()},
      {"NH-P03", 14, CleanP03, FaultsP03()},  {"NH-P04", 10, CleanP04, FaultsP04()},
      {"NH-P05", 6, CleanP05, FaultsP05()},   {"NH-B01", 14, CleanB01, FaultsB01()},
      {"NH-B02", 11, CleanB02, FaultsB02()},  {"NH-B03", 8, CleanB03, FaultsB03()},
      {"NH-B04", 8, CleanB04, FaultsB04()},   {"NH-B05", 8, CleanB05, FaultsB05()},
  };
}

int Usage(const char* why) {
  std::cerr << "gen_nanhai: " << why
            << "\nusage: gen_nanhai N --applications FILE --licences FILE [--labels FILE] [--seed S] [--date YYYY-MM-DD]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long n = -1;
  uint64_t seed = 42;
  std::string date = "2026-09-10", apps_path, licences_path, labels_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--applications") apps_path = value();
    else if (arg == "--licences") licences_path = value();
    else if (arg == "--labels") labels_path = value();
    else if (arg == "--seed") seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (arg == "--date") date = value();
    else if (n < 0 && !arg.empty() && std::all_of(arg.begin(), arg.end(), ::isdigit)) n = std::atol(arg.c_str());
    else return Usage(("unexpected argument " + arg).c_str());
  }
  std::optional<int32_t> today = dsl::ParseIsoDate(date);
  if (n < 0 || apps_path.empty() || licences_path.empty()) return Usage("N, --applications and --licences are required");
  if (!today) return Usage("--date is not a YYYY-MM-DD date");
  std::ofstream apps(apps_path), licences(licences_path), labels;
  if (!labels_path.empty()) labels.open(labels_path);
  if (!apps || !licences || (!labels_path.empty() && !labels)) return Usage("cannot write an output file");

  World w(seed, *today);
  std::vector<Item> items = Items();
  int total_weight = 0;
  for (const Item& item : items) total_weight += item.weight;
  std::set<std::string> written;  // licence type|number: one record each
  std::string line;
  for (long i = 0; i < n; ++i) {
    int roll = w.Pick(total_weight);
    const Item* item = &items[0];
    for (const Item& candidate : items) {
      if ((roll -= candidate.weight) < 0) {
        item = &candidate;
        break;
      }
    }
    Case c = item->clean(w);
    std::string number = std::to_string(i + 1);
    c.app.PutFirst("id", "NH-" + std::to_string(w.year()) + "-" + std::string(number.size() < 6 ? 6 - number.size() : 0, '0') + number);
    if (!w.Chance(62)) {
      const Fault& fault = item->faults[w.Pick(static_cast<int>(item->faults.size()))];
      fault.apply(w, c);
      c.label = {fault.decision, fault.rule, fault.what};
    }
    line.clear();
    line += "{\"application\": ";
    c.app.Write(line);
    line += ", \"context\": ";
    O({{"subject", c.subject}, {"town", c.town}}).Write(line);
    line += "}\n";
    apps << line;
    for (Json& licence : c.licences) {
      std::string key = licence.At("type").Str() + "|" + licence.At("number").Str();
      if (!written.insert(key).second) continue;
      line.clear();
      licence.Write(line);
      licences << line << '\n';
    }
    if (labels.is_open()) {
      line.clear();
      O({{"id", c.app.At("id")}, {"item", item->code}, {"decision", c.label.decision}, {"rule", c.label.rule},
         {"fault", c.label.fault}})
          .Write(line);
      labels << line << '\n';
    }
  }
  return apps && licences ? 0 : 1;
}
