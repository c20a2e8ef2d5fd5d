// Writes N applications for the "wide" benchmark item WD-001
// (bench/wide/wide.rules) as JSONL: 1,000 to 1,650 bytes each (median about
// 1,300), lists of 8 to 15 elements in all; mostly approvable, some failing one rule (rejects and
// reviews), some with missing or broken data. Deterministic per seed.
//
//   gen_wide N [SEED] > applications.jsonl
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "gen_people.h"

using namespace bench;

namespace {

const char* kRoles[] = {"cook", "waiter", "cashier", "cleaner"};
const char* kKinds[] = {"fridge", "freezer", "sterilizer", "range_hood", "dishwasher", "oven"};
const char* kScopes[] = {"日用百货销售", "酒类经营", "食品销售（仅销售预包装食品）", "烟草制品零售", "保健食品销售"};

}  // namespace

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 1000;
  std::mt19937_64 rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<uint64_t>(k)); };
  auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  std::string line;
  for (long i = 0; i < n; ++i) {
    int person = pick(8);
    int company = pick(4);
    int roll = pick(100);  // what kind of application this is
    std::string uscc = kUsccs[company];
    std::string district = kDistricts[pick(5)];
    std::string submitted = "\"2026-09-" + two(1 + pick(28)) + "\"";
    std::string birth = kBirths[person];
    std::string area = std::to_string(25 + pick(300)) + "." + std::to_string(pick(10));
    std::string phone = "\"1" + std::to_string(3 + pick(7)) + "80000" + std::to_string(1000 + pick(9000)) + "\"";
    std::string business_expires = "\"2030-" + two(1 + pick(12)) + "-15\"";
    std::string food_number = "JY" + std::to_string(14406050000000 + pick(9999999));
    int staff = 2 + pick(3), equipment = 2 + pick(3), scopes = 1 + pick(3), extra_licences = pick(2);
    int bad_staff = pick(staff), bad_equipment = pick(equipment);
    bool scope_food = true, manager_trained = true, staff_health_bad = false, staff_id_null = false;
    bool equipment_old = false, no_submitted = false, business_expires_absent = false;
    if (roll < 3)
      district = "440111";  // reject: outside Foshan
    else if (roll < 5)
      scope_food = false;  // reject: no catering in scope
    else if (roll < 7)
      uscc = "91440605MA55AB0C3P";  // reject: blacklisted
    else if (roll < 12)
      business_expires = "\"2026-0" + std::to_string(1 + pick(8)) + "-01\"";  // review: expired
    else if (roll < 16)
      food_number = "JY" + std::to_string(1440605 + pick(99999));  // review: malformed number
    else if (roll < 20)
      staff_health_bad = true;  // review
    else if (roll < 23)
      manager_trained = false;  // review
    else if (roll < 26)
      equipment_old = true;  // review
    else if (roll < 28)
      area = std::to_string(5 + pick(14));  // review: too small
    else if (roll < 30)
      staff_id_null = true;  // review: missing data
    else if (roll < 31)
      birth = "1990-02-30";  // review: broken date
    else if (roll < 32)
      phone = "\"12345\"";  // review: phone format
    else if (roll < 33)
      business_expires_absent = true;  // review: missing data inside a list
    else if (roll < 34)
      no_submitted = true;  // review: the date every rule needs is missing
    line = "{\"id\":\"WD-" + std::to_string(i + 1) + "\",\"item\":\"WD-001\"";
    if (!no_submitted) line += ",\"submitted_at\":" + submitted;
    line += ",\"applicant\":{\"id_number\":\"" + std::string(kIds[person]) + "\",\"birth_date\":\"" + birth +
            "\",\"phone\":" + phone + ",\"email\":\"shop" + std::to_string(pick(1000)) + "@example.cn\"}";
    line += ",\"business\":{\"uscc\":\"" + uscc + "\",\"name\":\"佛山市南海区" + kNames[pick(8)] +
            "餐饮店\",\"district\":\"" + district + "\",\"scope\":[";
    for (int s = 0; s < scopes; ++s) line += std::string(s ? "," : "") + "\"" + kScopes[pick(5)] + "\"";
    if (scope_food) line += ",\"餐饮服务（含凉菜）\"";
    line += "],\"area_m2\":" + area + ",\"seats\":" + std::to_string(10 + pick(90)) + ",\"opened\":\"2025-" +
            two(1 + pick(12)) + "-" + two(1 + pick(28)) + "\"}";
    line += ",\"licences\":[{\"type\":\"business_licence\",\"number\":\"" + uscc +
            "\",\"status\":\"valid\",\"issued\":\"2024-03-01\"";
    if (!business_expires_absent) line += ",\"expires\":" + business_expires;
    line += ",\"holder\":\"" + uscc + "\"}";
    line += ",{\"type\":\"food_licence\",\"number\":\"" + food_number +
            "\",\"status\":\"valid\",\"issued\":\"2025-06-01\",\"expires\":\"2030-05-31\",\"holder\":\"" + uscc + "\"}";
    for (int l = 0; l < extra_licences; ++l) {
      line += ",{\"type\":\"signboard_permit\",\"number\":\"ZP" + std::to_string(100000 + pick(900000)) +
              "\",\"status\":\"" + (pick(2) ? "valid" : "expired") + "\",\"issued\":\"2025-01-" + two(1 + pick(28)) +
              "\",\"expires\":\"2027-01-01\",\"holder\":\"" + uscc + "\"}";
    }
    line += "],\"staff\":[";
    for (int s = 0; s < staff; ++s) {
      std::string id = staff_id_null && s == bad_staff ? "null" : "\"" + std::string(kIds[pick(8)]) + "\"";
      std::string health = staff_health_bad && s == bad_staff ? "2026-0" + std::to_string(1 + pick(8)) + "-01"
                                                              : "2027-" + two(1 + pick(12)) + "-01";
      bool manager = s == 0;
      line += std::string(s ? "," : "") + "{\"name\":\"" + kNames[pick(8)] + "\",\"id_number\":" + id + ",\"role\":\"" +
              (manager ? "manager" : kRoles[pick(4)]) + "\",\"health_cert_expires\":\"" + health +
              "\",\"trained\":" + (manager ? (manager_trained ? "true" : "false") : (pick(2) ? "true" : "false")) + "}";
    }
    line += "],\"equipment\":[";
    for (int e = 0; e < equipment; ++e) {
      std::string inspected = equipment_old && e == bad_equipment ? "2025-0" + std::to_string(1 + pick(8)) + "-01"
                                                                  : "2026-0" + std::to_string(1 + pick(8)) + "-15";
      line += std::string(e ? "," : "") + "{\"kind\":\"" + kKinds[pick(6)] + "\",\"inspected\":\"" + inspected + "\"}";
    }
    line += "]}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
