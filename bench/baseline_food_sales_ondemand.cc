// The hand-written baseline of item FS-001 (samples/food_sales, twelve
// rules) on simdjson On-Demand: each application read once, field by field,
// into plain structs, from one reused padded buffer; records written in
// large writes. The same rules and records as bench/baseline_food_sales.cc
// (RapidJSON, a DOM per line) — this is the faster of the two, the bar that
// matters. bench/baseline_vs_batch.sh checks the records byte for byte.
//
//   baseline_food_sales_ondemand PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…
#include <string>
#include <string_view>
#include <vector>

#include "bench/baseline_common.h"
#include "bench/food_sales_rules.h"
#include "engine/runtime/checksums.h"

namespace {

using namespace baseline;

const std::vector<Rule>& kRules = kFoodSalesRules;
constexpr size_t kRuleCount = 12;

struct Application {
  std::string_view id;
  bool has_id = false;
  Field<int32_t> submitted;
  Applicant applicant;
  Got business = Got::kAbsent;
  Field<std::string_view> uscc, district;
  Field<double> area;
  List<Field<std::string_view>> scope;
  List<Licence> licences;
  List<Field<int32_t>> staff;  // each one's health_cert_expires
};

class Baseline {
 public:
  explicit Baseline(const Options& o)
      : blacklist_(Keys(o.pack_dir + "/tables/credit_blacklist.csv")),
        districts_(Keys(o.pack_dir + "/tables/foshan_districts.csv")),
        writer_("FS-001", "食品销售经营者备案（仅销售预包装食品）", "2026-09-01", "nanhai.market", "2026.09.1", o.hash,
                o.date, kRules) {}

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
    a.submitted = {};
    a.applicant = {};
    a.business = Got::kAbsent;
    a.uscc = a.district = {};
    a.area = {};
    a.scope.Reset();
    a.licences.Reset();
    a.staff.Reset();
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
            [](Field<int32_t>& health, std::string_view k, od::value value) {
              if (k == "health_cert_expires") ReadDate(value, &health);
            },
            [](Field<int32_t>& health) { health.got = Got::kBad; });
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
    {
      m[2].AddAll(m[1]);
      std::optional<int32_t> from_id =
          id == Truth::kTrue ? miaopi::engine::IdNumberBirth(person.id_number.value) : std::nullopt;
      Truth birth = Need(person.got, "applicant", person.birth, "applicant.birth_date", &m[2]);
      r[2] = from_id ? If(birth, *from_id == person.birth.value) : Truth::kUnknown;
    }
    Truth uscc = Need(a.business, "business", a.uscc, "business.uscc", &m[3]);
    r[3] = If(uscc, miaopi::engine::UsccValid(a.uscc.value));
    m[4].AddAll(m[3]);
    r[4] = If(uscc, !blacklist_.contains(a.uscc.value));
    r[5] =
        If(Need(a.business, "business", a.district, "business.district", &m[5]), districts_.contains(a.district.value));
    r[6] = ScopeHas(a.business, a.scope, "预包装食品", &m[6], scratch);
    r[7] = Loop(true, a.licences, "licences", &m[7], scratch, [&](const Licence& l, size_t i, Missing* em) {
      Truth t = If(Need(l.type, "licences", i, "type", em), l.type.value == "business_licence");
      t = And(t, If(Need(l.status, "licences", i, "status", em), l.status.value == "valid"));
      t = And(t, If(And(Need(l.expires, "licences", i, "expires", em), need_at(em)), l.expires.value > at));
      Truth holder =
          And(Need(l.holder, "licences", i, "holder", em), Need(a.business, "business", a.uscc, "business.uscc", em));
      return And(t, If(holder, l.holder.value == a.uscc.value));
    });
    r[8] = Loop(false, a.staff, "staff", &m[8], scratch, [&](const Field<int32_t>& s, size_t i, Missing* em) {
      return If(And(Need(s, "staff", i, "health_cert_expires", em), need_at(em)), s.value > at);
    });
    if (a.staff.got != Got::kOk) {
      m[9].Add("staff");
      r[9] = Truth::kUnknown;
    } else {
      r[9] = Of(a.staff.n >= 1 && a.staff.n <= 50);
    }
    r[10] = If(Need(a.business, "business", a.area, "business.area_m2", &m[10]), a.area.value >= 10);
    r[11] = PhoneRule(person, &m[11]);
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
  if (!ParseArgs(argc, argv, "baseline_food_sales_ondemand", &o)) return 2;
  Baseline baseline(o);
  return Run(o,
             [&](std::string_view line, size_t capacity, std::string* out) { baseline.Decide(line, capacity, out); });
}
