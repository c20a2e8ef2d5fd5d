// The items for people: NH-P01 … NH-P05, each a clean application and its faults.
#include "bench/gen_nanhai/world.h"

namespace gen_nanhai {

namespace {

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
             {"applicant", O({{"id_no", applicant.id},
                              {"name", applicant.name},
                              {"relation", by_father ? "father" : "mother"},
                              {"phone", w.Phone()}})},
             {"newborn", O({{"name", child},
                            {"sex", boy ? "M" : "F"},
                            {"birth_date", born},
                            {"birth_cert_no", cert},
                            {"birth_place_division", town.code}})},
             {"follow", "father"},
             {"father", O({{"id_no", father.id}, {"name", father.name}})},
             {"mother", O({{"id_no", mother.id}, {"name", mother.name}})},
             {"target_household", O({{"household_no", w.Serial("4406050", 5)}, {"division", town.code}})},
             {"hukou", O({{"followed_parent_division", town.code},
                          {"followed_household_type", "family"},
                          {"newborn_registered", false},
                          {"applicant_status", "normal"}})},
             {"data_sources", DataSources({"hukou", "birth_certificate"})}});
  c.subject = Subject("natural_person", applicant.id, "face");
  c.town = town.code;
  c.licences.push_back(O(
      {{"type", "birth_certificate"},
       {"number", cert},
       {"holder", Holder(cert, "natural_person", child)},
       {"related", A({O({{"id", father.id}, {"relation", "father"}}), O({{"id", mother.id}, {"relation", "mother"}})})},
       {"status", "valid"},
       {"issued", born},
       {"issuer", "南海区人民医院"},
       {"fields", O({{"child_name", child},
                     {"sex", boy ? "M" : "F"},
                     {"birth_date", born},
                     {"mother_id", mother.id},
                     {"father_id", father.id}})}}));
  std::string married = w.DaysAgo(w.Between(400, 3000));
  c.licences.push_back(O({{"type", "marriage_certificate"},
                          {"number", w.Serial("J440605-", 7)},
                          {"holder", Holder(father.id, "natural_person", father.name)},
                          {"related", A({O({{"id", mother.id}, {"relation", "spouse"}})})},
                          {"status", "valid"},
                          {"issued", married},
                          {"issuer", "南海区民政局"},
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
  c.app =
      O({{"item", "NH-P02"},
         {"elder", O({{"id_no", elder.id}, {"name", elder.name}, {"phone", w.Phone()}})},
         {"payment",
          O({{"type", "social_security_card"}, {"bank_account", w.BankAccount()}, {"bank_name", "某银行佛山分行"}})},
         {"residence_division", town.code},
         {"consent", O({{"data_sharing", true}, {"annual_face_check", true}})},
         {"hukou", O({{"birth_date", elder.birth},
                      {"division", town.code},
                      {"death_record", false},
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
  c.licences.push_back(
      O({{"type", "household_register"},
         {"number", w.Serial("HR-440605-", 6)},
         {"holder", Holder(elder.id, "natural_person", elder.name)},
         {"related", A({O({{"id", child.id}, {"relation", "child"}})})},
         {"status", "valid"},
         {"issued", w.DaysAgo(w.Between(1000, 9000))},
         {"issuer", "佛山市公安局南海分局"},
         {"fields",
          O({{"household_no", w.Serial("4406050", 5)}, {"division", town.code}, {"household_type", "family"}})}}));
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
  f.push_back(
      {"a centenarian: a home visit first", "review", "R10", [age](World& w, Case& c) { age(w, c, 100, 103); }});
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
             {"address", O({{"division", std::string(town.code) + "000"},
                            {"road", town.road},
                            {"number", std::to_string(w.Between(1, 20)) + "号"},
                            {"room", std::to_string(w.Between(1, 9) * 100 + w.Between(1, 6))}})},
             {"basis", "employment"},
             {"hukou", O({{"division", p.id.substr(0, 6)}})},
             {"residence_registration", O({{"exists", true}, {"registered_on", w.DaysAgo(w.Between(190, 900))}})},
             {"stability", O({{"social_insurance_months", w.Between(6, 36)},
                              {"owns_property_in_nanhai", false},
                              {"lease_filed", false},
                              {"enrolled_in_nanhai", false}})},
             {"permits", O({{"has_valid_permit", false}, {"permit_address_same", false}})},
             {"photo_available", true},
             {"background_check", "normal"},
             {"data_sources", DataSources({"residence", "social_insurance"})}});
  int basis = w.Pick(4);
  if (basis == 0) {
    c.app.At("employment") = O({{"employer_uscc", w.NewFirm(town, false, "制造有限公司").uscc}});
  } else {
    c.app.At("stability/social_insurance_months") = w.Between(0, 5);
    c.app.At(basis == 1   ? "stability/lease_filed"
             : basis == 2 ? "stability/owns_property_in_nanhai"
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
  f.push_back({"registered three months ago", "reject", "R02A", [](World& w, Case& c) {
                 c.app.At("residence_registration/registered_on") = w.DaysAgo(w.Between(20, 150));
               }});
  f.push_back({"no residence registration", "review", "R02B", [](World&, Case& c) {
                 c.app.At("residence_registration/exists") = false;
                 c.app.Erase("residence_registration/registered_on");
               }});
  f.push_back({"no job, home, lease or school on record", "review", "R03", [](World&, Case& c) {
                 c.app.Erase("employment");
                 c.app.At("basis") = "employment";
                 c.app.At("stability") = O({{"social_insurance_months", 2},
                                            {"owns_property_in_nanhai", false},
                                            {"lease_filed", false},
                                            {"enrolled_in_nanhai", false}});
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
             {"social_insurance", O({{"employee_pension_active", false},
                                     {"institution_pension_active", false},
                                     {"resident_pension_nanhai", false},
                                     {"resident_pension_elsewhere", false}})},
             {"data_sources", DataSources({"hukou", "social_insurance"})}});
  c.subject = Subject("natural_person", p.id, w.Chance(60) ? "sms" : "face");
  c.town = town.code;
  int32_t issued = w.today() - w.Between(100, 3000);
  c.licences.push_back(O({{"type", "social_security_card"},
                          {"number", "SSC-" + p.id},
                          {"holder", Holder(p.id, "natural_person", p.name)},
                          {"status", "valid"},
                          {"issued", w.Day(issued)},
                          {"expires", w.Day(*dsl::AddMonths(issued, 120))},
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
  f.push_back(
      {"institution pension insurance", "review", "R05", flag("social_insurance/institution_pension_active", true)});
  f.push_back({"already enrolled in Nanhai", "reject", "R06", flag("social_insurance/resident_pension_nanhai", true)});
  f.push_back(
      {"enrolled elsewhere: a transfer", "review", "R07", flag("social_insurance/resident_pension_elsewhere", true)});
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
             {"benefits",
              O({{"receiving_care_subsidy", false}, {"same_nature_benefit", false}, {"institutional_care", false}})},
             {"data_sources", DataSources({"disability"})}});
  c.subject = Subject("natural_person", p.id, "face");
  if (!adult || w.Chance(30)) {
    c.app.At("guardian") =
        O({{"id_no", guardian.id}, {"name", guardian.name}, {"relation", adult ? "child" : "parent"}});
    c.subject = Subject("natural_person", guardian.id, "face");
  }
  c.town = town.code;
  int32_t issued = w.today() - w.Between(100, 2500);
  c.licences.push_back(O({{"type", "disability_certificate"},
                          {"number", cert},
                          {"holder", Holder(p.id, "natural_person", p.name)},
                          {"related", A({O({{"id", guardian.id}, {"relation", "guardian"}})})},
                          {"status", "valid"},
                          {"issued", w.Day(issued)},
                          {"expires", w.Day(*dsl::AddMonths(issued, 120))},
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
  f.push_back(
      {"a cancelled certificate", "review", "R02", [](World&, Case& c) { c.licences[0].At("status") = "cancelled"; }});
  f.push_back({"a level 3 physical disability", "reject", "R03", [](World&, Case& c) {
                 std::string id = c.app.At("person/id_no").Str();
                 c.app.At("disability_cert_no") = id + "13";
                 c.licences[0].At("number") = id + "13";
                 c.licences[0].At("fields") = O({{"category", 1}, {"level", 3}});
               }});
  f.push_back({"registered outside Nanhai", "reject", "R04",
               [](World&, Case& c) { c.app.At("hukou/division") = "440607001"; }});
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

}  // namespace

std::vector<Item> PeopleItems() {
  return {
      {"NH-P01", 9, CleanP01, FaultsP01()},  {"NH-P02", 12, CleanP02, FaultsP02()},
      {"NH-P03", 14, CleanP03, FaultsP03()}, {"NH-P04", 10, CleanP04, FaultsP04()},
      {"NH-P05", 6, CleanP05, FaultsP05()},
  };
}

}  // namespace gen_nanhai
