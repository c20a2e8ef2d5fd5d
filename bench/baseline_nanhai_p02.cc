// The hand-written baseline of item NH-P02 高龄老人津贴申领 (rules/nanhai/
// p02_senior.rules with the common rules G01–G07) decided without a licence
// library, as `miaopi batch rules/nanhai APPS --date D` decides it: the
// household register `hr` is unknown, so G07 goes to review naming it, and
// whatever else a rule finds. Dates (the age from the household register,
// the birth date inside the ID number), a delegation table with validity
// dates, and an output (the monthly allowance) from a decision table.
// simdjson On-Demand, each application read once into plain structs; the
// same records, byte for byte, as `miaopi batch` (bench/baseline_vs_batch.sh
// checks it on every run).
//
//   baseline_nanhai_p02 PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…
#include <charconv>

#include "bench/baseline_nanhai.h"

namespace {

using namespace baseline;
using namespace baseline::nanhai;

const ItemText kItem = {
    .code = "NH-P02",
    .title = "高龄老人津贴申领",
    .basis = "《中华人民共和国老年人权益保障法》第三十三条；南海区高龄老人津贴发放办法 ⚙",
    .effective = "2026-01-01",
    .pack = "nanhai",
    .version = "2026.11.1",
};

enum Rule : size_t { kR01 = kItemRules, kR02, kR03, kR04, kR05, kR06, kR07, kR08, kR09, kR10, kR11, kRuleCount };
const std::vector<RuleText> kItemRuleTexts = {
    {"R01", "经户籍信息核验，申请人未满80周岁，不符合高龄津贴申领条件。",
     "《中华人民共和国老年人权益保障法》第三十三条；地方实施办法 ⚙", Outcome::kReject},
    {"R02", "申请人户籍不在南海区，请向户籍所在地民政部门申请。", nullptr, Outcome::kReject},
    {"R03", "身份证件与户籍登记的出生日期不一致，转人工核实。", nullptr, Outcome::kReview},
    {"R04", "核验到相关人员死亡登记信息，转人工核实。", nullptr, Outcome::kReview},
    {"R05", "申请人已在领取高龄津贴，无需重复申请。", nullptr, Outcome::kReject},
    {"R06", "核验到外地领取记录，需人工核实后办理转移。", nullptr, Outcome::kReview},
    {"R07", "未完成本人人脸识别认证，请预约社区上门核验。", "《深圳市高龄老人津贴发放管理办法》（2021）实践",
     Outcome::kReview},
    {"R08", "收款账户户名与申请人不一致，转人工核实。", nullptr, Outcome::kReview},
    {"R09", "代办人与申请人关系未能核验，转人工审核。", nullptr, Outcome::kReview},
    {"R10", "百岁及以上老人需上门核实后发放。", nullptr, Outcome::kReview},
    {"R11", "需人工核实申请人当前状况。", nullptr, Outcome::kReview},
};

// What a rule can name, after the common names.
enum Name : Id {
  kHr = kItemNames,  // the household register: no library to ask
  kElder,
  kElderIdNo,
  kElderName,
  kAgent,
  kAgentIdNo,
  kPayment,
  kPaymentBankAccount,
  kConsent,
  kConsentDataSharing,
  kConsentAnnualFaceCheck,
  kHukou,
  kHukouBirthDate,
  kHukouDivision,
  kHukouDeathRecord,
  kHukouAgentSameHousehold,
  kBenefits,
  kBenefitsReceivingNanhai,
  kBenefitsReceivingElsewhere,
  kFace,
  kFaceElderLiveness,
  kFaceHomeVisit,
  kBank,
  kBankAccountHolderName,
  kCustody,
  kCustodyInCustody,
  kNotAnIdNumber,  // a note: id_number_birth of something that is not an ID number
};
const char* const kPaths[] = {"elder",
                              "elder.id_no",
                              "elder.name",
                              "agent",
                              "agent.id_no",
                              "payment",
                              "payment.bank_account",
                              "consent",
                              "consent.data_sharing",
                              "consent.annual_face_check",
                              "hukou",
                              "hukou.birth_date",
                              "hukou.division",
                              "hukou.death_record",
                              "hukou.agent_same_household",
                              "benefits",
                              "benefits.receiving_nanhai",
                              "benefits.receiving_elsewhere",
                              "face",
                              "face.elder_liveness",
                              "face.home_visit",
                              "bank",
                              "bank.account_holder_name",
                              "custody",
                              "custody.in_custody"};
std::vector<Names::Name> AllNames() {
  std::vector<Names::Name> names = CommonNames();
  names.push_back(NoLibrary("hr", "居民户口簿"));
  for (const char* path : kPaths) {
    names.push_back({path, ""});
  }
  names.push_back({"", "not an ID number with a real birth date"});
  return names;
}

// The application as the rules read it (what they do not read is skipped).
struct Application {
  Got elder = Got::kAbsent, agent = Got::kAbsent;
  Field<std::string_view> elder_id_no, elder_name, agent_id_no;
  Got payment = Got::kAbsent;
  Field<std::string_view> bank_account;
  Got consent = Got::kAbsent;
  Field<bool> data_sharing, annual_face_check;
  Got hukou = Got::kAbsent;
  Field<int32_t> birth_date;
  Field<std::string_view> division;
  Field<bool> death_record, agent_same_household;
  Got benefits = Got::kAbsent;
  Field<bool> receiving_nanhai, receiving_elsewhere;
  Got face = Got::kAbsent;
  Field<bool> elder_liveness, home_visit;
  Got bank = Got::kAbsent;
  Field<std::string_view> account_holder_name;
  Got custody = Got::kAbsent;
  Field<bool> in_custody;
};

// The record read from an object's members by `member(key, value)`.
template <typename Member>
Got Record(od::value v, Member&& member) {
  return ReadMembers(v, member) ? Got::kOk : Got::kBad;
}

// The decision table senior_allowance: monthly CNY by age.
int SeniorAllowance(int64_t age) {
  if (age < 80) return 0;
  if (age < 90) return 100;
  if (age < 100) return 200;
  return 500;
}

class Baseline {
 public:
  explicit Baseline(const Options& o)
      : today_(*dsl::ParseIsoDate(o.date)), names_(AllNames()), delegations_(o.pack_dir),
        writer_(kItem, o.hash, o.date, Rules(kItemRuleTexts)) {}

  void Decide(std::string_view line, size_t capacity, std::string* out) {
    if (!Parse(line, capacity) || !env_.has_item || env_.item != kItem.code) {
      out->append("{\"error\":\"not decided by the baseline\"}\n");
      return;
    }
    Evaluate();
    writer_.Write(env_.has_id, env_.id, results_, whys_, listed_, names_, outputs_, out);
  }

 private:
  bool Parse(std::string_view line, size_t capacity) {
    Application& a = app_;
    a = Application{};
    sources_.Reset();
    return ReadEnvelope(parser_, line, capacity, &env_, [&](std::string_view key, od::value v) {
      if (key == "elder") {
        a.elder = Record(v, [&](std::string_view k, od::value f) {
          if (k == "id_no") {
            Read(f, &a.elder_id_no);
          } else if (k == "name") {
            Read(f, &a.elder_name);
          }
        });
      } else if (key == "agent") {
        a.agent = Record(v, [&](std::string_view k, od::value f) {
          if (k == "id_no") Read(f, &a.agent_id_no);
        });
      } else if (key == "payment") {
        a.payment = Record(v, [&](std::string_view k, od::value f) {
          if (k == "bank_account") Read(f, &a.bank_account);
        });
      } else if (key == "consent") {
        a.consent = Record(v, [&](std::string_view k, od::value f) {
          if (k == "data_sharing") {
            Read(f, &a.data_sharing);
          } else if (k == "annual_face_check") {
            Read(f, &a.annual_face_check);
          }
        });
      } else if (key == "hukou") {
        a.hukou = Record(v, [&](std::string_view k, od::value f) {
          if (k == "birth_date") {
            ReadDate(f, &a.birth_date);
          } else if (k == "division") {
            Read(f, &a.division);
          } else if (k == "death_record") {
            Read(f, &a.death_record);
          } else if (k == "agent_same_household") {
            Read(f, &a.agent_same_household);
          }
        });
      } else if (key == "benefits") {
        a.benefits = Record(v, [&](std::string_view k, od::value f) {
          if (k == "receiving_nanhai") {
            Read(f, &a.receiving_nanhai);
          } else if (k == "receiving_elsewhere") {
            Read(f, &a.receiving_elsewhere);
          }
        });
      } else if (key == "face") {
        a.face = Record(v, [&](std::string_view k, od::value f) {
          if (k == "elder_liveness") {
            Read(f, &a.elder_liveness);
          } else if (k == "home_visit") {
            Read(f, &a.home_visit);
          }
        });
      } else if (key == "bank") {
        a.bank = Record(v, [&](std::string_view k, od::value f) {
          if (k == "account_holder_name") Read(f, &a.account_holder_name);
        });
      } else if (key == "custody") {
        a.custody = Record(v, [&](std::string_view k, od::value f) {
          if (k == "in_custody") Read(f, &a.in_custody);
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

    Str elder_id = Get(a.elder, kElder, a.elder_id_no, kElderIdNo);
    Str elder_name = Get(a.elder, kElder, a.elder_name, kElderName);
    // exists(agent): an agent record is there (absent and broken alike are not).
    const bool agent = a.agent == Got::kOk;
    Str agent_id = Get(a.agent, kAgent, a.agent_id_no, kAgentIdNo);
    Date birth = Get(a.hukou, kHukou, a.birth_date, kHukouBirthDate);
    // let age_now = age(hukou.birth_date, today)
    Val<int64_t> age_now = Map<int64_t>(birth, [&](int32_t b) { return dsl::AgeInYears(b, today_); });

    r[kG01] = G01(c, "natural_person");
    r[kG02] = G02(c, "face");
    // ids_ok = id_number_valid(elder.id_no)
    //          and (if exists(agent) then id_number_valid(agent.id_no) else true)
    r[kG03] = And(IdNumberValid(elder_id), agent ? IdNumberValid(agent_id) : Bool::Of(true));
    // required_ok: every field the form must have, all missing ones named at once.
    r[kG04] = All({Filled(elder_id), Filled(elder_name),
                   Filled(Get(a.payment, kPayment, a.bank_account, kPaymentBankAccount)),
                   Answered(Get(a.consent, kConsent, a.data_sharing, kConsentDataSharing)),
                   Answered(Get(a.consent, kConsent, a.annual_face_check, kConsentAnnualFaceCheck))});
    // G07 `hr.number != ""`: the household register, looked up by the elder's
    // ID number, is unknown without a library.
    r[kG07] = Bool::Unknown(LicenceWhy(c, elder_id, kHr));
    r[kG05] = delegations_.G05(c, kItem.code, today_, &names_);

    r[kR01] = Map<bool>(age_now, [](int64_t age) { return age >= 80; });
    r[kR02] = InNanhai(Get(a.hukou, kHukou, a.division, kHukouDivision));
    {
      // id_number_birth(elder.id_no) == hukou.birth_date
      Date from_id = Date::Unknown(elder_id.why);
      if (elder_id.known) {
        std::optional<int32_t> d = miaopi::engine::IdNumberBirth(elder_id.v);
        from_id = d ? Date::Of(*d) : Date::Unknown(Why::Of(kNotAnIdNumber));
      }
      r[kR03] = Eq(from_id, birth);
    }
    r[kR04] = Not(Get(a.hukou, kHukou, a.death_record, kHukouDeathRecord));
    r[kR05] = Not(Get(a.benefits, kBenefits, a.receiving_nanhai, kBenefitsReceivingNanhai));
    r[kR06] = Not(Get(a.benefits, kBenefits, a.receiving_elsewhere, kBenefitsReceivingElsewhere));
    r[kR07] =
        Or(Get(a.face, kFace, a.elder_liveness, kFaceElderLiveness), Get(a.face, kFace, a.home_visit, kFaceHomeVisit));
    r[kR08] = Eq(Get(a.bank, kBank, a.account_holder_name, kBankAccountHolderName), elder_name);
    {
      // subject.id == elder.id_no
      //   or (exists(agent) and subject.id == agent.id_no and (hukou.agent_same_household ?? false))
      Str subject = SubjectId(c);
      Bool same = Get(a.hukou, kHukou, a.agent_same_household, kHukouAgentSameHousehold);
      if (!same.known) same = Bool::Of(false);
      r[kR09] = Or(Eq(subject, elder_id), And(And(Bool::Of(agent), Eq(subject, agent_id)), same));
    }
    r[kR10] = Map<bool>(age_now, [](int64_t age) { return age < 100; });
    r[kR11] = Not(Get(a.custody, kCustody, a.in_custody, kCustodyInCustody));

    for (size_t i = 0; i < kRuleCount; ++i) {
      results_[i] = TruthOf(r[i]);
      whys_[i] = r[i].why;
      listed_[i].Clear();
    }
    results_[kG06] = G06(sources_, &listed_[kG06]);

    // output monthly_cny = senior_allowance(age_now): null when the age is unknown.
    outputs_ = ",\"outputs\":{\"monthly_cny\":";
    if (age_now.known) {
      char digits[8];
      auto end = std::to_chars(digits, digits + sizeof digits, SeniorAllowance(age_now.v)).ptr;
      outputs_.append(digits, end);
    } else {
      outputs_ += "null";
    }
    outputs_ += '}';
  }

  const int32_t today_;
  Names names_;
  Delegations delegations_;
  Writer writer_;
  od::parser parser_;
  Envelope env_;
  Application app_;
  List<DataSource> sources_;
  Bool rules_[kRuleCount];
  Truth results_[kRuleCount];
  Why whys_[kRuleCount];
  Missing listed_[kRuleCount];
  std::string outputs_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, "baseline_nanhai_p02", &o)) return 2;
  Baseline baseline(o);
  return Run(o,
             [&](std::string_view line, size_t capacity, std::string* out) { baseline.Decide(line, capacity, out); });
}
