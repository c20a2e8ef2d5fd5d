// The hand-written baseline of item NH-B04 门店招牌设置 (rules/nanhai/
// b04_signboard.rules with the common rules G01–G07) decided without a
// licence library, as `miaopi batch rules/nanhai APPS --date D` decides it:
// the business licence `bl` is unknown, so G07 and the rules that compare
// the sign with it (R01 its status, R02 its address, R03 its name) go to
// review naming it. Table lookups: the road segment's sign zone (a row read
// once, four typed columns), heritage areas, delegations; numbers. simdjson
// On-Demand, each application read once into plain structs; the same
// records, byte for byte, as `miaopi batch` (bench/baseline_vs_batch.sh
// checks it on every run).
//
//   baseline_nanhai_b04 PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…
#include <cstdlib>

#include "bench/baseline_nanhai.h"

namespace {

using namespace baseline;
using namespace baseline::nanhai;

const ItemText kItem = {
    .code = "NH-B04",
    .title = "门店招牌设置",
    .basis = "《城市市容和环境卫生管理条例》第十一条；《佛山市户外广告和招牌设置管理规定》⚙",
    .effective = "2026-01-01",
    .pack = "nanhai",
    .version = "2026.11.1",
};

enum Rule : size_t { kR01 = kItemRules, kR02, kR03, kR04, kR05, kR06, kR07, kR08, kR09, kR10, kR11, kRuleCount };
const std::vector<RuleText> kItemRuleTexts = {
    {"R01", "请使用经营主体法人账号登录；市场主体须处于存续状态。", nullptr, Outcome::kReject},
    {"R02", "招牌设置地址与营业执照登记的经营场所不一致，转人工核实。", "招牌设于本单位经营场所 ⚙", Outcome::kReview},
    {"R03", "招牌内容与登记名称（字号）不一致，可能属于户外广告，转人工审核。", "地方户外广告和招牌设置规定 ⚙",
     Outcome::kReview},
    {"R04", "设置地点不在南海区，请向所在地主管部门申请。", "《中华人民共和国行政许可法》第三十二条第一款第二项",
     Outcome::kReject},
    {"R05", "该路段为招牌禁设区域，不予设置。", "地方户外广告和招牌设置规划 ⚙", Outcome::kReject},
    {"R06", "该路段为招牌严控区域，转人工审核。", nullptr, Outcome::kReview},
    {"R07", "屋顶、落地或外挑式招牌涉及结构安全，转人工审核。", nullptr, Outcome::kReview},
    {"R08", "招牌尺寸超过该区域设置标准，转人工审核。", "《城市市容和环境卫生管理条例》第十一条", Outcome::kReview},
    {"R09", "该经营场所已设置招牌，转人工审核。", nullptr, Outcome::kReview},
    {"R10", "设置地点位于文物保护建设控制地带，转人工审核。", "《中华人民共和国文物保护法》（建设控制地带）",
     Outcome::kReview},
    {"R11", "发光招牌需核实光污染影响，转人工审核。", nullptr, Outcome::kReview},
};

// What a rule can name, after the common names.
enum Name : Id {
  kBl = kItemNames,  // the business licence: no library to ask
  kEntity,
  kEntityUscc,
  kSite,
  kSiteDivision,
  kSiteRoadSegmentId,
  kSiteAddress,
  kSign,
  kSignText,
  kSignType,
  kSignWidth,
  kSignHeight,
  kSignArea,
  kSignHeightAboveGround,
  kSignIlluminated,
  kRegister,
  kRegisterExistingSign,
};
std::vector<Names::Name> AllNames() {
  std::vector<Names::Name> names = CommonNames();
  names.push_back(NoLibrary("bl", "营业执照"));
  for (const char* path :
       {"entity", "entity.uscc", "site", "site.division", "site.road_segment_id", "site.address", "sign", "sign.text",
        "sign.type", "sign.width_m", "sign.height_m", "sign.area_m2", "sign.height_above_ground_m", "sign.illuminated",
        "register", "register.existing_sign_at_premises"}) {
    names.push_back({path, ""});
  }
  return names;
}

// The application as the rules read it (what they do not read is skipped).
struct Application {
  Got entity = Got::kAbsent;
  Field<std::string_view> uscc;
  Got site = Got::kAbsent;
  Field<std::string_view> division, road_segment_id, address;
  Got sign = Got::kAbsent;
  Field<std::string_view> text, type;
  Field<double> width, height, area, height_above_ground;
  Field<bool> illuminated;
  Got register_ = Got::kAbsent;
  Field<bool> existing_sign;
};

template <typename Member>
Got Record(od::value v, Member&& member) {
  return ReadMembers(v, member) ? Got::kOk : Got::kBad;
}

// tables/sign_zones.csv: per road segment its zone and limits (an empty cell
// is absent).
class SignZones {
 public:
  // `zone = sign_zones[site.road_segment_id]` as the rules read it.
  struct Row {
    Str zone;
    Num max_area, max_height;
    Bool lit_allowed;
  };

  explicit SignZones(const std::string& pack_dir) {
    Table table(pack_dir + "/tables/sign_zones.csv");
    size_t zone = table.Column("zone"), area = table.Column("max_area_m2"), height = table.Column("max_height_m"),
           lit = table.Column("lit_allowed");
    table.ForEach([&](const std::vector<std::string>& row) {
      Cells& z = rows_[row[0]];
      z.zone = row[zone];
      z.has_area = Number(row[area], &z.max_area);
      z.has_height = Number(row[height], &z.max_height);
      z.has_lit = row[lit] == "true" || row[lit] == "false";
      z.lit_allowed = row[lit] == "true";
    });
  }

  // The row of `key`: unknown when the key is, or names the missing row
  // (sign_zones["X"]) or an empty cell (sign_zones["X"].zone).
  Row Find(const Str& key, Names* names) {
    if (!key.known)
      return {Str::Unknown(key.why), Num::Unknown(key.why), Num::Unknown(key.why), Bool::Unknown(key.why)};
    auto it = rows_.find(key.v);
    if (it == rows_.end()) {
      Why why = Why::Of(names->Add(Path(key.v, "")));
      return {Str::Unknown(why), Num::Unknown(why), Num::Unknown(why), Bool::Unknown(why)};
    }
    const Cells& z = it->second;
    Row r;
    r.zone = z.zone.empty() ? Str::Unknown(Why::Of(names->Add(Path(key.v, ".zone")))) : Str::Of(z.zone);
    r.max_area = z.has_area ? Num::Of(z.max_area) : Num::Unknown(Why::Of(names->Add(Path(key.v, ".max_area_m2"))));
    r.max_height =
        z.has_height ? Num::Of(z.max_height) : Num::Unknown(Why::Of(names->Add(Path(key.v, ".max_height_m"))));
    r.lit_allowed =
        z.has_lit ? Bool::Of(z.lit_allowed) : Bool::Unknown(Why::Of(names->Add(Path(key.v, ".lit_allowed"))));
    return r;
  }

 private:
  struct Cells {
    std::string zone;
    bool has_area = false, has_height = false, has_lit = false;
    double max_area = 0, max_height = 0;
    bool lit_allowed = false;
  };
  static bool Number(const std::string& cell, double* d) {
    if (cell.empty()) return false;
    char* end = nullptr;
    *d = std::strtod(cell.c_str(), &end);
    return end == cell.c_str() + cell.size();
  }
  const std::string& Path(std::string_view key, std::string_view column) {
    path_ = "sign_zones[";
    AppendKey(key, &path_);
    path_ += ']';
    path_ += column;
    return path_;
  }

  std::unordered_map<std::string, Cells, Hash, std::equal_to<>> rows_;
  std::string path_;
};

class Baseline {
 public:
  explicit Baseline(const Options& o)
      : today_(*dsl::ParseIsoDate(o.date)), names_(AllNames()), delegations_(o.pack_dir), zones_(o.pack_dir),
        heritage_areas_(o.pack_dir + "/tables/heritage_areas.csv"),
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
          if (k == "uscc") Read(f, &a.uscc);
        });
      } else if (key == "site") {
        a.site = Record(v, [&](std::string_view k, od::value f) {
          if (k == "division") {
            Read(f, &a.division);
          } else if (k == "road_segment_id") {
            Read(f, &a.road_segment_id);
          } else if (k == "address") {
            Read(f, &a.address);
          }
        });
      } else if (key == "sign") {
        a.sign = Record(v, [&](std::string_view k, od::value f) {
          if (k == "text") {
            Read(f, &a.text);
          } else if (k == "type") {
            Read(f, &a.type);
          } else if (k == "width_m") {
            Read(f, &a.width);
          } else if (k == "height_m") {
            Read(f, &a.height);
          } else if (k == "area_m2") {
            Read(f, &a.area);
          } else if (k == "height_above_ground_m") {
            Read(f, &a.height_above_ground);
          } else if (k == "illuminated") {
            Read(f, &a.illuminated);
          }
        });
      } else if (key == "register") {
        a.register_ = Record(v, [&](std::string_view k, od::value f) {
          if (k == "existing_sign_at_premises") Read(f, &a.existing_sign);
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
    Str division = Get(a.site, kSite, a.division, kSiteDivision);
    Str segment = Get(a.site, kSite, a.road_segment_id, kSiteRoadSegmentId);
    Str address = Get(a.site, kSite, a.address, kSiteAddress);
    Str text = Get(a.sign, kSign, a.text, kSignText);
    Str type = Get(a.sign, kSign, a.type, kSignType);
    Num area = Get(a.sign, kSign, a.area, kSignArea);
    Num above_ground = Get(a.sign, kSign, a.height_above_ground, kSignHeightAboveGround);
    // The business licence, looked up by the subject's id: unknown without a
    // library; the rules that read it are unknown for the same reason.
    const Why bl = LicenceWhy(c, SubjectId(c), kBl);
    // let zone = sign_zones[site.road_segment_id]: looked up once.
    const SignZones::Row zone = zones_.Find(segment, &names_);

    r[kG01] = G01(c, "legal_person");
    r[kG02] = G02(c, "password");
    r[kG03] = UsccValid(uscc);  // ids_ok
    // required_ok: every field the form must have, all missing ones named at once.
    r[kG04] = All({Filled(uscc), Filled(division), Filled(segment), Filled(address), Filled(text), Filled(type),
                   Positive(Get(a.sign, kSign, a.width, kSignWidth)),
                   Positive(Get(a.sign, kSign, a.height, kSignHeight)), Positive(area), NonNegative(above_ground)});
    r[kG07] = Bool::Unknown(bl);  // `bl.number != ""`
    r[kG05] = delegations_.G05(c, kItem.code, today_, &names_);

    // subject.id == entity.uscc and licence_status(bl) not in ["revoked", "cancelled"]
    r[kR01] = And(Eq(SubjectId(c), uscc), Bool::Unknown(bl));
    r[kR02] = Eq(address, Str::Unknown(bl));  // site.address == bl.fields.address
    // contains(bl.fields.name, sign.text)
    r[kR03] = Both(Str::Unknown(bl), text,
                   [](std::string_view name, std::string_view t) { return name.find(t) != std::string_view::npos; });
    r[kR04] = InNanhai(division);
    r[kR05] = Map<bool>(zone.zone, [](std::string_view z) { return z != "prohibited"; });
    r[kR06] = Map<bool>(zone.zone, [](std::string_view z) { return z != "strict"; });
    r[kR07] = Map<bool>(type, [](std::string_view t) { return t == "wall"; });
    // sign.area_m2 <= zone.max_area_m2 and sign.height_above_ground_m <= zone.max_height_m
    auto at_most = [](double x, double limit) { return x <= limit; };
    r[kR08] = And(Both(area, zone.max_area, at_most), Both(above_ground, zone.max_height, at_most));
    r[kR09] = Not(Get(a.register_, kRegister, a.existing_sign, kRegisterExistingSign));
    r[kR10] = Map<bool>(segment, [&](std::string_view s) { return !heritage_areas_.Has(s); });
    // not sign.illuminated or zone.lit_allowed
    r[kR11] = Or(Not(Get(a.sign, kSign, a.illuminated, kSignIlluminated)), zone.lit_allowed);

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
  SignZones zones_;
  Table heritage_areas_;
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
  if (!ParseArgs(argc, argv, "baseline_nanhai_b04", &o)) return 2;
  Baseline baseline(o);
  return Run(o,
             [&](std::string_view line, size_t capacity, std::string* out) { baseline.Decide(line, capacity, out); });
}
