// Writes N realistic applications for the sample food-sales pack as JSONL:
// mostly complete and approvable, some with rule failures (rejects and
// reviews), some with missing or broken data. Deterministic per seed.
//
//   gen_food_sales N [SEED] > applications.jsonl
//   gen_food_sales --blacklist COUNT [SEED] > credit_blacklist.csv
//
// The second form writes a credit blacklist of COUNT entries (the sample
// pack's two among them) for benchmarking table lookups at scale.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "gen_people.h"

using namespace bench;

// A blacklist table of `count` credit codes: the sample's two, then made-up ones.
int WriteBlacklist(long count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::printf("uscc,name,list,listed_on\n");
  std::printf("91440605MA55AB0C3P,佛山市南海区某某食品有限公司,严重违法失信名单,2025-06-01\n");
  std::printf("92440605MA55AB0C3L,佛山市南海区某某便利店,严重违法失信名单,2025-11-20\n");
  for (long i = 2; i < count; ++i) {
    std::string code = i % 2 ? "91" : "92";
    code += kDistricts[rng() % 5];
    while (code.size() < 18) code += charset[rng() % 31];
    std::printf("%s,某某%ld号市场主体,严重违法失信名单,2025-%02d-%02d\n", code.c_str(), i,
                static_cast<int>(1 + rng() % 12), static_cast<int>(1 + rng() % 28));
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 2 && std::string(argv[1]) == "--blacklist") {
    return WriteBlacklist(std::atol(argv[2]), argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 7);
  }
  long n = argc > 1 ? std::atol(argv[1]) : 1000;
  std::mt19937_64 rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<uint64_t>(k)); };
  std::string line;
  for (long i = 0; i < n; ++i) {
    int person = pick(8);
    int company = pick(4);
    int roll = pick(100);  // what kind of application this is
    std::string uscc = kUsccs[company];
    std::string district = kDistricts[pick(5)];
    std::string area = std::to_string(12 + pick(200)) + "." + std::to_string(pick(10));
    std::string expires = "2030-0" + std::to_string(1 + pick(9)) + "-15";
    std::string health = "2027-0" + std::to_string(1 + pick(9)) + "-01";
    std::string birth = kBirths[person];
    std::string scope = "\"日用百货销售\", \"食品销售（仅销售预包装食品）\"";
    std::string phone = "\"1380000" + std::to_string(1000 + pick(9000)) + "\"";
    if (roll < 4)
      district = "440111";  // reject: outside Foshan
    else if (roll < 7)
      scope = "\"日用百货销售\"";  // reject: no food in scope
    else if (roll < 9)
      uscc = "91440605MA55AB0C3P";  // reject: blacklisted
    else if (roll < 16)
      area = std::to_string(3 + pick(6));  // review: too small
    else if (roll < 22)
      expires = "2026-0" + std::to_string(1 + pick(8)) + "-01";  // review: licence expired
    else if (roll < 27)
      health = "2026-0" + std::to_string(1 + pick(8)) + "-01";  // review: health cert
    else if (roll < 30)
      area = "null";  // review: missing data
    else if (roll < 32)
      birth = "1990-02-30";  // review: broken date
    else if (roll < 33)
      phone = "\"12345\"";  // review: phone format
    line = "{\"id\": \"APP-" + std::to_string(i + 1) + "\", \"item\": \"FS-001\", \"submitted_at\": \"2026-09-0" +
           std::to_string(1 + pick(9)) + "\", \"applicant\": {\"id_number\": \"" + kIds[person] +
           "\", \"birth_date\": \"" + birth + "\", \"identity\": \"operator\", \"phone\": " + phone +
           "}, \"business\": {\"uscc\": \"" + uscc + "\", \"scope\": [" + scope + "], \"area_m2\": " + area +
           ", \"category\": \"convenience\", \"district\": \"" + district +
           "\"}, \"licences\": [{\"type\": \"business_licence\", \"status\": \"valid\", \"expires\": \"" + expires +
           "\", \"holder\": \"" + uscc + "\"}], \"staff\": [";
    int staff = 1 + pick(4);
    for (int s = 0; s < staff; ++s) {
      line += std::string(s ? ", " : "") + "{\"name\": \"" + kNames[pick(8)] + "\", \"health_cert_expires\": \"" +
              (s == 0 ? health : "2027-12-31") + "\"}";
    }
    line += "]}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
