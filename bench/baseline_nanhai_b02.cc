// The hand-written baseline of item NH-B02 仅销售预包装食品经营者备案
// (rules/nanhai/b02_food_filing.rules with the common rules G01–G07) decided
// without a licence library, as `miaopi batch rules/nanhai APPS --date D`
// decides it: the business licence `bl` is unknown, so G07, R02 (its status)
// and R03 (its scope) go to review naming it, and so does R05, which asks
// the food permit's status (`licence_status(fp) != "in_force"`). Three tables (delegations, persons banned from
// the food trade, the serious-dishonesty list) and a list count. simdjson
// On-Demand, each application read once into plain structs; the same
// records, byte for byte, as `miaopi batch` (bench/baseline_vs_batch.sh
// checks it on every run).
//
//   baseline_nanhai_b02 PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…
#include "bench/baseline_nanhai.h"

namespace {

using namespace baseline;
using namespace baseline::nanhai;

const ItemText kItem = {
    .code = "NH-B02",
    .title = "仅销售预包装食品经营者备案",
    .basis = "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
    .effective = "2026-01-01",
    .pack = "nanhai",
    .version = "2026.11.1",
};

enum Rule : size_t { kR01 = kItemRules, kR02, kR03, kR04, kR05, kR06, kR07, kR08, kR09, kRuleCount };
const std::vector<RuleText> kItemRuleTexts = {
    {"R01", "请使用该市场主体的法人账号登录办理。", "电子证照持证主体授权", Outcome::kReject},
    {"R02", "该市场主体已注销或被吊销营业执照，不能办理备案。", "《中华人民共和国市场主体登记管理条例》",
     Outcome::kReject},
    {"R03", "营业执照经营范围未包含“食品销售（仅销售预包装食品）”，请先办理经营范围变更登记。",
     "《中华人民共和国食品安全法》第三十五条", Outcome::kReject},
    {"R04", "经营场所不在南海区，请向所在地市场监管部门备案。",
     "《中华人民共和国食品安全法》第三十五条（向所在地县级市场监管部门备案）", Outcome::kReject},
    {"R05", "已取得食品经营许可的，增加预包装食品销售无需另行备案。", "《食品经营许可和备案管理办法》第五条",
     Outcome::kReject},
    {"R06", "食品安全管理人员属于依法不得从事食品生产经营管理工作的人员。",
     "《中华人民共和国食品安全法》第一百三十五条", Outcome::kReject},
    {"R07", "涉及特殊食品销售，需人工核实专区专柜及贮存条件。", "《食品经营许可和备案管理办法》第二条",
     Outcome::kReview},
    {"R08", "涉及冷藏冷冻贮存，需人工核实。", nullptr, Outcome::kReview},
    {"R09", "市场主体被列入严重违法失信名单，转人工审核。", "信用+审批", Outcome::kReview},
};

// What a rule can name, after the common names.
enum Name : Id {
  kBl = kItemNames,  // the business licence: no library to ask
  kFp,               // the food permit: the same
  kEntity,
  kEntityUscc,
  kEntityName,
  kPremises,
  kPremisesDivision,
  kPremisesAddress,
  kSpecialFoods,
  kColdChain,
  kManager,
  kManagerIdNo,
};
std::vector<Names::Name> AllNames() {
  std::vector<Names::Name> names = CommonNames();
  names.push_back(NoLibrary("bl", "营业执照"));
  names.push_back(NoLibrary("fp", "食品经营许可证"));
  for (const char* path : {"entity", "entity.uscc", "entity.name", "premises", "premises.division", "premises.address",
                           "special_foods", "cold_chain", "food_safety_manager", "food_safety_manager.id_no"}) {
    names.push_back({path, ""});
  }
  return names;
}

// The application as the rules read it (what they do not read is skipped).
struct Application {
  Got entity = Got::kAbsent;
  Field<std::string_view> uscc, name;
  Got premises = Got::kAbsent;
  Field<std::string_view> division, address;
  Got special_foods = Got::kAbsent;  // a list: only its length is read
  size_t special_food_count = 0;
  Field<bool> cold_chain;
  Got manager = Got::kAbsent;
  Field<std::string_view> manager_id_no;
};

template <typename Member>
Got Record(od::value v, Member&& member) {
  return ReadMembers(v, member) ? Got::kOk : Got::kBad;
}

class Baseline {
 public:
  explicit Baseline(const Options& o)
      : today_(*dsl::ParseIsoDate(o.date)), names_(AllNames()), delegations_(o.pack_dir),
        food_banned_(o.pack_dir + "/tables/food_banned_persons.csv"),
        serious_dishonest_(o.pack_dir + "/tables/credit_serious_dishonest.csv"),
        writer_(kItem, o.hash, o.date, Rules(kItemRuleTexts)) {}

  void Decide(std::string_view line, size_t capacity, std::string* out) {
    if (!Parse(line, capacity) || !env_.has_item || env_.item != kItem.code) {
      out->append("{\"error\":\"not decided by the baseline\"}\n");
      return;
    }
    Evaluate();
    writer_.Write(env_.has_id, env_.id, results_, whys_, listed_, names_, std::string_view(), out);
  }

 private:
  bool Parse(std::string_view line, size_t capacity) {
    Application& a = app_;
    a = Application{};
    sources_.Reset();
    return ReadEnvelope(parser_, line, capacity, &env_, [&](std::string_view key, od::value v) {
      if (key == "entity") {
        a.entity = Record(v, [&](std::string_view k, od::value f) {
          if (k == "uscc") {
            Read(f, &a.uscc);
          } else if (k == "name") {
            Read(f, &a.name);
          }
        });
      } else if (key == "premises") {
        a.premises = Record(v, [&](std::string_view k, od::value f) {
          if (k == "division") {
            Read(f, &a.division);
          } else if (k == "address") {
            Read(f, &a.address);
          }
        });
      } else if (key == "special_foods") {
        od::array list;
        if (v.get_array().get(list)) {
          a.special_foods = Got::kBad;
        } else {
          a.special_foods = Got::kOk;
          for (auto e : list) {
            (void)e;
            ++a.special_food_count;
          }
        }
      } else if (key == "cold_chain") {
        Read(v, &a.cold_chain);
      } else if (key == "food_safety_manager") {
        a.manager = Record(v, [&](std::string_view k, od::value f) {
          if (k == "id_no") Read(f, &a.manager_id_no);
        });
      } else if (key == "data_sources") {
        sources_.got = ReadDataSources(v, &sources_);
      }
    });
  }

  void Evaluate() {
    const Application& a = app_;
    const Context& c = env_.context;
    names_.Reset();
    Bool* r = rules_;

    Str uscc = Get(a.entity, kEntity, a.uscc, kEntityUscc);
    Str division = Get(a.premises, kPremises, a.division, kPremisesDivision);
    Str manager_id = Get(a.manager, kManager, a.manager_id_no, kManagerIdNo);
    Bool cold_chain = Get(a.cold_chain, kColdChain);
    // The business licence, looked up by the subject's id: unknown without a
    // library. Every rule that reads it is unknown for the same reason.
    const Why bl = LicenceWhy(c, SubjectId(c), kBl);

    r[kG01] = G01(c, "legal_person");
    r[kG02] = G02(c, "password");
    // ids_ok = uscc_valid(entity.uscc) and id_number_valid(food_safety_manager.id_no)
    r[kG03] = And(UsccValid(uscc), IdNumberValid(manager_id));
    // required_ok: every field the form must have, all missing ones named at once.
    r[kG04] = All({Filled(uscc), Filled(Get(a.entity, kEntity, a.name, kEntityName)), Filled(division),
                   Filled(Get(a.premises, kPremises, a.address, kPremisesAddress)), Filled(manager_id),
                   Answered(cold_chain)});
    r[kG07] = Bool::Unknown(bl);  // `bl.number != ""`
    r[kG05] = delegations_.G05(c, kItem.code, today_, &names_);

    r[kR01] = Eq(SubjectId(c), uscc);
    r[kR02] = Bool::Unknown(bl);  // licence_status(bl): unknown too when there is no library to ask
    r[kR03] = Bool::Unknown(bl);  // any s in bl.fields.scope: …
    r[kR04] = InNanhai(division);
    // licence_status(fp) != "in_force": unknown with no library to ask.
    r[kR05] = Bool::Unknown(LicenceWhy(c, SubjectId(c), kFp));
    r[kR06] = Map<bool>(manager_id, [&](std::string_view id) { return !food_banned_.Has(id); });
    // count(special_foods) == 0
    r[kR07] = a.special_foods == Got::kOk ? Bool::Of(a.special_food_count == 0) : Bool::Unknown(Why::Of(kSpecialFoods));
    r[kR08] = Not(cold_chain);
    r[kR09] = Map<bool>(uscc, [&](std::string_view code) { return !serious_dishonest_.Has(code); });

    for (size_t i = 0; i < kRuleCount; ++i) {
      results_[i] = TruthOf(r[i]);
      whys_[i] = r[i].why;
      listed_[i].Clear();
    }
    results_[kG06] = G06(sources_, &listed_[kG06]);
  }

  const int32_t today_;
  Names names_;
  Delegations delegations_;
  Table food_banned_, serious_dishonest_;
  Writer writer_;
  od::parser parser_;
  Envelope env_;
  Application app_;
  List<DataSource> sources_;
  Bool rules_[kRuleCount];
  Truth results_[kRuleCount];
  Why whys_[kRuleCount];
  Missing listed_[kRuleCount];
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, "baseline_nanhai_b02", &o)) return 2;
  Baseline baseline(o);
  return Run(o,
             [&](std::string_view line, size_t capacity, std::string* out) { baseline.Decide(line, capacity, out); });
}
