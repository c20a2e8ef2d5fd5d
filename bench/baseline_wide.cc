// The hand-written baseline for the "wide" workload (bench/wide/wide.rules,
// item WD-001: fifteen rules over lists of licences, staff, equipment and
// business scope): the rules coded by hand in C++ on simdjson On-Demand,
// each application read once, field by field, into plain structs — the
// fastest code a careful engineer would write without an engine — keeping
// what the engine promises: missing or broken data is unknown, unknown goes
// to review, and every record names the missing paths. It writes the same
// records, byte for byte, as `miaopi batch` (bench/baseline_vs_batch.sh
// checks it on every run).
//
//   baseline_wide PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…
#include <string>
#include <string_view>
#include <vector>

#include "bench/baseline_common.h"
#include "engine/runtime/checksums.h"

namespace {

using namespace baseline;

constexpr const char* kBasis = "《中华人民共和国食品安全法》第三十五条";

const std::vector<Rule> kRules = {
    {"AGE", "申请人须年满18周岁", kBasis, true},
    {"ID_NUMBER", "身份证号码校验不通过", "GB 11643-1999", true},
    {"USCC", "统一社会信用代码校验不通过", "GB 32100-2015", true},
    {"BLACKLIST", "经营者被列入严重失信主体名单", kBasis, true},
    {"DISTRICT", "经营场所不在佛山市辖区", kBasis, true},
    {"SCOPE", "经营范围未包含餐饮服务", kBasis, true},
    {"LICENCE", "未查到有效营业执照，转人工核验", kBasis, false},
    {"FOOD_LICENCE", "未查到有效食品经营许可证，转人工核验", kBasis, false},
    {"HEALTH", "从业人员健康证明已过期", kBasis, false},
    {"STAFF_ID", "从业人员身份证号码格式不正确", kBasis, false},
    {"MANAGER", "未配备经过培训的食品安全管理员", kBasis, false},
    {"EQUIPMENT", "设施设备超过一年未检验", kBasis, false},
    {"AREA", "经营场所面积不足20平方米", kBasis, false},
    {"OPENED", "开业日期晚于申请日期", kBasis, false},
    {"PHONE", "联系电话格式不正确", kBasis, false},
};
constexpr size_t kRuleCount = 15;

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
bool FoodNumberOk(std::string_view n) { return n.size() == 16 && n.starts_with("JY") && Digits(n.substr(2)); }
bool IdFormatOk(std::string_view n) {
  return n.size() == 18 && Digits(n.substr(0, 17)) && ((n[17] >= '0' && n[17] <= '9') || n[17] == 'X');
}

struct Staff {
  Field<std::string_view> id_number, role;
  Field<int32_t> health;
  Field<bool> trained;
};

struct Application {
  std::string_view id;
  bool has_id = false;
  Field<int32_t> submitted, opened;
  Applicant applicant;
  Got business = Got::kAbsent;
  Field<std::string_view> uscc, district;
  Field<double> area;
  List<Field<std::string_view>> scope;
  List<Licence> licences;
  List<Staff> staff;
  List<Field<int32_t>> equipment;
};

class Baseline {
 public:
  explicit Baseline(const Options& o)
      : blacklist_(Keys(o.pack_dir + "/tables/credit_blacklist.csv")),
        districts_(Keys(o.pack_dir + "/tables/foshan_districts.csv")),
        writer_("WD-001", "餐饮服务食品经营许可（连锁门店）", "2026-09-01", "bench.wide", "2026.12.1", o.hash, o.date,
                kRules) {}

  void Decide(std::string_view line, size_t capacity, std::string* out) {
    if (!Parse(line, capacity)) {
      out->append("{\"error\":\"not decided by the baseline\"}\n");
      return;
    }
    Evaluate();
    writer_.Write(app_.has_id ? app_.id : std::string_view(), results_, missing_, out);
  }

 private:
  bool Parse(std::string_view line, size_t capacity) {
    Application& a = app_;
    a.has_id = false;
    a.submitted = a.opened = {};
    a.applicant = {};
    a.business = Got::kAbsent;
    a.uscc = a.district = {};
    a.area = {};
    a.scope.Reset();
    a.licences.Reset();
    a.staff.Reset();
    a.equipment.Reset();
    return ReadRoot(parser_, line, capacity, [&](std::string_view key, od::value v) {
      if (key == "id") {
        a.has_id = !v.get_string().get(a.id);
      } else if (key == "submitted_at") {
        ReadDate(v, &a.submitted);
      } else if (key == "applicant") {
        ReadApplicant(v, &a.applicant);
      } else if (key == "business") {
        a.business = ReadBusiness(v) ? Got::kOk : Got::kBad;
      } else if (key == "licences") {
        a.licences.got = ReadLicences(v, &a.licences);
      } else if (key == "staff") {
        a.staff.got = ReadObjects(
            v, &a.staff,
            [](Staff& s, std::string_view k, od::value value) {
              if (k == "id_number") {
                Read(value, &s.id_number);
              } else if (k == "role") {
                Read(value, &s.role);
              } else if (k == "health_cert_expires") {
                ReadDate(value, &s.health);
              } else if (k == "trained") {
                Read(value, &s.trained);
              }
            },
            [](Staff& s) { s.id_number.got = s.role.got = s.health.got = s.trained.got = Got::kBad; });
      } else if (key == "equipment") {
        a.equipment.got = ReadObjects(
            v, &a.equipment,
            [](Field<int32_t>& inspected, std::string_view k, od::value value) {
              if (k == "inspected") ReadDate(value, &inspected);
            },
            [](Field<int32_t>& inspected) { inspected.got = Got::kBad; });
      }
    });
  }

  bool ReadBusiness(od::value v) {
    return ReadMembers(v, [&](std::string_view key, od::value value) {
      if (key == "uscc") {
        Read(value, &app_.uscc);
      } else if (key == "district") {
        Read(value, &app_.district);
      } else if (key == "area_m2") {
        Read(value, &app_.area);
      } else if (key == "opened") {
        ReadDate(value, &app_.opened);
      } else if (key == "scope") {
        app_.scope.got = ReadStrings(value, &app_.scope);
      }
    });
  }

  void Evaluate() {
    const Application& a = app_;
    const Applicant& person = a.applicant;
    Truth* r = results_;
    Missing* m = missing_;
    Missing* scratch = &element_;
    for (Missing& each : missing_) each.Clear();
    const int32_t at = a.submitted.value;
    auto need_at = [&](Missing* into) { return Need(a.submitted, "submitted_at", into); };
    {
      Truth birth = Need(person.got, "applicant", person.birth, "applicant.birth_date", &m[0]);
      r[0] = If(And(birth, need_at(&m[0])), *dsl::AddMonths(person.birth.value, 18 * 12) <= at);
    }
    Truth id = Need(person.got, "applicant", person.id_number, "applicant.id_number", &m[1]);
    r[1] = If(id, miaopi::engine::IdNumberValid(person.id_number.value));
    Truth uscc = Need(a.business, "business", a.uscc, "business.uscc", &m[2]);
    r[2] = If(uscc, miaopi::engine::UsccValid(a.uscc.value));
    m[3].AddAll(m[2]);
    r[3] = If(uscc, !blacklist_.contains(a.uscc.value));
    r[4] =
        If(Need(a.business, "business", a.district, "business.district", &m[4]), districts_.contains(a.district.value));
    r[5] = ScopeHas(a.business, a.scope, "餐饮服务", &m[5], scratch);
    r[6] = Loop(true, a.licences, "licences", &m[6], scratch, [&](const Licence& l, size_t i, Missing* em) {
      Truth t = If(Need(l.type, "licences", i, "type", em), l.type.value == "business_licence");
      t = And(t, If(Need(l.status, "licences", i, "status", em), l.status.value == "valid"));
      t = And(t, If(And(Need(l.expires, "licences", i, "expires", em), need_at(em)), l.expires.value > at));
      Truth holder =
          And(Need(l.holder, "licences", i, "holder", em), Need(a.business, "business", a.uscc, "business.uscc", em));
      return And(t, If(holder, l.holder.value == a.uscc.value));
    });
    r[7] = Loop(true, a.licences, "licences", &m[7], scratch, [&](const Licence& l, size_t i, Missing* em) {
      Truth t = If(Need(l.type, "licences", i, "type", em), l.type.value == "food_licence");
      t = And(t, If(Need(l.number, "licences", i, "number", em), FoodNumberOk(l.number.value)));
      t = And(t, If(And(Need(l.issued, "licences", i, "issued", em), need_at(em)), l.issued.value <= at));
      return And(t, If(And(Need(l.expires, "licences", i, "expires", em), need_at(em)), l.expires.value > at));
    });
    r[8] = Loop(false, a.staff, "staff", &m[8], scratch, [&](const Staff& s, size_t i, Missing* em) {
      return If(And(Need(s.health, "staff", i, "health_cert_expires", em), need_at(em)), s.health.value > at);
    });
    r[9] = Loop(false, a.staff, "staff", &m[9], scratch, [&](const Staff& s, size_t i, Missing* em) {
      return If(Need(s.id_number, "staff", i, "id_number", em), IdFormatOk(s.id_number.value));
    });
    r[10] = Loop(true, a.staff, "staff", &m[10], scratch, [&](const Staff& s, size_t i, Missing* em) {
      Truth t = If(Need(s.role, "staff", i, "role", em), s.role.value == "manager");
      return And(t, If(Need(s.trained, "staff", i, "trained", em), s.trained.value));
    });
    r[11] = Loop(false, a.equipment, "equipment", &m[11], scratch, [&](const Field<int32_t>& e, size_t i, Missing* em) {
      return If(And(Need(e, "equipment", i, "inspected", em), need_at(em)), *dsl::AddMonths(e.value, 12) > at);
    });
    r[12] = If(Need(a.business, "business", a.area, "business.area_m2", &m[12]), a.area.value >= 20);
    r[13] = If(And(Need(a.business, "business", a.opened, "business.opened", &m[13]), need_at(&m[13])),
               a.opened.value <= at);
    r[14] = PhoneRule(person, &m[14]);
    for (size_t i = 0; i < kRuleCount; ++i) {
      if (r[i] != Truth::kUnknown) m[i].Clear();  // a rule that is not unknown names nothing missing
    }
  }

  KeySet blacklist_, districts_;
  RecordWriter writer_;
  od::parser parser_;
  Application app_;
  Truth results_[kRuleCount];
  Missing missing_[kRuleCount];
  Missing element_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, "baseline_wide", &o)) return 2;
  Baseline baseline(o);
  return Run(o,
             [&](std::string_view line, size_t capacity, std::string* out) { baseline.Decide(line, capacity, out); });
}
